package dev.neutron.store.jdbc;

import dev.neutron.api.ChatSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The session list, read again only when {@code neutron_sessions} changed since the last read: each call reads the
 * change count ({@link StoreSchema#CHANGE_COUNT}, kept by a trigger, so writes of other processes count too) with one
 * query over a table of at most 64 rows, and returns the list read at that count if it is the same.
 *
 * <p>The count is read before the rows, so the rows kept are never older than the count kept with them: a change
 * committed in between is in the rows but not in that count, which only costs the next call one more read. A change
 * is never missed, whoever commits it and when.
 */
final class SessionList {
    private static final String COUNT = "SELECT COALESCE(sum(changes), 0)::bigint FROM neutron_session_changes";

    private record Read(long changes, List<ChatSession> sessions) {
    }

    private final AtomicReference<Read> last = new AtomicReference<>();

    /** @return newest first, unmodifiable; the same list as the last call's when nothing changed since */
    List<ChatSession> list(Connection connection) throws SQLException {
        long changes = changes(connection);
        Read kept = last.get();
        if (kept != null && kept.changes() == changes) {
            return kept.sessions();
        }
        Read read = new Read(changes, List.copyOf(ChatRows.selectSessions(connection)));
        last.accumulateAndGet(read, (was, now) -> was == null || now.changes() >= was.changes() ? now : was);
        return read.sessions();
    }

    private static long changes(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(COUNT); ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
