package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SQL failures as the user sees them: code and message, by SQLState; no database needed. */
class StorageErrorsTest {
    private static final String URL = "jdbc:postgresql://db.example:5432/chats";
    private static final String CFG = "deploy/dev.neutron.store.jdbc.cfg";
    private final StorageErrors errors = new StorageErrors(URL, "neutron");

    @ParameterizedTest(name = "SQLState {0}")
    @CsvSource(delimiter = '|', value = {
        "28P01 | storage_error        | PostgreSQL at " + URL + " refused the login of user neutron (the reason). Check user and password in " + CFG + ".",
        "28000 | storage_error        | PostgreSQL at " + URL + " refused the login of user neutron (the reason). Check user and password in " + CFG + ".",
        "3D000 | storage_error        | The database of " + URL + " does not exist (the reason). Create it (e.g. createdb chats) or fix url in " + CFG + ".",
        "08001 | storage_error        | PostgreSQL is not reachable at " + URL + " (the reason). Start PostgreSQL, or fix url in " + CFG + "; could not list the sessions.",
        "08006 | storage_error        | PostgreSQL is not reachable at " + URL + " (the reason). Start PostgreSQL, or fix url in " + CFG + "; could not list the sessions.",
        "57P01 | storage_error        | PostgreSQL is not reachable at " + URL + " (the reason). Start PostgreSQL, or fix url in " + CFG + "; could not list the sessions.",
        "53100 | insufficient_storage | PostgreSQL at " + URL + " is out of disk space (the reason), so could not list the sessions; nothing was changed. Free space on the database server, then try again.",
        "53200 | insufficient_storage | PostgreSQL at " + URL + " is out of resources (the reason, SQLState 53200), so could not list the sessions; nothing was changed. Free space or memory on the database server, then try again.",
        "53000 | insufficient_storage | PostgreSQL at " + URL + " is out of resources (the reason, SQLState 53000), so could not list the sessions; nothing was changed. Free space or memory on the database server, then try again.",
        "53300 | storage_error        | PostgreSQL at " + URL + " has no free connection slot (the reason), so could not list the sessions. Lower poolSize in " + CFG + " or raise max_connections of the server.",
        "23505 | storage_error        | PostgreSQL at " + URL + " could not list the sessions: the reason (SQLState 23505).",
    })
    void mapsEachSqlStateToACodeAndAMessageThatSaysWhatToDo(String state, String code, String message) {
        SQLException cause = new SQLException("the reason\nDetail: second line", state);
        NeutronException e = errors.toNeutron("list the sessions", cause);
        assertEquals(code, e.code().code());
        assertEquals(message, e.getMessage());
        assertSame(cause, e.getCause());
    }

    @ParameterizedTest(name = "SQLState {0}")
    @CsvSource(delimiter = '|', value = {
        "28P01 | refused the login of user neutron (password authentication failed)",
        "3D000 | does not exist (password authentication failed)",
        "08001 | is not reachable at " + URL + " (password authentication failed)",
    })
    void namesTheFailureBehindAPoolTimeoutNotTheTimeout(String state, String expected) {
        SQLException failure = new SQLException("password authentication failed", state);
        SQLException timeout = new SQLTransientConnectionException(
                "neutron-store-jdbc - Connection is not available, request timed out after 5001ms", state, failure);
        String message = errors.toNeutron("create its tables", timeout).getMessage();
        assertTrue(message.contains(expected), message);
        assertFalse(message.contains("timed out"), message);
    }

    @Test
    void aFailedBatchNamesTheServersReasonNotTheStatementAndItsData() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO neutron_messages (session_id, "
                + "seq, id, record) VALUES ('chat_0123456789abcdef', 1, 'm2', '{\"content\":\"private text\"}') was "
                + "aborted: ERROR: could not extend file", "53100", 0, new int[0], null);
        batch.setNextException(new SQLException("ERROR: could not extend file: No space left on device", "53100"));
        NeutronException e = errors.toNeutron("append to the history of chat_0123456789abcdef", batch);
        assertEquals(ErrorCode.INSUFFICIENT_STORAGE, e.code());
        assertEquals("PostgreSQL at " + URL + " is out of disk space (ERROR: could not extend file: No space left on "
                + "device), so could not append to the history of chat_0123456789abcdef; nothing was changed. Free "
                + "space on the database server, then try again.", e.getMessage());
    }

    @Test
    void aBusyPoolSaysToRaiseThePoolSize() {
        SQLException timeout = new SQLTransientConnectionException("neutron-store-jdbc - Connection is not available, "
                + "request timed out after 5001ms (total=4, active=4, idle=0, waiting=2)");
        NeutronException e = errors.toNeutron("append to the history of chat_0123456789abcdef", timeout);
        assertEquals(ErrorCode.STORAGE_ERROR, e.code());
        assertEquals("PostgreSQL at " + URL + ": no connection became free in time (neutron-store-jdbc - Connection is "
                + "not available, request timed out after 5001ms (total=4, active=4, idle=0, waiting=2)), so could not "
                + "append to the history of chat_0123456789abcdef. Raise poolSize in " + CFG + ", or look for slow "
                + "queries.", e.getMessage());
    }

    @ParameterizedTest(name = "SQLState {0}")
    @CsvSource(nullValues = "null", value = {"null", "XX000"})
    void aRefusedSocketIsUnreachableWhateverItsSqlState(String state) {
        SQLException refused = new SQLException("I/O error", state, new ConnectException("Connection refused"));
        assertEquals("PostgreSQL is not reachable at " + URL + " (I/O error). Start PostgreSQL, or fix url in " + CFG
                + "; could not read session x.", errors.toNeutron("read session x", refused).getMessage());
    }

    @ParameterizedTest(name = "SQLState {0}: {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "null  | true",
        "08003 | true",
        "08006 | true",
        "57P01 | true",
        "57P03 | true",
        "23505 | false",
        "40001 | false",
        "53100 | false",
        "42P01 | false",
    })
    void dropsTheConnectionOnlyAfterAConnectionFailure(String state, boolean drop) {
        assertEquals(drop, StorageErrors.isConnectionFailure(new SQLException("x", state)));
    }

    @Test
    void aDefaultLoginIsNamedAsSuch() {
        String message = new StorageErrors(URL, "").toNeutron("x", new SQLException("no", "28P01")).getMessage();
        assertTrue(message.contains("refused the login of user (driver default) (no)"), message);
    }
}
