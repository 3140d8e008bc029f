package dev.neutron.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.GenerationStats;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link ChatStore} must do, whatever it keeps its data in. A store module runs it by subclassing:
 * {@link #newStore()} gives a store over fresh, empty storage; {@link #reopen(ChatStore)} a second instance over the
 * same storage, as after a restart. The JSONL store and the JDBC store both pass it unchanged. The tree cases are in
 * {@link ConversationTreeContract} and {@link BranchDeleteContract}, a chat's controls in {@link ChatControlsContract},
 * which it extends.
 */
public abstract class ChatStoreContract extends ChatControlsContract {
    private static final String UNKNOWN_ID = "chat_0123456789abcdef";

    private static void pause() throws InterruptedException {
        Thread.sleep(3); // distinct timestamps for ordering assertions
    }

    @Test
    void anEmptyStoreListsNoSessions() {
        assertEquals(List.of(), store.listSessions());
    }

    @Test
    void createsSessionsWithServerSideIdsAndDefaults() {
        ChatSession plain = store.createSession(new NewSession(null, null));
        ChatSession named = store.createSession(new NewSession("  Trip plans  ", " smollm2:135m "));
        ChatSession blank = store.createSession(new NewSession("   ", "  "));
        for (ChatSession session : List.of(plain, named, blank)) {
            assertTrue(session.id().matches("chat_[0-9a-f]{16}"), session.id());
            assertTrue(session.id().matches(ChatSession.ID_PATTERN), session.id());
            assertEquals(0, session.messageCount());
            assertEquals(session.createdAt(), session.updatedAt());
            assertEquals(Optional.of(session), store.findSession(session.id()));
        }
        assertEquals("New chat", plain.title());
        assertNull(plain.model());
        assertEquals("Trip plans", named.title());
        assertEquals("smollm2:135m", named.model());
        assertEquals("New chat", blank.title());
        assertNull(blank.model(), "a blank model means the default model");
        assertEquals(3, Set.of(plain.id(), named.id(), blank.id()).size());
    }

    @Test
    void listsTheMostRecentlyUpdatedSessionFirst() throws Exception {
        ChatSession a = store.createSession(new NewSession("a", null));
        pause();
        ChatSession b = store.createSession(new NewSession("b", null));
        pause();
        ChatSession c = store.createSession(new NewSession("c", null));
        assertEquals(List.of(c.id(), b.id(), a.id()), store.listSessions().stream().map(ChatSession::id).toList());
        pause();
        store.appendMessage(a.id(), message("m1", MessageRole.user, "bump a"));
        assertEquals(List.of(a.id(), c.id(), b.id()), store.listSessions().stream().map(ChatSession::id).toList());
        pause();
        store.updateSession(b.id(), new SessionPatch("b renamed", null));
        assertEquals(List.of(b.id(), a.id(), c.id()), store.listSessions().stream().map(ChatSession::id).toList());
    }

    @Test
    void updatesTitleAndModelAndLeavesNullFieldsAlone() throws Exception {
        ChatSession created = store.createSession(new NewSession("Before", "model-a"));
        pause();
        ChatSession renamed = store.updateSession(created.id(), new SessionPatch("After", null));
        assertEquals("After", renamed.title());
        assertEquals("model-a", renamed.model());
        assertEquals(created.createdAt(), renamed.createdAt());
        assertTrue(renamed.updatedAt().isAfter(created.updatedAt()), "a rename moves updatedAt");

        ChatSession switched = store.updateSession(created.id(), new SessionPatch(null, "model-b"));
        assertEquals("After", switched.title());
        assertEquals("model-b", switched.model());

        ChatSession defaulted = store.updateSession(created.id(), new SessionPatch(null, " "));
        assertNull(defaulted.model(), "a blank model goes back to the default model");
        ChatSession untitled = store.updateSession(created.id(), new SessionPatch("", null));
        assertEquals("New chat", untitled.title());
        assertEquals(Optional.of(untitled), store.findSession(created.id()));
    }

    @Test
    void deletesASessionWithItsMessagesAndNothingElse() {
        ChatSession keep = store.createSession(new NewSession("keep", null));
        ChatSession drop = store.createSession(new NewSession("drop", null));
        store.appendMessage(keep.id(), message("k1", MessageRole.user, "stays"));
        store.appendMessage(drop.id(), message("d1", MessageRole.user, "goes"));

        assertTrue(store.deleteSession(drop.id()));
        assertEquals(Optional.empty(), store.findSession(drop.id()));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.messages(drop.id()));
        assertFalse(store.deleteSession(drop.id()), "a second delete finds nothing");
        assertEquals(List.of(keep.id()), store.listSessions().stream().map(ChatSession::id).toList());
        assertEquals(List.of("k1"), ids(store.messages(keep.id())));
    }

    @Test
    void readsMessagesBackInAppendOrderWhateverTheirTimestamps() throws Exception {
        ChatSession session = store.createSession(new NewSession("order", null));
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<String> appended = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = "m" + i;
            // timestamps deliberately out of order: the history is the append order, not a sort
            Instant at = base.plusSeconds((i * 7L) % 11);
            store.appendMessage(session.id(), new ChatMessage(id, i % 2 == 0 ? MessageRole.user : MessageRole.assistant,
                    "message " + i, "m", at, MessageStatus.complete, List.of(), null, null));
            appended.add(id);
        }
        assertEquals(appended, ids(store.messages(session.id())));
        ChatSession after = store.findSession(session.id()).orElseThrow();
        assertEquals(30, after.messageCount());
        assertFalse(after.updatedAt().isBefore(session.updatedAt()));
    }

    @Test
    void keepsEveryFieldOfAMessageExactly() {
        ChatSession session = store.createSession(new NewSession("fields", null));
        ChatMessage full = new ChatMessage("msg_0586b93990814d0bb850b86422bd43e0", MessageRole.assistant, "partial answer",
                "smollm2-pirate:135m", Instant.parse("2026-11-26T21:11:19.634170705Z"), MessageStatus.error,
                List.of("att_0123456789abcdef", "att_fedcba9876543210"),
                new ChatMessage.ErrorInfo("provider_timeout", "Ollama went silent for 120 s."),
                new GenerationStats(46, 24, 487L, 81L, 8192, 13, 2, "length"));
        ChatMessage bare = new ChatMessage("m-bare", MessageRole.system, "", null, null, MessageStatus.stopped, null,
                null, new GenerationStats(null, null, null, null, 0, 0, 0, null));
        assertEquals(full, store.appendMessage(session.id(), full), "the first message has no parent");
        assertEquals(bare.withParentId(full.id()), store.appendMessage(session.id(), bare));
        assertEquals(List.of(full, bare.withParentId(full.id())), store.messages(session.id()));
    }

    @Test
    void keepsUnicodeAndControlCharactersIntact() throws Exception {
        String text = "ünïcödé ✓ 日本語 עברית 👩‍👩‍👧 e\u0301 \"quotes\" \\backslash\\ tab\tnew\nline\r\n nul\u0000end";
        ChatSession session = store.createSession(new NewSession("Заметки 📝 " + text, "modèle"));
        store.appendMessage(session.id(), message("u1", MessageRole.user, text));
        assertEquals(text, store.messages(session.id()).get(0).content());
        ChatSession reopened = restart().findSession(session.id()).orElseThrow();
        assertEquals(text, store.messages(session.id()).get(0).content());
        assertTrue(reopened.title().startsWith("Заметки 📝 ünïcödé ✓ 日本語"), reopened.title());
        assertFalse(reopened.title().chars().anyMatch(Character::isISOControl), "control characters leave titles");
        assertEquals("modèle", reopened.model());
    }

    @Test
    void keepsEveryAppendOfEightConcurrentWriters() throws Exception {
        List<String> sessionIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sessionIds.add(store.createSession(new NewSession("s" + i, null)).id());
        }
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String sessionId = sessionIds.get((thread + i) % sessionIds.size());
                        store.appendMessage(sessionId, message("t" + thread + "-" + i, MessageRole.user, "x".repeat(100 + i)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        ChatStore reopened = restart();
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (String id : sessionIds) {
            List<ChatMessage> messages = reopened.messages(id);
            total += messages.size();
            messages.forEach(m -> seen.add(m.id()));
            assertEquals(messages.size(), reopened.findSession(id).orElseThrow().messageCount(), "messageCount of " + id);
            // each writer's own messages keep its order within a session
            Map<String, Integer> lastIndex = new HashMap<>();
            for (ChatMessage m : messages) {
                String[] parts = m.id().substring(1).split("-");
                int index = Integer.parseInt(parts[1]);
                Integer previous = lastIndex.put(parts[0], index);
                assertTrue(previous == null || previous < index, "writer " + parts[0] + " out of order in " + id);
            }
        }
        assertEquals(threads * perThread, total);
        assertEquals(threads * perThread, seen.size());
    }

    @Test
    void createsDistinctSessionsUnderConcurrency() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<String> created = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        ChatSession s = store.createSession(new NewSession("t" + thread + "-" + i, null));
                        store.updateSession(s.id(), new SessionPatch("renamed t" + thread + "-" + i, null));
                        created.add(s.id());
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(120, created.size());
        List<ChatSession> listed = restart().listSessions();
        assertEquals(created, new HashSet<>(listed.stream().map(ChatSession::id).toList()));
        assertTrue(listed.stream().allMatch(s -> s.title().startsWith("renamed ")), "every rename was kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "chat_../../x", "", "chat_", "chat_ABCDEF0123456789",
            "chat_0123456789ab/..", "chat_0123456789abcdef\n", "sessions", "chat_0123456789abcdef' OR '1'='1",
            "chat_012345678", "chat_0123456789abcdef0123456789abcdef0"})
    void rejectsInvalidSessionIdsOnEveryCall(String badId) {
        ChatMessage m = message("m1", MessageRole.user, "x");
        List<Executable> calls = List.of(
                () -> store.findSession(badId),
                () -> store.updateSession(badId, new SessionPatch("t", null)),
                () -> store.deleteSession(badId),
                () -> store.appendMessage(badId, m),
                () -> store.messages(badId),
                () -> store.importMessages(badId, List.of(m)),
                () -> store.importSession(new ChatSession(badId, "t", null, Instant.now(), Instant.now(), 0)));
        for (Executable call : calls) {
            assertCode(ErrorCode.INVALID_SESSION_ID, call);
        }
        assertCode(ErrorCode.INVALID_SESSION_ID, () -> store.findSession(null));
        assertEquals(List.of(), store.listSessions(), "nothing was created");
    }

    @Test
    void anUnknownSessionIsNotFound() {
        assertEquals(Optional.empty(), store.findSession(UNKNOWN_ID));
        assertFalse(store.deleteSession(UNKNOWN_ID));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.updateSession(UNKNOWN_ID, new SessionPatch("t", null)));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.appendMessage(UNKNOWN_ID, message("m1", MessageRole.user, "x")));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.messages(UNKNOWN_ID));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.importMessages(UNKNOWN_ID, List.of(message("m1", MessageRole.user, "x"))));
        assertEquals(List.of(), store.listSessions());
    }

    @Test
    void capsTitlesAtTwoHundredCharacters() {
        int max = ChatSession.MAX_TITLE_CHARS;
        assertEquals(200, max);
        ChatSession created = store.createSession(new NewSession("t".repeat(10_000), null));
        assertEquals("t".repeat(max), created.title());
        ChatSession renamed = store.updateSession(created.id(), new SessionPatch("r".repeat(max + 1), null));
        assertEquals("r".repeat(max), renamed.title());
        ChatSession imported = new ChatSession("chat_00000000000000aa", "i".repeat(500), null, Instant.now(), Instant.now(), 0);
        assertTrue(store.importSession(imported));
        assertEquals("i".repeat(max), store.findSession(imported.id()).orElseThrow().title());
        ChatSession control = store.createSession(new NewSession("line\nbreak\tand\u0007bell", null));
        assertEquals("line break and bell", control.title());
    }

    @Test
    void neverCutsATitleBetweenTheHalvesOfAnEmoji() throws Exception {
        String title = "a".repeat(ChatSession.MAX_TITLE_CHARS - 1) + "😀 and more";
        ChatSession created = store.createSession(new NewSession(title, null));
        assertEquals("a".repeat(ChatSession.MAX_TITLE_CHARS - 1), created.title());
        assertEquals(Optional.of(created), restart().findSession(created.id()));
    }

    @Test
    void aTitleOfOnlyControlCharactersIsNewChat() {
        ChatSession created = store.createSession(new NewSession("\u0007\u0000\u001b", null));
        assertEquals("New chat", created.title());
        assertEquals("New chat", store.updateSession(created.id(), new SessionPatch("\u0000", null)).title());
    }

    @Test
    void keepsSessionsAndMessagesInANewInstance() throws Exception {
        ChatSession first = store.createSession(new NewSession("First", "smollm2:135m"));
        ChatSession second = store.createSession(new NewSession("Second", null));
        ChatMessage question = message("m1", MessageRole.user, "hello");
        ChatMessage answer = message("m2", MessageRole.assistant, "hi there");
        store.appendMessage(first.id(), question);
        store.appendMessage(first.id(), answer);
        ChatSession renamed = store.updateSession(second.id(), new SessionPatch("Second, renamed", null));
        List<ChatSession> before = store.listSessions();

        ChatStore reopened = restart();
        assertEquals(before, reopened.listSessions());
        assertEquals(List.of(question, answer.withParentId("m1")), reopened.messages(first.id()));
        assertEquals(Optional.of(renamed), reopened.findSession(second.id()));
        assertEquals(2, reopened.findSession(first.id()).orElseThrow().messageCount());
    }

    @Test
    void importsASessionExactlyAndOnlyOnce() throws Exception {
        ChatSession exported = new ChatSession("chat_5eed000000000001", "Imported chat", "smollm2:135m",
                Instant.parse("2025-03-04T05:06:07.123456789Z"), Instant.parse("2025-03-05T00:00:00.000000001Z"), 7);
        assertTrue(store.importSession(exported));
        ChatSession stored = store.findSession(exported.id()).orElseThrow();
        assertEquals(new ChatSession(exported.id(), exported.title(), exported.model(), exported.createdAt(),
                exported.updatedAt(), 0), stored, "as given, with no messages yet");

        ChatSession other = new ChatSession(exported.id(), "Something else", null, Instant.now(), Instant.now(), 0);
        assertFalse(store.importSession(other), "an existing id is skipped");
        assertEquals(stored, store.findSession(exported.id()).orElseThrow(), "and left as it was");
        assertEquals(Optional.of(stored), restart().findSession(exported.id()));
        assertTrue(store.createSession(new NewSession("new", null)).createdAt().isAfter(exported.updatedAt()));
    }

    @Test
    void importsMessagesInOrderSkippingThoseItHasAlready() throws Exception {
        ChatSession session = new ChatSession("chat_5eed000000000002", "history", null,
                Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-02T00:00:00Z"), 0);
        store.importSession(session);
        List<ChatMessage> first = IntStream.range(0, 3).mapToObj(i -> message("i" + i, MessageRole.user, "m" + i)).toList();
        assertEquals(3, store.importMessages(session.id(), first));
        List<ChatMessage> overlapping = List.of(first.get(1), first.get(2), message("i3", MessageRole.assistant, "m3"),
                message("i4", MessageRole.user, "m4"), message("i3", MessageRole.assistant, "duplicate in the batch"));
        assertEquals(2, store.importMessages(session.id(), overlapping));
        assertEquals(0, store.importMessages(session.id(), overlapping), "importing again adds nothing");
        assertEquals(0, store.importMessages(session.id(), List.of()));

        assertEquals(List.of("i0", "i1", "i2", "i3", "i4"), ids(store.messages(session.id())));
        assertEquals("m3", store.messages(session.id()).get(3).content());
        ChatSession after = store.findSession(session.id()).orElseThrow();
        assertEquals(5, after.messageCount());
        assertEquals(session.updatedAt(), after.updatedAt(), "an import keeps the exported updatedAt");

        store.appendMessage(session.id(), message("live", MessageRole.user, "after the import"));
        assertEquals(List.of("i0", "i1", "i2", "i3", "i4", "live"), ids(restart().messages(session.id())));
        assertEquals(6, store.findSession(session.id()).orElseThrow().messageCount());
    }

    @Test
    void refusesToImportAMessageWithoutAnId() {
        ChatSession session = store.createSession(new NewSession("t", null));
        Consumer<String> importWithId = id -> store.importMessages(session.id(), List.of(message(id, MessageRole.user, "x")));
        assertCode(ErrorCode.INVALID_REQUEST, () -> importWithId.accept(null));
        assertCode(ErrorCode.INVALID_REQUEST, () -> importWithId.accept(" "));
        assertEquals(List.of(), store.messages(session.id()));
    }
}
