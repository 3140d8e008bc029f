package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Needs no database: what a caller gets when PostgreSQL is not there. */
class JdbcChatStoreUnreachableTest {
    private static final String PASSWORD = "s3cret-never-shown";

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static PoolSettings pool(int size) {
        return new PoolSettings(size, Duration.ofSeconds(1), Duration.ofMinutes(30), Duration.ZERO);
    }

    @Test
    void anUnreachableDatabaseIsAStorageErrorThatNamesTheUrlButNotThePassword() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/neutron?password=" + PASSWORD;
        try (HikariDataSource pool = pool(2).open(url, "neutron", PASSWORD)) {
            JdbcChatStore store = new JdbcChatStore(pool, url, "neutron", Clock.systemUTC());
            NeutronException e = assertThrows(NeutronException.class, () -> store.createSession(new NewSession("t", null)));
            assertEquals(ErrorCode.STORAGE_ERROR, e.code());
            assertTrue(e.getMessage().startsWith("PostgreSQL is not reachable at jdbc:postgresql://127.0.0.1:"), e.getMessage());
            assertTrue(e.getMessage().contains("Start PostgreSQL, or fix url in deploy/dev.neutron.store.jdbc.cfg"), e.getMessage());
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(PASSWORD), "password shown in: " + t);
            }
            // every call fails the same way while the database is away
            assertEquals(ErrorCode.STORAGE_ERROR, assertThrows(NeutronException.class, store::listSessions).code());
            assertEquals(ErrorCode.STORAGE_ERROR, assertThrows(NeutronException.class, store::listSessions).code());
            assertEquals(ErrorCode.STORAGE_ERROR, assertThrows(NeutronException.class, store::createSchema).code());
        }
    }

    @Test
    void validatesSessionIdsBeforeAnySql() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/neutron";
        try (HikariDataSource pool = pool(1).open(url, "", "")) {
            JdbcChatStore store = new JdbcChatStore(pool, url, "", Clock.systemUTC());
            NeutronException e = assertThrows(NeutronException.class, () -> store.messages("../../etc/passwd"));
            assertEquals(ErrorCode.INVALID_SESSION_ID, e.code());
        }
    }
}
