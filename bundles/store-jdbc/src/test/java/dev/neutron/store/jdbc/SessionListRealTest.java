package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The session list kept in memory between changes ({@link SessionList}), on a real PostgreSQL: whoever writes the
 * sessions table, another store, plain SQL or a Neutron from before the change count, the next list shows it.
 */
class SessionListRealTest {
    private static final String ID = "chat_5e55000000000001";

    private static List<String> titles(JdbcChatStore store) {
        return store.listSessions().stream().map(ChatSession::title).toList();
    }

    private static ChatMessage message(String id) {
        return new ChatMessage(id, MessageRole.user, "hello", "m", Instant.parse("2026-01-02T03:04:05Z"),
                MessageStatus.complete, List.of(), null, null);
    }

    @Test
    void aListShowsWhatAnotherStoreOrPlainSqlWroteSinceTheLastList() throws Exception {
        try (TestDatabase database = TestDatabase.create(); HikariDataSource pool = database.pool(2);
                HikariDataSource otherPool = database.pool(2)) {
            JdbcChatStore store = database.store(pool);
            JdbcChatStore other = database.store(otherPool);
            assertEquals(List.of(), store.listSessions());

            ChatSession created = other.createSession(new NewSession("new", null));
            assertEquals(List.of(created), store.listSessions());
            other.updateSession(created.id(), new SessionPatch("renamed", null));
            assertEquals(List.of("renamed"), titles(store));
            ChatMessage appended = other.appendMessage(created.id(), message("m1"));
            ChatSession afterAppend = store.listSessions().get(0);
            assertEquals(1, afterAppend.messageCount());
            assertEquals(appended.id(), afterAppend.activeLeafId());
            assertEquals(other.findSession(created.id()).orElseThrow(), afterAppend);

            database.sql("INSERT INTO neutron_sessions (id, title, created_at_ns, updated_at_ns) VALUES ('" + ID
                    + "', 'by sql', 1, 2)");
            assertEquals(List.of("renamed", "by sql"), titles(store));
            database.sql("UPDATE neutron_sessions SET title = 'renamed by sql' WHERE id = '" + ID + "'");
            assertEquals(List.of("renamed", "renamed by sql"), titles(store));
            other.deleteSession(created.id());
            assertEquals(List.of("renamed by sql"), titles(store));
            database.sql("TRUNCATE neutron_sessions CASCADE");
            assertEquals(List.of(), store.listSessions());
        }
    }

    @Test
    void anUnchangedListIsServedFromMemoryUntilTheCountMoves() throws Exception {
        try (TestDatabase database = TestDatabase.create(); HikariDataSource pool = database.pool(2)) {
            JdbcChatStore store = database.store(pool);
            ChatSession session = store.createSession(new NewSession("first", null));
            List<ChatSession> listed = store.listSessions();
            assertEquals(List.of(session), listed);
            assertThrows(UnsupportedOperationException.class, () -> listed.add(session));

            // a change the trigger does not count: only a list served from memory still shows the old title
            database.sql("ALTER TABLE neutron_sessions DISABLE TRIGGER neutron_sessions_count_changes");
            database.sql("UPDATE neutron_sessions SET title = 'uncounted' WHERE id = '" + session.id() + "'");
            assertSame(listed, store.listSessions());
            assertEquals(List.of("first"), titles(store));

            database.sql("UPDATE neutron_session_changes SET changes = changes + 1");
            assertEquals(List.of("uncounted"), titles(store));
        }
    }

    @Test
    void aChangeReadsAgainOnlyTheSessionsOfItsSlotAndKeepsTheOrderOfAFullRead() throws Exception {
        try (TestDatabase database = TestDatabase.create(); HikariDataSource pool = database.pool(2)) {
            JdbcChatStore store = database.store(pool);
            List<ChatSession> created = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                created.add(store.createSession(new NewSession("chat " + i, null)));
            }
            assertEquals(fullRead(database), store.listSessions());
            ChatSession counted = created.get(3);
            ChatSession uncounted = created.stream().filter(s -> slotOf(database, s) != slotOf(database, counted))
                    .findFirst().orElseThrow();

            database.sql("ALTER TABLE neutron_sessions DISABLE TRIGGER neutron_sessions_count_changes");
            database.sql("UPDATE neutron_sessions SET title = 'uncounted' WHERE id = '" + uncounted.id() + "'");
            database.sql("ALTER TABLE neutron_sessions ENABLE TRIGGER neutron_sessions_count_changes");
            store.appendMessage(counted.id(), message("m1"));

            List<ChatSession> listed = store.listSessions();
            assertEquals(counted.id(), listed.get(0).id(), "the chat just answered comes first");
            assertEquals(1, listed.get(0).messageCount());
            assertEquals(uncounted.title(), listed.stream().filter(s -> s.id().equals(uncounted.id())).findFirst()
                    .orElseThrow().title(), "the slot of the uncounted change is not read again");
            store.updateSession(uncounted.id(), new SessionPatch(null, "model"));
            assertEquals(fullRead(database), store.listSessions());
            store.deleteSession(created.get(7).id());
            database.sql("INSERT INTO neutron_sessions (id, title, created_at_ns, updated_at_ns) VALUES ('" + ID
                    + "', 'by sql', 1, 2)");
            assertEquals(fullRead(database), store.listSessions());
            assertEquals(40, store.listSessions().size());
        }
    }

    private static List<ChatSession> fullRead(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect()) {
            return ChatRows.selectSessions(connection);
        }
    }

    private static int slotOf(TestDatabase database, ChatSession session) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT hashtext('" + session.id() + "') & 63")) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDatabaseOfThePreviousVersionGetsTheCountAtStartAndListsWhatAnOlderNeutronWrites() throws Exception {
        try (TestDatabase old = TestDatabase.create()) {
            try (Connection connection = old.connect(); Statement statement = connection.createStatement()) {
                for (String ddl : StoreSchema.DDL) { // the tables as the version before the change count made them
                    statement.execute(ddl);
                }
            }
            old.sql("INSERT INTO neutron_sessions (id, title, created_at_ns, updated_at_ns) VALUES ('" + ID
                    + "', 'old', 1, 2)");
            assertEquals(0, triggers(old));

            try (HikariDataSource pool = old.pool(2); HikariDataSource again = old.pool(2)) {
                JdbcChatStore store = old.store(pool);
                assertEquals(2, triggers(old));
                assertEquals(List.of("old"), titles(store));
                // an older Neutron renames the chat and appends to it: plain SQL, as it writes
                old.sql("UPDATE neutron_sessions SET title = 'renamed by an older Neutron', message_count = 1,"
                        + " updated_at_ns = 3 WHERE id = '" + ID + "'");
                assertEquals(List.of("renamed by an older Neutron"), titles(store));
                assertEquals(1, store.listSessions().get(0).messageCount());

                old.store(again); // a second start: nothing is created twice
                assertEquals(2, triggers(old));
                old.sql("DELETE FROM neutron_sessions");
                assertEquals(List.of(), store.listSessions());
            }
        }
    }

    private static int triggers(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_trigger"
                        + " WHERE tgname LIKE 'neutron_sessions_count_%'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
