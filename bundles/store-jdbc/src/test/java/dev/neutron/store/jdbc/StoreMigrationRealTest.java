package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.GenerationStats;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import dev.neutron.store.codec.MessageCodec;
import dev.neutron.store.jsonl.JsonlChatStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moving chats from the real JSONL store into a real PostgreSQL: exact, idempotent, and lossless around a switch. */
class StoreMigrationRealTest {
    private static TestDatabase database;

    @TempDir
    Path dataDir;
    private JsonlChatStore jsonl;
    private HikariDataSource pool;
    private JdbcChatStore postgres;
    private StoreMigration migration;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void openStores() throws Exception {
        pool = database.pool(4);
        postgres = database.store(pool);
        database.sql("TRUNCATE neutron_sessions, neutron_messages, neutron_migrated_sessions, neutron_store_migrations");
        jsonl = new JsonlChatStore(dataDir, Clock.systemUTC());
        migration = new StoreMigration(postgres, jsonl, "jsonl");
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    private static ChatMessage message(String id, MessageRole role, String content) {
        return new ChatMessage(id, role, content, "smollm2:135m", Instant.now(), MessageStatus.complete, List.of(), null, null);
    }

    private static List<String> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    private void assertSameChats() {
        assertEquals(jsonl.listSessions(), postgres.listSessions());
        for (ChatSession session : jsonl.listSessions()) {
            assertEquals(jsonl.messages(session.id()), postgres.messages(session.id()), "messages of " + session.id());
            assertEquals(jsonl.allMessages(session.id()), postgres.allMessages(session.id()), "tree of " + session.id());
        }
    }

    @Test
    void keepsTheTreeItsOrderAndTheActiveLeaf() throws Exception {
        ChatSession branched = jsonl.createSession(new NewSession("Branched", null));
        for (String id : List.of("q1", "a1", "q2", "a2")) {
            jsonl.appendMessage(branched.id(), message(id, id.startsWith("q") ? MessageRole.user : MessageRole.assistant, id));
        }
        jsonl.appendMessage(branched.id(), message("q2b", MessageRole.user, "edited").withParentId("a1"));
        jsonl.appendMessage(branched.id(), message("a2b", MessageRole.assistant, "new answer"));
        jsonl.setActiveLeaf(branched.id(), "a2");
        // a chat written before trees: lines without parentId, no leaf in sessions.json
        ChatSession old = jsonl.createSession(new NewSession("Old", null));
        Files.writeString(dataDir.resolve("chats").resolve(old.id() + ".jsonl"),
                MessageCodec.write(message("o1", MessageRole.user, "q")) + "\n"
                        + MessageCodec.write(message("o2", MessageRole.assistant, "a")) + "\n");
        jsonl = new JsonlChatStore(dataDir, Clock.systemUTC());
        migration = new StoreMigration(postgres, jsonl, "jsonl");

        migration.syncAll();
        assertSameChats();
        assertEquals(List.of("q1", "a1", "q2", "a2", "q2b", "a2b"), ids(postgres.allMessages(branched.id())));
        assertEquals(Arrays.asList(null, "q1", "a1", "q2", "a1", "q2b"),
                postgres.allMessages(branched.id()).stream().map(ChatMessage::parentId).toList());
        assertEquals(List.of("q1", "a1", "q2", "a2"), ids(postgres.messages(branched.id())));
        assertEquals("a2", postgres.findSession(branched.id()).orElseThrow().activeLeafId());
        assertEquals(Arrays.asList(null, "o1"), postgres.messages(old.id()).stream().map(ChatMessage::parentId).toList());
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, parent_id FROM neutron_messages WHERE session_id = '"
                        + branched.id() + "' ORDER BY seq")) {
            List<String> pairs = new ArrayList<>();
            while (rows.next()) {
                pairs.add(rows.getString(1) + "<" + rows.getString(2));
            }
            assertEquals(List.of("q1<null", "a1<q1", "q2<a1", "a2<q2", "q2b<a1", "a2b<q2b"), pairs, "the parent_id column");
        }

        jsonl.setActiveLeaf(branched.id(), "a2b");
        jsonl.appendMessage(branched.id(), message("q3", MessageRole.user, "later, on the new branch"));
        migration.syncAll();
        assertSameChats();
        assertEquals(List.of("q1", "a1", "q2b", "a2b", "q3"), ids(postgres.messages(branched.id())));
    }

    @Test
    void copiesEverySessionAndMessageExactly() {
        ChatSession first = jsonl.createSession(new NewSession("Première 📝", "smollm2:135m"));
        ChatSession second = jsonl.createSession(new NewSession("Second", null));
        jsonl.createSession(new NewSession("Empty", null));
        jsonl.appendMessage(first.id(), message("q1", MessageRole.user, "ünïcödé ✓\nnul\u0000"));
        jsonl.appendMessage(first.id(), new ChatMessage("a1", MessageRole.assistant, "partial", "smollm2:135m",
                Instant.parse("2026-11-26T21:11:19.634170705Z"), MessageStatus.error, List.of("att_0123456789abcdef"),
                new ChatMessage.ErrorInfo("provider_timeout", "silent"), new GenerationStats(1, 2, 3L, 4L, 8192, 5, 0, "stop")));
        for (int i = 0; i < 50; i++) {
            jsonl.appendMessage(second.id(), message("s" + i, i % 2 == 0 ? MessageRole.user : MessageRole.assistant, "turn " + i));
        }

        assertEquals(3, migration.syncAll());
        assertSameChats();
        assertEquals(3, migration.sessionsCopied());
        assertEquals(52, migration.messagesCopied());
        assertEquals(0, migration.syncAll(), "a second pass finds nothing to do");
    }

    @Test
    void carriesEachChatsSettingsTitleOwnerThinkingAndOptionsAcross() {
        ChatSettings pirate = new ChatSettings("Talk like a pirate.", Map.of("temperature", 0.0, "seed", 42L), "high");
        ChatSession auto = jsonl.createSession(new NewSession(null, null, pirate));
        ChatSession named = jsonl.createSession(new NewSession("Mine", null));
        jsonl.appendMessage(auto.id(), message("q1", MessageRole.user, "6*7?"));
        jsonl.appendMessage(auto.id(), new ChatMessage("a1", MessageRole.assistant, "42", "qwen3", Instant.now(),
                MessageStatus.complete, List.of(), null, new GenerationStats(1, 2, 3L, 4L, 8192, 5, 0, "stop",
                        Map.of("seed", 42L, "num_ctx", 8192L), 700L), null, "six sevens"));
        jsonl.updateSession(auto.id(), SessionPatch.autoTitle("Multiplication"));
        migration.syncAll();
        assertSameChats();
        assertEquals(pirate, postgres.findSession(auto.id()).orElseThrow().settings());
        assertTrue(postgres.findSession(auto.id()).orElseThrow().autoTitle());
        assertFalse(postgres.findSession(named.id()).orElseThrow().autoTitle());
        assertEquals("six sevens", postgres.messages(auto.id()).get(1).thinking());

        // changed in the source after the copy: taken over, the settings replaced whole
        ChatSettings brief = new ChatSettings("Be brief.", Map.of(), null);
        jsonl.updateSession(named.id(), SessionPatch.settings(brief));
        jsonl.updateSession(auto.id(), SessionPatch.autoTitle("Times tables"));
        assertEquals(2, migration.syncAll());
        assertSameChats();
        assertEquals(brief, postgres.findSession(named.id()).orElseThrow().settings());
        assertEquals("Times tables", postgres.findSession(auto.id()).orElseThrow().title());
        assertEquals(0, migration.syncAll());
    }

    @Test
    void aUserTitleGivenHereIsNotReplacedByAnAutoTitleWrittenToTheSource() {
        ChatSession auto = jsonl.createSession(new NewSession(null, null));
        migration.syncAll();
        postgres.updateSession(auto.id(), new SessionPatch("Named here", null));
        jsonl.updateSession(auto.id(), SessionPatch.autoTitle("The model's title"));
        migration.syncAll();
        ChatSession here = postgres.findSession(auto.id()).orElseThrow();
        assertEquals("Named here", here.title());
        assertFalse(here.autoTitle());
    }

    @Test
    void takesOverWhatTheSourceGotAfterTheCopy() {
        ChatSession renamed = jsonl.createSession(new NewSession("Old title", null));
        ChatSession growing = jsonl.createSession(new NewSession("Growing", null));
        jsonl.appendMessage(growing.id(), message("g1", MessageRole.user, "first"));
        migration.syncAll();

        jsonl.updateSession(renamed.id(), new SessionPatch("New title", "smollm2-pirate:135m"));
        jsonl.appendMessage(growing.id(), message("g2", MessageRole.assistant, "second"));
        ChatSession late = jsonl.createSession(new NewSession("Created during the copy", null));
        jsonl.appendMessage(late.id(), message("l1", MessageRole.user, "late"));

        assertEquals(3, migration.syncAll());
        assertSameChats();
        assertEquals(0, migration.syncAll());
    }

    @Test
    void keepsAQuestionWrittenToTheSourceAheadOfItsAnswerWrittenHere() throws Exception {
        ChatSession session = jsonl.createSession(new NewSession("Switch", null));
        jsonl.appendMessage(session.id(), message("q1", MessageRole.user, "before"));
        jsonl.appendMessage(session.id(), message("a1", MessageRole.assistant, "before"));
        migration.syncAll();

        // a request that picked up the source just before the switch stores the question there...
        jsonl.appendMessage(session.id(), message("q2", MessageRole.user, "during the switch"));
        Thread.sleep(5);
        // ...and the engine stores the answer in the new store once it is active
        postgres.appendMessage(session.id(), message("a2", MessageRole.assistant, "after the switch"));

        migration.syncAll();
        assertEquals(List.of("q1", "a1", "q2", "a2"), ids(postgres.messages(session.id())));
        assertEquals(4, postgres.findSession(session.id()).orElseThrow().messageCount());
    }

    @Test
    void aQuestionWrittenBetweenTheListingAndTheReadMovesTheLeafToIt() throws Exception {
        ChatSession session = jsonl.createSession(new NewSession("Racing the pass", null));
        jsonl.appendMessage(session.id(), message("q1", MessageRole.user, "before"));
        jsonl.appendMessage(session.id(), message("a1", MessageRole.assistant, "before"));
        migration.syncAll();
        jsonl.appendMessage(session.id(), message("q2", MessageRole.user, "after the copy"));
        jsonl.appendMessage(session.id(), message("a2", MessageRole.assistant, "after the copy"));

        // the pass lists the sessions, then a question lands in the source before the pass reads that chat's history
        ChatStore listedEarly = new ListingBeforeWrite(jsonl, () -> jsonl.appendMessage(session.id(),
                message("q3", MessageRole.user, "between the listing and the read")));
        new StoreMigration(postgres, listedEarly, "jsonl").syncAll();
        assertEquals("q3", postgres.findSession(session.id()).orElseThrow().activeLeafId());

        // the answer, stored here after the switch, follows the question instead of becoming its sibling
        postgres.appendMessage(session.id(), message("a3", MessageRole.assistant, "after the switch"));
        assertEquals(List.of("q1", "a1", "q2", "a2", "q3", "a3"), ids(postgres.messages(session.id())));
        assertEquals(6, postgres.findSession(session.id()).orElseThrow().messageCount());
    }

    @Test
    void putsSourceMessagesNewerThanThoseWrittenHereAtTheEnd() throws Exception {
        ChatSession session = jsonl.createSession(new NewSession("Gap", null));
        jsonl.appendMessage(session.id(), message("m1", MessageRole.user, "copied"));
        migration.syncAll();
        postgres.appendMessage(session.id(), message("p1", MessageRole.assistant, "written here"));
        postgres.appendMessage(session.id(), message("p2", MessageRole.user, "written here"));
        Thread.sleep(5);
        // written to the source while the PostgreSQL store was not active (e.g. during a restart)
        jsonl.appendMessage(session.id(), message("m2", MessageRole.user, "written there later"));

        migration.syncAll();
        assertEquals(List.of("m1", "p1", "p2", "m2"), ids(postgres.messages(session.id())));
    }

    @Test
    void neverBringsBackASessionDeletedHere() {
        ChatSession session = jsonl.createSession(new NewSession("Deleted here", null));
        jsonl.appendMessage(session.id(), message("m1", MessageRole.user, "x"));
        migration.syncAll();
        assertTrue(postgres.deleteSession(session.id()));

        jsonl.appendMessage(session.id(), message("m2", MessageRole.user, "still written there"));
        migration.syncAll();
        assertEquals(Optional.empty(), postgres.findSession(session.id()));
        assertEquals(0, new StoreMigration(postgres, jsonl, "jsonl").syncAll(), "not even by a later run");
        assertEquals(Optional.empty(), postgres.findSession(session.id()));
    }

    @Test
    void deletesWhatTheSourceDeletedUnlessItChangedHere() {
        ChatSession untouched = jsonl.createSession(new NewSession("Deleted there", null));
        ChatSession changed = jsonl.createSession(new NewSession("Deleted there, written here", null));
        migration.syncAll();
        postgres.appendMessage(changed.id(), message("p1", MessageRole.user, "written here after the switch"));

        jsonl.deleteSession(untouched.id());
        jsonl.deleteSession(changed.id());
        assertEquals(1, migration.syncAll());
        assertEquals(Optional.empty(), postgres.findSession(untouched.id()));
        assertEquals(List.of("p1"), ids(postgres.messages(changed.id())));
        assertEquals(1, migration.sessionsDeleted());
    }

    @Test
    void aTitleChangedOnBothSidesKeepsTheOneWrittenHere() {
        ChatSession both = jsonl.createSession(new NewSession("Original", "model-a"));
        migration.syncAll();
        jsonl.updateSession(both.id(), new SessionPatch("Renamed there", "model-b"));
        postgres.updateSession(both.id(), new SessionPatch("Renamed here", null));

        migration.syncAll();
        ChatSession result = postgres.findSession(both.id()).orElseThrow();
        assertEquals("Renamed here", result.title());
        assertEquals("model-b", result.model(), "the model changed only there, so it is taken over");
    }

    @Test
    void fetchesTheQuestionOfAnAnswerStoredHereWhileTheCatchUpRuns() {
        ChatSession session = jsonl.createSession(new NewSession("Question there, answer here", null));
        jsonl.appendMessage(session.id(), message("q1", MessageRole.user, "copied"));
        migration.syncAll();
        jsonl.appendMessage(session.id(), message("a1", MessageRole.assistant, "copied"));
        jsonl.appendMessage(session.id(), message("q2", MessageRole.user, "stored there just before the switch"));

        postgres.fetchMissingSessionsFrom(migration);
        ChatMessage answer = postgres.appendMessage(session.id(),
                message("a2", MessageRole.assistant, "its answer, stored here").withParentId("q2"));
        assertEquals("q2", answer.parentId());
        assertEquals(List.of("q1", "a1", "q2", "a2"), ids(postgres.messages(session.id())));

        postgres.fetchMissingSessionsFrom(null);
        NeutronException unknown = org.junit.jupiter.api.Assertions.assertThrows(NeutronException.class, () ->
                postgres.appendMessage(session.id(), message("a3", MessageRole.assistant, "x").withParentId("nowhere")));
        assertEquals(ErrorCode.MESSAGE_NOT_FOUND, unknown.code());
    }

    @Test
    void fetchesASessionItLacksWhileTheCatchUpRuns() {
        migration.syncAll();
        ChatSession late = jsonl.createSession(new NewSession("Created at the last moment", null));
        jsonl.appendMessage(late.id(), message("q1", MessageRole.user, "question"));
        assertEquals(Optional.empty(), postgres.findSession(late.id()));

        postgres.fetchMissingSessionsFrom(migration);
        postgres.appendMessage(late.id(), message("a1", MessageRole.assistant, "answer"));
        assertEquals(List.of("q1", "a1"), ids(postgres.messages(late.id())));
        assertFalse(postgres.deleteSession("chat_0123456789abcdef"), "unknown in both stores");

        postgres.fetchMissingSessionsFrom(null);
        ChatSession later = jsonl.createSession(new NewSession("After the catch-up", null));
        assertEquals(Optional.empty(), postgres.findSession(later.id()));
    }

    @Test
    void losesNoWriteMadeToTheSourceWhileItIsCopied() throws Exception {
        for (int i = 0; i < 20; i++) {
            ChatSession s = jsonl.createSession(new NewSession("seed " + i, null));
            for (int m = 0; m < 20; m++) {
                jsonl.appendMessage(s.id(), message(s.id() + "-" + m, MessageRole.user, "seed message " + m));
            }
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        Map<String, List<String>> written = new ConcurrentHashMap<>();
        Map<String, String> titles = new ConcurrentHashMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int w = 0; w < 4; w++) {
                int writer = w;
                futures.add(writers.submit(() -> {
                    for (int n = 0; writing.get(); n++) {
                        ChatSession s = jsonl.createSession(new NewSession("w" + writer + "-" + n, null));
                        List<String> ids = new ArrayList<>();
                        for (int m = 0; m < 3; m++) {
                            String id = "w" + writer + "-" + n + "-" + m;
                            jsonl.appendMessage(s.id(), message(id, MessageRole.user, "x"));
                            ids.add(id);
                        }
                        jsonl.updateSession(s.id(), new SessionPatch("w" + writer + "-" + n + " renamed", null));
                        titles.put(s.id(), "w" + writer + "-" + n + " renamed");
                        written.put(s.id(), ids);
                    }
                    return null;
                }));
            }
            for (int pass = 0; pass < 3; pass++) {
                migration.syncAll();
            }
        } finally {
            writing.set(false);
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            writers.shutdown();
        }
        migration.syncAll(); // the catch-up pass after the last write
        assertTrue(written.size() > 10, "writers were busy during the copy: " + written.size());
        for (Map.Entry<String, List<String>> entry : written.entrySet()) {
            assertEquals(entry.getValue(), ids(postgres.messages(entry.getKey())));
            assertEquals(titles.get(entry.getKey()), postgres.findSession(entry.getKey()).orElseThrow().title());
        }
        assertSameChats();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM neutron_messages")) {
            rows.next();
            assertEquals(400 + 3 * written.size(), rows.getInt(1));
        }
    }

    @Test
    void recordsEachRunInTheMigrationsTable() throws Exception {
        jsonl.createSession(new NewSession("one", null));
        migration.begin();
        migration.syncAll();
        migration.switched();
        migration.finished();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT source, sessions_copied, switched_at IS NOT NULL, "
                        + "finished_at IS NOT NULL FROM neutron_store_migrations")) {
            assertTrue(rows.next());
            assertEquals("jsonl", rows.getString(1));
            assertEquals(1, rows.getInt(2));
            assertTrue(rows.getBoolean(3));
            assertTrue(rows.getBoolean(4));
        }
    }
}
