package dev.neutron.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.neutron.api.ChatStore;
import dev.neutron.store.contract.ChatStoreContract;
import java.util.IdentityHashMap;
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

    @Override
    protected void close(ChatStore store) {
        HikariDataSource pool = pools.remove(store);
        if (pool != null) {
            pool.close();
        }
    }
}
