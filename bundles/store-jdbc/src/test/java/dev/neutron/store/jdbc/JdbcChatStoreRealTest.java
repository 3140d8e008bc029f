package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.GenerationStats;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import dev.neutron.store.codec.MessageCodec;
import dev.neutron.store.jsonl.JsonlChatStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to the PostgreSQL store, on a real PostgreSQL: rows, connections, login and database errors. */
class JdbcChatStoreRealTest {
    private static TestDatabase database;

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

    private static ChatMessage message(String id, String content) {
        return new ChatMessage(id, MessageRole.user, content, "m", Instant.parse("2026-01-02T03:04:05.123456789Z"),
                MessageStatus.complete, List.of(), null, null);
    }

    @Test
    void aDatabaseFromBeforeTreesGetsTheTreeColumnsAtStartAndItsChatsReadAsOneBranch() throws Exception {
        try (TestDatabase old = TestDatabase.create()) {
            // the two tables as the version before trees created them, with a chat in them
            old.sql("""
                    CREATE TABLE neutron_sessions (id text PRIMARY KEY, title text NOT NULL, model text,
                        created_at_ns bigint NOT NULL, updated_at_ns bigint NOT NULL, message_count integer NOT NULL DEFAULT 0)""");
            old.sql("""
                    CREATE TABLE neutron_messages (session_id text NOT NULL REFERENCES neutron_sessions (id) ON DELETE CASCADE,
                        seq integer NOT NULL, id text, record text NOT NULL, PRIMARY KEY (session_id, seq))""");
            String id = "chat_01d0000000000001";
            old.sql("INSERT INTO neutron_sessions VALUES ('" + id + "', 'old', NULL, 1, 2, 2)");
            old.sql("INSERT INTO neutron_messages VALUES ('" + id + "', 0, 'o1', '"
                    + MessageCodec.write(message("o1", "question")) + "'), ('" + id + "', 1, 'o2', '"
                    + MessageCodec.write(message("o2", "answer")) + "')");

            try (HikariDataSource pool = old.pool(2)) {
                JdbcChatStore store = old.store(pool);
                assertEquals(List.of(message("o1", "question"), message("o2", "answer").withParentId("o1")),
                        store.messages(id));
                assertEquals(null, store.findSession(id).orElseThrow().activeLeafId());
                assertEquals("o2", store.appendMessage(id, message("n3", "new")).parentId());
                assertEquals("n3", store.findSession(id).orElseThrow().activeLeafId());
                try (Connection connection = old.connect(); Statement statement = connection.createStatement()) {
                    List<String> pairs = new ArrayList<>();
                    try (ResultSet rows = statement.executeQuery(
                            "SELECT id, parent_id FROM neutron_messages WHERE session_id = '" + id + "' ORDER BY seq")) {
                        while (rows.next()) {
                            pairs.add(rows.getString(1) + "<" + rows.getString(2));
                        }
                    }
                    assertEquals(List.of("o1<null", "o2<null", "n3<o2"), pairs, "old rows are not rewritten");
                    try (ResultSet rows = statement.executeQuery(
                            "SELECT count(*) FROM pg_indexes WHERE indexname = 'neutron_messages_by_parent'")) {
                        rows.next();
                        assertEquals(1, rows.getInt(1));
                    }
                }
            }
        }
    }

    @Test
    void aDatabaseFromBefore22GetsTheSettingsColumnsAtStartAndItsChatsReadWithNoneAndAUserTitle() throws Exception {
        try (TestDatabase old = TestDatabase.create()) {
            // the tables as 2.1 (trees, no settings) created them, with a chat and a last copy in them
            old.sql("""
                    CREATE TABLE neutron_sessions (id text PRIMARY KEY, title text NOT NULL, model text,
                        created_at_ns bigint NOT NULL, updated_at_ns bigint NOT NULL, message_count integer NOT NULL DEFAULT 0,
                        active_leaf_id text)""");
            old.sql("""
                    CREATE TABLE neutron_migrated_sessions (source text NOT NULL, session_id text NOT NULL,
                        title text NOT NULL, model text, updated_at_ns bigint NOT NULL, message_count integer NOT NULL,
                        PRIMARY KEY (source, session_id))""");
            String id = "chat_01d0000000000002";
            old.sql("INSERT INTO neutron_sessions VALUES ('" + id + "', 'old', 'm', 1, 2, 0, NULL)");
            old.sql("INSERT INTO neutron_migrated_sessions VALUES ('jsonl', '" + id + "', 'old', 'm', 2, 0)");

            try (HikariDataSource pool = old.pool(2)) {
                JdbcChatStore store = old.store(pool);
                ChatSession read = store.findSession(id).orElseThrow();
                assertEquals(new ChatSession(id, "old", "m", EpochNanos.toInstant(1), EpochNanos.toInstant(2), 0), read);
                assertEquals(ChatSettings.NONE, read.settings());
                assertEquals(false, read.autoTitle());
                assertEquals(read, store.updateSession(id, SessionPatch.autoTitle("not for a chat a user named")));
                ChatSettings settings = new ChatSettings("p", Map.of("seed", 3L), "low");
                assertEquals(settings, store.updateSession(id, SessionPatch.settings(settings)).settings());
                try (Connection connection = old.connect(); Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT settings, auto_title FROM neutron_sessions")) {
                    rows.next();
                    assertEquals("{\"systemPrompt\":\"p\",\"options\":{\"seed\":3},\"think\":\"low\"}", rows.getString(1));
                    assertEquals(false, rows.getBoolean(2));
                }
                try (Connection connection = old.connect(); Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT settings, auto_title FROM neutron_migrated_sessions")) {
                    rows.next();
                    assertEquals(null, rows.getString(1), "a last copy from before 2.2 had no settings");
                    assertEquals(false, rows.getBoolean(2));
                }
            }
        }
    }

    @Test
    void unreadableSettingsInARowAreAStorageErrorNamingTheChat() throws Exception {
        try (HikariDataSource pool = database.pool(2)) {
            JdbcChatStore store = database.store(pool);
            ChatSession session = store.createSession(new NewSession("t", null));
            database.sql("UPDATE neutron_sessions SET settings = '{\"think\":' WHERE id = '" + session.id() + "'");
            NeutronException e = assertThrows(NeutronException.class, () -> store.findSession(session.id()));
            assertEquals(ErrorCode.STORAGE_ERROR, e.code());
            assertTrue(e.getMessage().startsWith("The settings of chat " + session.id() + " in the database are not readable"),
                    e.getMessage());
            database.sql("DELETE FROM neutron_sessions WHERE id = '" + session.id() + "'");
        }
    }

    /** parent_id and the record's parentId say the same after a branch delete writes out the parents old rows implied. */
    @Test
    void aBranchDeleteWritesTheImpliedParentsOfOldRowsIntoColumnAndRecord() throws Exception {
        try (HikariDataSource pool = database.pool(2)) {
            JdbcChatStore store = database.store(pool);
            String id = store.createSession(new NewSession("old rows", null)).id();
            database.sql("INSERT INTO neutron_messages (session_id, seq, id, record) VALUES ('" + id + "', 0, 'o1', '"
                    + MessageCodec.write(message("o1", "q")) + "'), ('" + id + "', 1, 'o2', '"
                    + MessageCodec.write(message("o2", "a")) + "'), ('" + id + "', 2, 'o3', '"
                    + MessageCodec.write(message("o3", "q2")) + "')");
            database.sql("UPDATE neutron_sessions SET message_count = 3 WHERE id = '" + id + "'");
            store.appendMessage(id, message("r1", "edited").withParentId(ChatMessage.NEW_ROOT));

            assertEquals(3, store.deleteBranch(id, "o3").messageCount());
            List<String> pairs = new ArrayList<>();
            try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT id, parent_id, record FROM neutron_messages"
                            + " WHERE session_id = '" + id + "' ORDER BY seq")) {
                while (rows.next()) {
                    pairs.add(rows.getString(1) + "<" + rows.getString(2) + "|" + MessageCodec.read(rows.getString(3)).parentId());
                }
            }
            assertEquals(List.of("o1<null|null", "o2<o1|o1", "r1<|"), pairs);
        }
    }

    @Test
    void keepsEachMessageAsOneJsonRowInSequence() throws Exception {
        try (HikariDataSource pool = database.pool(2)) {
            JdbcChatStore store = database.store(pool);
            ChatSession session = store.createSession(new NewSession("rows", null));
            store.appendMessage(session.id(), message("m1", "one"));
            store.appendMessage(session.id(), message("m2", "two \u0000"));
            try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT seq, id, record FROM neutron_messages WHERE "
                            + "session_id = '" + session.id() + "' ORDER BY seq")) {
                assertTrue(rows.next());
                assertEquals(0, rows.getInt(1));
                assertEquals("m1", rows.getString(2));
                assertTrue(rows.getString(3).contains("\"createdAt\":\"2026-01-02T03:04:05.123456789Z\""),
                        "nanoseconds kept: " + rows.getString(3));
                assertTrue(rows.next());
                assertEquals(1, rows.getInt(1));
                // JSON text escapes NUL; jsonb would refuse it, which is why the record is a text column
                assertTrue(rows.getString(3).contains("\"content\":\"two \\u0000\""), rows.getString(3));
                assertFalse(rows.next());
            }
            assertEquals("two \u0000", store.messages(session.id()).get(1).content());
        }
    }

    @Test
    void aChatReadAgainShowsWhatAnotherStoreOnTheDatabaseWroteMeanwhile() throws Exception {
        try (HikariDataSource pool = database.pool(2)) {
            JdbcChatStore store = database.store(pool);
            JdbcChatStore other = database.store(pool);
            ChatSession session = store.createSession(new NewSession("shared", null));
            store.appendMessage(session.id(), message("m1", "one"));
            store.appendMessage(session.id(), message("m2", "two"));
            assertEquals(List.of("one", "two"), store.messages(session.id()).stream().map(ChatMessage::content).toList());

            other.appendMessage(session.id(), message("m3", "three"));
            other.deleteBranch(session.id(), "m2"); // rewrites the rows left
            other.appendMessage(session.id(), message("m4", "four"));

            assertEquals(List.of("one", "four"), store.messages(session.id()).stream().map(ChatMessage::content).toList());
            assertEquals(other.allMessages(session.id()), store.allMessages(session.id()));
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE neutron_messages SET record = replace(record, '\"four\"', '\"FOUR\"')"
                        + " WHERE session_id = '" + session.id() + "' AND id = 'm4'");
            }
            assertEquals(List.of("one", "FOUR"), store.messages(session.id()).stream().map(ChatMessage::content).toList());
        }
    }

    @Test
    void aMessageIsTheSameJsonTextInItsRowAsInTheLineOfTheJsonlStore(@TempDir Path jsonlDir) throws Exception {
        ChatMessage message = new ChatMessage("msg_0586b93990814d0bb850b86422bd43e0", MessageRole.assistant,
                "ünïcödé ✓ 日本語 😀 \"q\" \\ tab\tnew\nline nul\u0000end \u2028", "smollm2:135m",
                Instant.parse("2026-11-26T21:11:19.634170705Z"), MessageStatus.error, List.of("att_0123456789abcdef"),
                new ChatMessage.ErrorInfo("provider_timeout", "Ollama went silent for 120 s."),
                new GenerationStats(46, null, 487L, null, 8192, 13, 2, "length"));
        JsonlChatStore jsonl = new JsonlChatStore(jsonlDir, Clock.systemUTC());
        ChatSession inFiles = jsonl.createSession(new NewSession("same", null));
        jsonl.appendMessage(inFiles.id(), message);
        String line = Files.readString(jsonlDir.resolve("chats").resolve(inFiles.id() + ".jsonl"), StandardCharsets.UTF_8);
        try (HikariDataSource pool = database.pool(1)) {
            JdbcChatStore store = database.store(pool);
            ChatSession inRows = store.createSession(new NewSession("same", null));
            store.appendMessage(inRows.id(), message);
            try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT record FROM neutron_messages WHERE session_id = '"
                            + inRows.id() + "'")) {
                assertTrue(rows.next());
                assertEquals(line, rows.getString(1) + "\n");
            }
            assertEquals(List.of(message), store.messages(inRows.id()));
        }
        assertEquals(List.of(message), jsonl.messages(inFiles.id()));
    }

    @Test
    void reconnectsAfterTheServerDropsItsConnections() throws Exception {
        try (HikariDataSource pool = database.pool(2)) {
            JdbcChatStore store = database.store(pool);
            ChatSession session = store.createSession(new NewSession("before", null));
            try (Connection admin = database.connect(); Statement statement = admin.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND pid <> pg_backend_pid()");
            }
            Thread.sleep(1100); // the pool checks a connection idle for more than half a second before reuse
            assertEquals("before", store.findSession(session.id()).orElseThrow().title());
            store.appendMessage(session.id(), message("m1", "after"));
            assertEquals(1, store.messages(session.id()).size());
        }
    }

    @Test
    void aDroppedConnectionInUseFailsOneCallCleanlyAndTheNextOneWorks() throws Exception {
        try (HikariDataSource pool = database.pool(1)) {
            JdbcChatStore store = database.store(pool);
            store.listSessions();
            try (Connection admin = database.connect(); Statement statement = admin.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND pid <> pg_backend_pid()");
            }
            // reused at once, before the idle check: this call fails with a clear storage error...
            NeutronException e = assertThrows(NeutronException.class, store::listSessions);
            assertEquals(ErrorCode.STORAGE_ERROR, e.code());
            assertTrue(e.getMessage().contains(database.url), e.getMessage());
            // ...and the broken connection was dropped, so the next one works
            store.listSessions();
        }
    }

    @Test
    void aFullDiskIsInsufficientStorageAndChangesNothing() throws Exception {
        try (HikariDataSource pool = database.pool(1)) {
            JdbcChatStore store = database.store(pool);
            ChatSession session = store.createSession(new NewSession("full disk", null));
            store.appendMessage(session.id(), message("m1", "stored"));
            // fault injection: the server answers an insert as it does when its disk is full
            database.sql("CREATE FUNCTION neutron_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$");
            database.sql("CREATE TRIGGER neutron_test_disk_full BEFORE INSERT ON neutron_messages "
                    + "FOR EACH ROW EXECUTE FUNCTION neutron_test_disk_full()");
            try {
                NeutronException e = assertThrows(NeutronException.class,
                        () -> store.appendMessage(session.id(), message("m2", "lost?")));
                assertEquals(ErrorCode.INSUFFICIENT_STORAGE, e.code());
                assertEquals("PostgreSQL at " + database.url + " is out of disk space (ERROR: could not extend file: No "
                        + "space left on device), so could not append to the history of " + session.id() + "; nothing was "
                        + "changed. Free space on the database server, then try again.", e.getMessage());
            } finally {
                database.sql("DROP TRIGGER neutron_test_disk_full ON neutron_messages");
                database.sql("DROP FUNCTION neutron_test_disk_full()");
            }
            assertEquals(List.of("m1"), store.messages(session.id()).stream().map(ChatMessage::id).toList());
            assertEquals(1, store.findSession(session.id()).orElseThrow().messageCount());
            store.appendMessage(session.id(), message("m2", "stored once there is space"));
            assertEquals(2, store.messages(session.id()).size());
        }
    }

    @Test
    void aWrongPasswordIsALoginErrorThatDoesNotShowThePassword() {
        String wrong = "wrong-password-never-shown";
        try (HikariDataSource pool = database.pool(1, wrong)) {
            JdbcChatStore store = new JdbcChatStore(pool, database.url, database.user, Clock.systemUTC());
            NeutronException e = assertThrows(NeutronException.class, store::createSchema);
            assertEquals(ErrorCode.STORAGE_ERROR, e.code());
            assertTrue(e.getMessage().contains("refused the login of user " + database.user), e.getMessage());
            assertTrue(e.getMessage().contains("Check user and password in deploy/dev.neutron.store.jdbc.cfg"), e.getMessage());
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(wrong), "password shown in: " + t);
            }
        }
    }

    @Test
    void aMissingDatabaseSaysHowToCreateIt() {
        String url = database.url.replace("/neutron_t_", "/neutron_missing_");
        try (HikariDataSource pool = new PoolSettings(1, Duration.ofSeconds(5), Duration.ofMinutes(30), Duration.ZERO)
                .open(url, database.user, database.password)) {
            NeutronException e = assertThrows(NeutronException.class,
                    () -> new JdbcChatStore(pool, url, database.user, Clock.systemUTC()).createSchema());
            assertEquals(ErrorCode.STORAGE_ERROR, e.code());
            assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("createdb neutron_missing_"),
                    e.getMessage());
        }
    }

    @Test
    void twoStoresCreatingTheTablesAtOnceBothSucceed() throws Exception {
        database.sql("DROP TABLE IF EXISTS neutron_messages, neutron_sessions, neutron_migrated_sessions, "
                + "neutron_store_migrations");
        ExecutorService starters = Executors.newFixedThreadPool(4);
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            List<Future<JdbcChatStore>> started = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HikariDataSource pool = database.pool(1);
                pools.add(pool);
                started.add(starters.submit(() -> database.store(pool)));
            }
            for (Future<JdbcChatStore> store : started) {
                store.get(30, TimeUnit.SECONDS).listSessions();
            }
        } finally {
            starters.shutdownNow();
            pools.forEach(HikariDataSource::close);
        }
    }
}
