package dev.neutron.store.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import dev.neutron.store.codec.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void aNewChatHasItsEmptyHistoryFileSoItsFirstQuestionNeedNotCreateOne() throws Exception {
        JsonlChatStore store = newStore();
        ChatSession session = store.createSession(new NewSession("Empty", null));
        Path history = dataDir.resolve("chats").resolve(session.id() + ".jsonl");
        assertEquals(0, Files.size(history));

        JsonlChatStore restarted = newStore();
        assertEquals(List.of(), restarted.recoveryReports());
        assertEquals(0, restarted.findSession(session.id()).orElseThrow().messageCount());
        assertEquals(0, Files.size(history), "an empty history its chat lists is kept at start");
        restarted.appendMessage(session.id(), userMessage("m1", "first"));
        assertEquals(List.of("first"), newStore().messages(session.id()).stream().map(ChatMessage::content).toList());
    }

    @Test
    void writesEachMessageAsOneCodecLineAndTheSessionListAsTheCodecWritesIt() throws Exception {
        JsonlChatStore store = newStore();
        ChatSession session = store.createSession(new NewSession("Lines", null));
        ChatMessage first = userMessage("m1", "one\nline");
        ChatMessage second = userMessage("m2", "nul \u0000 ✓");
        store.appendMessage(session.id(), first);
        store.importMessages(session.id(), List.of(second));

        Path chats = dataDir.resolve("chats");
        // the first message has no parent field; the next names its parent, so the chat stays a tree on disk
        assertEquals(MessageCodec.write(first) + "\n" + MessageCodec.write(second.withParentId("m1")) + "\n",
                Files.readString(chats.resolve(session.id() + ".jsonl"), StandardCharsets.UTF_8));
        // the appends are in sessions.journal; the next start writes them into sessions.json
        List<ChatSession> sessions = store.listSessions();
        newStore();
        assertEquals(sessions, SessionsFile.sessions(chats));
        // with the size of each history, so that the next start need not read it
        assertEquals(SessionsFile.actualHistoryBytes(chats, sessions), SessionsFile.historyBytes(chats));
        assertFalse(Files.exists(chats.resolve("sessions.journal")));
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
        newStore(); // writes the journal into sessions.json
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
        List<String> reports = reopened.recoveryReports();
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.get(0).matches("(?s)sessions\\.json could not be read \\(.*\\); kept it as sessions\\.json\\.corrupt-\\d+ "
                + "and rebuilt the session list from the history files"), reports.get(0));
        // the append's line in sessions.journal still holds the session as it was, title included
        assertEquals("Lost title", reopened.findSession(session.id()).orElseThrow().title());

        Files.writeString(dataDir.resolve("chats").resolve("sessions.json"), "{not json");
        JsonlChatStore third = newStore(); // the journal was written into the lost sessions.json by the start
        assertEquals("Recovered chat " + session.id() + " from its history file (it was missing from sessions.json)",
                third.recoveryReports().get(1));
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
    void importWritesTheHistoryFileAndSurvivesALostSessionsFile() throws Exception {
        JsonlChatStore store = newStore();
        ChatSession imported = new ChatSession("chat_5eed0000000000aa", "Imported", null,
                Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-02T00:00:00Z"), 0);
        assertTrue(store.importSession(imported));
        assertEquals(2, store.importMessages(imported.id(), List.of(userMessage("a", "one"), userMessage("b", "two"))));
        Path history = dataDir.resolve("chats").resolve(imported.id() + ".jsonl");
        assertEquals(2, Files.readAllLines(history).size());
        // the session list lost: sessions.json (none written yet) and sessions.journal
        assertFalse(Files.exists(dataDir.resolve("chats").resolve("sessions.json")));
        Files.delete(dataDir.resolve("chats").resolve(SessionJournal.FILE));
        assertEquals(List.of("one", "two"), newStore().messages(imported.id()).stream().map(ChatMessage::content).toList());
    }
}
