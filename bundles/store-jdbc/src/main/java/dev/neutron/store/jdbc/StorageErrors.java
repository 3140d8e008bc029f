package dev.neutron.store.jdbc;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The one place where SQL failures become coded errors that say where the database is (never the password) and
 * what to do, by SQLState class: {@code 28} login, {@code 3D000} no such database, {@code 08}/{@code 57P} not
 * reachable, {@code 53} out of resources (disk full is {@code insufficient_storage}).
 */
final class StorageErrors {
    private static final String CFG = JdbcChatStore.CFG;
    private static final String DISK_FULL = "53100";
    private static final String TOO_MANY_CONNECTIONS = "53300";

    private final String displayUrl;
    private final String user;

    /** @param displayUrl the URL without password; @param user the login, or empty for the driver's default */
    StorageErrors(String displayUrl, String user) {
        this.displayUrl = displayUrl;
        this.user = user == null || user.isEmpty() ? "(driver default)" : user;
    }

    /** A failure after which the connection cannot be trusted: it is dropped, not reused. */
    static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    /** @param what what could not be done, e.g. "list the sessions" */
    NeutronException toNeutron(String what, SQLException e) {
        SQLException cause = underlying(e);
        String state = cause.getSQLState() == null ? "" : cause.getSQLState();
        String reason = reason(cause);
        if (state.startsWith("28")) {
            return storageError("PostgreSQL at " + displayUrl + " refused the login of user " + user + " (" + reason
                    + "). Check user and password in " + CFG + ".", e);
        }
        if (state.equals("3D000")) {
            return storageError("The database of " + displayUrl + " does not exist (" + reason + "). Create it (e.g. "
                    + "createdb " + JdbcUrls.databaseName(displayUrl) + ") or fix url in " + CFG + ".", e);
        }
        if (state.startsWith("08") || state.startsWith("57P") || hasCause(e, ConnectException.class)) {
            return storageError("PostgreSQL is not reachable at " + displayUrl + " (" + reason + "). Start PostgreSQL, "
                    + "or fix url in " + CFG + "; could not " + what + ".", e);
        }
        if (state.equals(TOO_MANY_CONNECTIONS)) {
            return storageError("PostgreSQL at " + displayUrl + " has no free connection slot (" + reason + "), so "
                    + "could not " + what + ". Lower poolSize in " + CFG + " or raise max_connections of the server.", e);
        }
        if (state.equals(DISK_FULL)) {
            return new NeutronException(ErrorCode.INSUFFICIENT_STORAGE, "PostgreSQL at " + displayUrl + " is out of disk "
                    + "space (" + reason + "), so could not " + what + "; nothing was changed. Free space on the "
                    + "database server, then try again.", e);
        }
        if (state.startsWith("53")) {
            return new NeutronException(ErrorCode.INSUFFICIENT_STORAGE, "PostgreSQL at " + displayUrl + " is out of "
                    + "resources (" + reason + ", SQLState " + state + "), so could not " + what + "; nothing was "
                    + "changed. Free space or memory on the database server, then try again.", e);
        }
        if (state.isEmpty() && e instanceof SQLTransientConnectionException) {
            return storageError("PostgreSQL at " + displayUrl + ": no connection became free in time (" + reason
                    + "), so could not " + what + ". Raise poolSize in " + CFG + ", or look for slow queries.", e);
        }
        return storageError("PostgreSQL at " + displayUrl + " could not " + what + ": " + reason
                + (state.isEmpty() ? "" : " (SQLState " + state + ")") + ".", e);
    }

    /**
     * The failure the user can act on. The pool reports "no connection in time" with the last failure to connect
     * (refused, login, no such database) as its cause; a failed batch names the whole statement, data included, and
     * holds the server's error as its next exception.
     */
    private static SQLException underlying(SQLException e) {
        if (e instanceof SQLTransientConnectionException && e.getCause() instanceof SQLException cause) {
            return cause;
        }
        if (e instanceof BatchUpdateException && e.getNextException() != null) {
            return e.getNextException();
        }
        return e;
    }

    private static String reason(SQLException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }

    private static NeutronException storageError(String message, SQLException e) {
        return new NeutronException(ErrorCode.STORAGE_ERROR, message, e);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
