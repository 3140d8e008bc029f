package dev.neutron.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.store.codec.SettingsCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the rows of {@code neutron_sessions} (one {@link ChatSession} each) and {@code neutron_messages}
 * (one {@link MessageRow} each, ordered by {@code (session_id, seq)}), on a connection the caller holds, so that
 * the store and the migration share one mapping and can combine the steps in their own transactions.
 */
final class ChatRows {
    static final String SESSION_COLUMNS = "id, title, model, created_at_ns, updated_at_ns, message_count, active_leaf_id,"
            + " settings, auto_title";

    private ChatRows() {
    }

    static ChatSession readSession(ResultSet rows) throws SQLException {
        String id = rows.getString(1);
        return new ChatSession(id, rows.getString(2), rows.getString(3),
                EpochNanos.toInstant(rows.getLong(4)), EpochNanos.toInstant(rows.getLong(5)), rows.getInt(6),
                rows.getString(7), settings(id, rows.getString(8)), rows.getBoolean(9));
    }

    /** @throws NeutronException {@code storage_error} when the column holds no settings */
    static ChatSettings settings(String sessionId, String json) {
        try {
            return SettingsCodec.read(json);
        } catch (JsonProcessingException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "The settings of chat " + sessionId
                    + " in the database are not readable: " + e.getOriginalMessage(), e);
        }
    }

    /** @return false if a session with this id exists already (it is left as it is) */
    static boolean insertSession(Connection connection, ChatSession session) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO neutron_sessions (" + SESSION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            insert.setString(1, session.id());
            insert.setString(2, session.title());
            setNullable(insert, 3, session.model());
            insert.setLong(4, EpochNanos.of(session.createdAt()));
            insert.setLong(5, EpochNanos.of(session.updatedAt()));
            insert.setInt(6, session.messageCount());
            setNullable(insert, 7, session.activeLeafId());
            setNullable(insert, 8, SettingsCodec.write(session.settings()));
            insert.setBoolean(9, session.autoTitle());
            return insert.executeUpdate() == 1;
        }
    }

    /** @param forUpdate lock the row until the end of the transaction */
    static Optional<ChatSession> selectSession(Connection connection, String sessionId, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + SESSION_COLUMNS
                + " FROM neutron_sessions WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            select.setString(1, sessionId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(readSession(rows)) : Optional.empty();
            }
        }
    }

    /** Newest first, as {@link dev.neutron.store.codec.SessionOrder#NEWEST_FIRST} orders them. */
    static List<ChatSession> selectSessions(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + SESSION_COLUMNS
                + " FROM neutron_sessions ORDER BY updated_at_ns DESC, created_at_ns DESC, id DESC");
                ResultSet rows = select.executeQuery()) {
            List<ChatSession> sessions = new ArrayList<>();
            while (rows.next()) {
                sessions.add(readSession(rows));
            }
            return sessions;
        }
    }

    /** @return false if there was no such session; its messages go with it (ON DELETE CASCADE) */
    static boolean deleteSession(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM neutron_sessions WHERE id = ?")) {
            delete.setString(1, sessionId);
            return delete.executeUpdate() > 0;
        }
    }

    static List<MessageRow> messageRows(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, parent_id, record FROM neutron_messages WHERE session_id = ? ORDER BY seq")) {
            select.setString(1, sessionId);
            try (ResultSet rows = select.executeQuery()) {
                List<MessageRow> found = new ArrayList<>();
                while (rows.next()) {
                    found.add(new MessageRow(rows.getString(1), rows.getString(2), rows.getString(3)));
                }
                return found;
            }
        }
    }

    /** A session's stored active leaf (may be null) and its message rows in append order. */
    record History(String activeLeafId, List<MessageRow> rows) {
    }

    /**
     * The messages of a session in one statement, so that whether it exists, its leaf and its rows come from one
     * snapshot.
     *
     * @return null if there is no such session
     */
    static History history(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT m.id, m.parent_id, m.record, s.active_leaf_id"
                + " FROM neutron_sessions s LEFT JOIN neutron_messages m ON m.session_id = s.id WHERE s.id = ? ORDER BY m.seq")) {
            select.setString(1, sessionId);
            try (ResultSet result = select.executeQuery()) {
                History found = null;
                while (result.next()) {
                    if (found == null) {
                        found = new History(result.getString(4), new ArrayList<>());
                    }
                    String record = result.getString(3);
                    if (record != null) {
                        found.rows().add(new MessageRow(result.getString(1), result.getString(2), record));
                    }
                }
                return found;
            }
        }
    }

    static boolean messageExists(Connection connection, String sessionId, String messageId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM neutron_messages WHERE session_id = ? AND id = ?")) {
            select.setString(1, sessionId);
            select.setString(2, messageId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The id of the message appended last (null if none, or if it has none). */
    static String lastMessageId(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM neutron_messages WHERE session_id = ? ORDER BY seq DESC LIMIT 1")) {
            select.setString(1, sessionId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    static int nextSeq(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT COALESCE(MAX(seq) + 1, 0) FROM neutron_messages WHERE session_id = ?")) {
            select.setString(1, sessionId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    static void insertMessages(Connection connection, String sessionId, int firstSeq, List<MessageRow> rows)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO neutron_messages (session_id, seq, id, parent_id, record) VALUES (?, ?, ?, ?, ?)")) {
            int seq = firstSeq;
            for (MessageRow row : rows) {
                insert.setString(1, sessionId);
                insert.setInt(2, seq++);
                setNullable(insert, 3, row.id());
                setNullable(insert, 4, row.parentId());
                insert.setString(5, row.record());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    static void deleteMessages(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM neutron_messages WHERE session_id = ?")) {
            delete.setString(1, sessionId);
            delete.executeUpdate();
        }
    }

    /** @return how many rows were deleted */
    static int deleteMessages(Connection connection, String sessionId, Collection<String> ids) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM neutron_messages WHERE session_id = ? AND id = ANY (?)")) {
            delete.setString(1, sessionId);
            delete.setArray(2, connection.createArrayOf("text", ids.toArray()));
            return delete.executeUpdate();
        }
    }

    /** The records of a session's messages by seq, in append order. */
    static Map<Integer, String> recordsBySeq(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq, record FROM neutron_messages WHERE session_id = ? ORDER BY seq")) {
            select.setString(1, sessionId);
            try (ResultSet rows = select.executeQuery()) {
                Map<Integer, String> found = new LinkedHashMap<>();
                while (rows.next()) {
                    found.put(rows.getInt(1), rows.getString(2));
                }
                return found;
            }
        }
    }

    /** Writes the parent of each row given by seq: its parent_id column and its record, which carries it too. */
    static void updateParents(Connection connection, String sessionId, Map<Integer, MessageRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE neutron_messages SET parent_id = ?, record = ? WHERE session_id = ? AND seq = ?")) {
            for (Map.Entry<Integer, MessageRow> row : rows.entrySet()) {
                setNullable(update, 1, row.getValue().parentId());
                update.setString(2, row.getValue().record());
                update.setString(3, sessionId);
                update.setInt(4, row.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
