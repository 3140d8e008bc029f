package dev.neutron.store.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonlChatStoreTest {
    @TempDir
    Path dataDir;

    private JsonlChatStore newStore() {
        return new JsonlChatStore(dataDir, Clock.systemUTC());
    }

    private static ChatMessage userMessage(String id, String text) {
        return new ChatMessage(id, MessageRole.user, text, "m", Instant.now(), MessageStatus.complete, List.of(), null, null);
    }

    @Test
    void keepsSessionsAndMessagesAcrossReopen() {
        JsonlChatStore store = newStore();
        ChatSession session = store.createSession(new NewSession("First", "smollm2:135m"));
        store.appendMessage(session.id(), userMessage("m1", "hello"));
        store.appendMessage(session.id(), userMessage("m2", "ünïcödé ✓\nsecond line"));

        JsonlChatStore reopened = newStore();
        ChatSession loaded = reopened.findSession(session.id()).orElseThrow();
        assertEquals("First", loaded.title());
        assertEquals("smollm2:135m", loaded.model());
        assertEquals(2, loaded.messageCount());
        List<ChatMessage> messages = reopened.messages(session.id());
        assertEquals(List.of("hello", "ünïcödé ✓\nsecond line"), messages.stream().map(ChatMessage::content).toList());
        assertTrue(reopened.recoveryReports().isEmpty());
    }

    @Test
    void skipsAndReportsTornLastLineAfterCrash() throws Exception {
        JsonlChatStore store = newStore();
        ChatSession session = store.createSession(new NewSession("Crash", null));
        store.appendMessage(session.id(), userMessage("m1", "survives"));
        Path file = dataDir.resolve("chats").resolve(session.id() + ".jsonl");
        Files.writeString(file, "{\"id\":\"m2\",\"role\":\"user\",\"content\":\"cut sh", StandardOpenOption.APPEND);

        JsonlChatStore reopened = newStore();
        assertEquals(List.of("survives"), reopened.messages(session.id()).stream().map(ChatMessage::content).toList());
        assertEquals(1, reopened.recoveryReports().size(), reopened.recoveryReports().toString());

        reopened.appendMessage(session.id(), userMessage("m3", "after the crash"));
        assertEquals(List.of("survives", "after the crash"),
                newStore().messages(session.id()).stream().map(ChatMessage::content).toList());
    }

    @Test
    void rewritesSessionsFileAtomicallyLeavingNoTempFile() throws Exception {
        JsonlChatStore store = newStore();
        ChatSession session = store.createSession(new NewSession("Before", null));
        store.updateSession(session.id(), new SessionPatch("After", "other"));
        Path chats = dataDir.resolve("chats");
        assertFalse(Files.exists(chats.resolve("sessions.json.tmp")));
        String content = Files.readString(chats.resolve("sessions.json"), StandardCharsets.UTF_8);
        assertTrue(content.contains("\"After\""), content);
        assertFalse(content.contains("\"Before\""), content);
    }

    @Test
    void aStaleTempFileFromACrashDoesNotReplaceTheSessionList() throws Exception {
        JsonlChatStore store = newStore();
        ChatSession session = store.createSession(new NewSession("Kept", null));
        Files.writeString(dataDir.resolve("chats").resolve("sessions.json.tmp"), "[{\"id\":\"chat_half");
        assertEquals("Kept", newStore().findSession(session.id()).orElseThrow().title());
    }

    @Test
    void recoversSessionsMissingFromAnUnreadableSessionsFile() throws Exception {
        JsonlChatStore store = newStore();
        ChatSession session = store.createSession(new NewSession("Lost title", null));
        store.appendMessage(session.id(), userMessage("m1", "still here"));
        Files.writeString(dataDir.resolve("chats").resolve("sessions.json"), "{not json");

        JsonlChatStore reopened = newStore();
        assertEquals(List.of("still here"), reopened.messages(session.id()).stream().map(ChatMessage::content).toList());
        assertFalse(reopened.recoveryReports().isEmpty());
    }

    @Test
    void concurrentAppendsToSameAndDifferentSessionsAreAllKept() throws Exception {
        JsonlChatStore store = newStore();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(store.createSession(new NewSession("s" + i, null)).id());
        }
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    String sessionId = ids.get((thread + i) % ids.size());
                    store.appendMessage(sessionId, userMessage("t" + thread + "-" + i, "x".repeat(1000 + i)));
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        JsonlChatStore reopened = newStore();
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (String id : ids) {
            List<ChatMessage> messages = reopened.messages(id);
            total += messages.size();
            messages.forEach(m -> seen.add(m.id()));
            assertEquals(messages.size(), reopened.findSession(id).orElseThrow().messageCount());
        }
        assertEquals(8 * perThread, total);
        assertEquals(8 * perThread, seen.size());
        assertTrue(reopened.recoveryReports().isEmpty(), reopened.recoveryReports().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "chat_../../x", "", "chat_ABCDEF0123456789", "chat_0123456789ab/..", "sessions"})
    void rejectsInvalidSessionIdsBeforeTouchingDisk(String badId) {
        JsonlChatStore store = newStore();
        NeutronException e = assertThrows(NeutronException.class, () -> store.messages(badId));
        assertEquals(ErrorCode.INVALID_SESSION_ID, e.code());
        assertThrows(NeutronException.class, () -> store.deleteSession(badId));
    }

    @Test
    void unknownSessionIsNotFoundAndDeleteOfMissingSessionReportsFalse() {
        JsonlChatStore store = newStore();
        NeutronException e = assertThrows(NeutronException.class, () -> store.messages("chat_0123456789abcdef"));
        assertEquals(ErrorCode.SESSION_NOT_FOUND, e.code());
        assertFalse(store.deleteSession("chat_0123456789abcdef"));
    }

    @Test
    void deleteRemovesSessionAndItsHistoryFile() {
        JsonlChatStore store = newStore();
        ChatSession keep = store.createSession(new NewSession("keep", null));
        ChatSession drop = store.createSession(new NewSession("drop", null));
        store.appendMessage(drop.id(), userMessage("m1", "bye"));
        assertTrue(store.deleteSession(drop.id()));
        assertFalse(Files.exists(dataDir.resolve("chats").resolve(drop.id() + ".jsonl")));
        JsonlChatStore reopened = newStore();
        assertEquals(List.of(keep.id()), reopened.listSessions().stream().map(ChatSession::id).toList());
    }

    @Test
    void listsMostRecentlyUpdatedFirstAndTruncatesHugeTitles() {
        JsonlChatStore store = newStore();
        ChatSession older = store.createSession(new NewSession("older", null));
        ChatSession newer = store.createSession(new NewSession("t".repeat(10_000), null));
        assertEquals(200, newer.title().length());
        store.appendMessage(older.id(), userMessage("m1", "bump"));
        assertEquals(older.id(), store.listSessions().get(0).id());
    }
}
