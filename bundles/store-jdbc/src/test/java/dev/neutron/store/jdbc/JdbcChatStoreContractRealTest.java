package dev.neutron.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.store.codec.MessageCodec;
import dev.neutron.store.contract.ChatStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared {@link ChatStoreContract} against the PostgreSQL store, on a real PostgreSQL (scripts/test-postgres):
 * a database of its own for this class, emptied before each test; "reopen" is a new pool and store on it.
 */
class JdbcChatStoreContractRealTest extends ChatStoreContract {
    private static TestDatabase database;
    private final Map<ChatStore, HikariDataSource> pools = new IdentityHashMap<>();

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

    @Override
    protected ChatStore newStore() throws Exception {
        ChatStore store = open();
        database.sql("TRUNCATE neutron_sessions, neutron_messages, neutron_migrated_sessions, neutron_store_migrations");
        return store;
    }

    @Override
    protected ChatStore reopen(ChatStore previous) {
        return open();
    }

    private ChatStore open() {
        HikariDataSource pool = database.pool(4);
        JdbcChatStore store = database.store(pool);
        pools.put(store, pool);
        return store;
    }

    /** Rows as the store wrote them before trees: no parent_id, a record without parentId, the count kept. */
    @Override
    protected void writeLegacyHistory(ChatStore store, String sessionId, List<ChatMessage> messages) throws Exception {
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO neutron_messages (session_id, seq, id, record) VALUES (?, ?, ?, ?)")) {
            for (int seq = 0; seq < messages.size(); seq++) {
                insert.setString(1, sessionId);
                insert.setInt(2, seq);
                insert.setString(3, messages.get(seq).id());
                insert.setString(4, MessageCodec.write(messages.get(seq)));
                insert.executeUpdate();
            }
        }
        database.sql("UPDATE neutron_sessions SET message_count = " + messages.size() + " WHERE id = '" + sessionId + "'");
    }

    /** A row as the store wrote it before 2.2: only the old columns, so settings is null and auto_title false. */
    @Override
    protected void writeLegacySession(ChatStore store, ChatSession session) throws Exception {
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO neutron_sessions (id, title, model,"
                        + " created_at_ns, updated_at_ns, message_count) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, session.id());
            insert.setString(2, session.title());
            insert.setString(3, session.model());
            insert.setLong(4, EpochNanos.of(session.createdAt()));
            insert.setLong(5, EpochNanos.of(session.updatedAt()));
            insert.setInt(6, session.messageCount());
            insert.executeUpdate();
        }
    }

    @Override
    protected void close(ChatStore store) {
        HikariDataSource pool = pools.remove(store);
        if (pool != null) {
            pool.close();
        }
    }
}
