package dev.neutron.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.net.ConnectException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chats in PostgreSQL through plain JDBC. One row per session in {@code neutron_sessions}; one row per message in
 * {@code neutron_messages}, ordered by {@code (session_id, seq)}, with the whole {@link ChatMessage} as Jackson JSON
 * in a {@code text} column (not {@code jsonb}, which cannot hold {@code \u0000} and would re-format the record), so a
 * message reads back exactly as it was appended. Times are kept as nanoseconds since the epoch ({@code bigint}),
 * because {@code timestamptz} would cut Java's nanoseconds to microseconds.
 *
 * <p>Every write is one transaction and is committed (so durable, with PostgreSQL's default
 * {@code synchronous_commit}) before the call returns. An append locks its session row, inserts the message with the
 * next {@code seq} and updates {@code message_count}/{@code updated_at_ns} in the same transaction, so concurrent
 * appends are serialised per session and never lose or reorder one another.
 *
 * <p>Same contract as the JSONL store: ids {@code chat_} + 16 hex chars made here, every id validated before any SQL,
 * titles cleaned and capped at 200 characters, newest-first listing. A database that cannot be reached gives
 * {@code storage_error} with the URL (never the password) and what to do.
 */
public class JdbcChatStore implements ChatStore {
    public static final String PID = "dev.neutron.store.jdbc";
    static final int MAX_TITLE_CHARS = 200;
    private static final Pattern SESSION_ID = Pattern.compile(ChatSession.ID_PATTERN);
    private static final String SESSION_COLUMNS = "id, title, model, created_at_ns, updated_at_ns, message_count";
    private static final String CFG = "deploy/" + PID + ".cfg";

    /** Created on first start; {@code IF NOT EXISTS} everywhere, under an advisory lock against a second Neutron. */
    private static final List<String> SCHEMA = List.of(
            """
            CREATE TABLE IF NOT EXISTS neutron_sessions (
                id            text    PRIMARY KEY,
                title         text    NOT NULL,
                model         text,
                created_at_ns bigint  NOT NULL,
                updated_at_ns bigint  NOT NULL,
                message_count integer NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX IF NOT EXISTS neutron_sessions_newest_first"
                    + " ON neutron_sessions (updated_at_ns DESC, created_at_ns DESC, id DESC)",
            """
            CREATE TABLE IF NOT EXISTS neutron_messages (
                session_id text    NOT NULL REFERENCES neutron_sessions (id) ON DELETE CASCADE,
                seq        integer NOT NULL,
                id         text,
                record     text    NOT NULL,
                PRIMARY KEY (session_id, seq)
            )""",
            "CREATE INDEX IF NOT EXISTS neutron_messages_by_id ON neutron_messages (session_id, id)",
            """
            CREATE TABLE IF NOT EXISTS neutron_migrated_sessions (
                source        text    NOT NULL,
                session_id    text    NOT NULL,
                title         text    NOT NULL,
                model         text,
                updated_at_ns bigint  NOT NULL,
                message_count integer NOT NULL,
                PRIMARY KEY (source, session_id)
            )""",
            """
            CREATE TABLE IF NOT EXISTS neutron_store_migrations (
                run_id           bigserial   PRIMARY KEY,
                source           text        NOT NULL,
                started_at       timestamptz NOT NULL DEFAULT now(),
                switched_at      timestamptz,
                finished_at      timestamptz,
                sessions_copied  integer     NOT NULL DEFAULT 0,
                messages_copied  integer     NOT NULL DEFAULT 0,
                sessions_deleted integer     NOT NULL DEFAULT 0
            )""");

    private final ConnectionPool pool;
    private final String displayUrl;
    private final String user;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private volatile MissingSessions missingSessions;

    /** Fetches a session this store lacks from where it is being moved from; see {@link StoreMigration}. */
    interface MissingSessions {
        /** @return true if the session now exists in this store */
        boolean fetch(String sessionId);
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    JdbcChatStore(ConnectionPool pool, String url, String user, Clock clock) {
        this.pool = pool;
        this.displayUrl = JdbcUrls.redact(url);
        this.user = user == null || user.isEmpty() ? "(driver default)" : user;
        this.clock = clock;
    }

    /** The URL as it may be shown and logged: without a password. */
    String displayUrl() {
        return displayUrl;
    }

    /** Connects and creates the tables that are missing. @throws NeutronException {@code storage_error} */
    void createSchema() {
        inTransaction("create its tables", connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(7426957915093248)");
                for (String ddl : SCHEMA) {
                    statement.execute(ddl);
                }
            }
            return null;
        });
    }

    void fetchMissingSessionsFrom(MissingSessions source) {
        this.missingSessions = source;
    }

    private boolean fetchMissing(String sessionId) {
        MissingSessions source = missingSessions;
        return source != null && source.fetch(sessionId);
    }

    @Override
    public ChatSession createSession(NewSession request) {
        Instant now = clock.instant();
        String title = request == null || request.title() == null || request.title().isBlank()
                ? "New chat" : cleanTitle(request.title());
        String model = request == null ? null : cleanModel(request.model());
        return withConnection("create a session", connection -> {
            while (true) {
                byte[] bytes = new byte[8];
                random.nextBytes(bytes);
                ChatSession session = new ChatSession("chat_" + HexFormat.of().formatHex(bytes), title, model, now, now, 0);
                if (insertSession(connection, session)) {
                    return session;
                }
            }
        });
    }

    @Override
    public List<ChatSession> listSessions() {
        return withConnection("list the sessions", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + SESSION_COLUMNS
                    + " FROM neutron_sessions ORDER BY updated_at_ns DESC, created_at_ns DESC, id DESC");
                    ResultSet rows = select.executeQuery()) {
                List<ChatSession> sessions = new ArrayList<>();
                while (rows.next()) {
                    sessions.add(readSession(rows));
                }
                return sessions;
            }
        });
    }

    @Override
    public Optional<ChatSession> findSession(String sessionId) {
        requireValidId(sessionId);
        Optional<ChatSession> found = withConnection("read session " + sessionId, c -> selectSession(c, sessionId, false));
        if (found.isEmpty() && fetchMissing(sessionId)) {
            return withConnection("read session " + sessionId, c -> selectSession(c, sessionId, false));
        }
        return found;
    }

    @Override
    public ChatSession updateSession(String sessionId, SessionPatch patch) {
        requireValidId(sessionId);
        Optional<ChatSession> updated = update(sessionId, patch);
        if (updated.isEmpty() && fetchMissing(sessionId)) {
            updated = update(sessionId, patch);
        }
        return updated.orElseThrow(() -> notFound(sessionId));
    }

    private Optional<ChatSession> update(String sessionId, SessionPatch patch) {
        if (patch.title() == null && patch.model() == null) {
            return withConnection("read session " + sessionId, c -> selectSession(c, sessionId, false));
        }
        long now = toNanos(clock.instant());
        StringBuilder sql = new StringBuilder("UPDATE neutron_sessions SET updated_at_ns = ?");
        if (patch.title() != null) {
            sql.append(", title = ?");
        }
        if (patch.model() != null) {
            sql.append(", model = ?");
        }
        sql.append(" WHERE id = ? RETURNING ").append(SESSION_COLUMNS);
        return withConnection("update session " + sessionId, connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql.toString())) {
                int i = 1;
                update.setLong(i++, now);
                if (patch.title() != null) {
                    update.setString(i++, patch.title().isBlank() ? "New chat" : cleanTitle(patch.title()));
                }
                if (patch.model() != null) {
                    setNullable(update, i++, cleanModel(patch.model()));
                }
                update.setString(i, sessionId);
                try (ResultSet rows = update.executeQuery()) {
                    return rows.next() ? Optional.of(readSession(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean deleteSession(String sessionId) {
        requireValidId(sessionId);
        boolean deleted = delete(sessionId);
        if (!deleted && fetchMissing(sessionId)) {
            deleted = delete(sessionId);
        }
        return deleted;
    }

    private boolean delete(String sessionId) {
        return withConnection("delete session " + sessionId, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM neutron_sessions WHERE id = ?")) {
                delete.setString(1, sessionId);
                return delete.executeUpdate() > 0; // its messages go with it (ON DELETE CASCADE)
            }
        });
    }

    @Override
    public ChatMessage appendMessage(String sessionId, ChatMessage message) {
        requireValidId(sessionId);
        String record = toJson(message);
        boolean appended = append(sessionId, message.id(), record);
        if (!appended && fetchMissing(sessionId)) {
            appended = append(sessionId, message.id(), record);
        }
        if (!appended) {
            throw notFound(sessionId);
        }
        return message;
    }

    /** Lock the session row, insert at the next seq, bump count and updatedAt: one transaction. */
    private boolean append(String sessionId, String messageId, String record) {
        long now = toNanos(clock.instant());
        return inTransaction("append to the history of " + sessionId, connection -> {
            if (selectSession(connection, sessionId, true).isEmpty()) {
                return false;
            }
            insertMessages(connection, sessionId, nextSeq(connection, sessionId), List.of(new Row(messageId, record)));
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE neutron_sessions SET message_count = message_count + 1, updated_at_ns = ? WHERE id = ?")) {
                update.setLong(1, now);
                update.setString(2, sessionId);
                update.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public List<ChatMessage> messages(String sessionId) {
        requireValidId(sessionId);
        Optional<List<ChatMessage>> history = history(sessionId);
        if (history.isEmpty() && fetchMissing(sessionId)) {
            history = history(sessionId);
        }
        return history.orElseThrow(() -> notFound(sessionId));
    }

    /** One statement, so the existence check and the rows come from the same snapshot. */
    private Optional<List<ChatMessage>> history(String sessionId) {
        List<Row> rows = withConnection("read the history of " + sessionId, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT m.id, m.record FROM neutron_sessions s"
                    + " LEFT JOIN neutron_messages m ON m.session_id = s.id WHERE s.id = ? ORDER BY m.seq")) {
                select.setString(1, sessionId);
                try (ResultSet result = select.executeQuery()) {
                    List<Row> found = null;
                    while (result.next()) {
                        if (found == null) {
                            found = new ArrayList<>();
                        }
                        String record = result.getString(2);
                        if (record != null) {
                            found.add(new Row(result.getString(1), record));
                        }
                    }
                    return found;
                }
            }
        });
        return rows == null ? Optional.empty() : Optional.of(rows.stream().map(row -> fromJson(row.record())).toList());
    }

    @Override
    public boolean importSession(ChatSession session) {
        requireValidId(session.id());
        Instant created = session.createdAt() == null ? clock.instant() : session.createdAt();
        Instant updated = session.updatedAt() == null ? created : session.updatedAt();
        String title = session.title() == null || session.title().isBlank() ? "New chat" : cleanTitle(session.title());
        ChatSession cleaned = new ChatSession(session.id(), title, cleanModel(session.model()), created, updated, 0);
        return withConnection("import session " + session.id(), connection -> insertSession(connection, cleaned));
    }

    @Override
    public int importMessages(String sessionId, List<ChatMessage> messages) {
        requireValidId(sessionId);
        List<Row> rows = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            if (message.id() == null || message.id().isBlank()) {
                throw new NeutronException(ErrorCode.INVALID_REQUEST, "A message to import has no id.");
            }
            rows.add(new Row(message.id(), toJson(message)));
        }
        Integer added = importRows(sessionId, rows);
        if (added == null && fetchMissing(sessionId)) {
            added = importRows(sessionId, rows);
        }
        if (added == null) {
            throw notFound(sessionId);
        }
        return added;
    }

    /** @return how many rows were added, or null when there is no such session */
    private Integer importRows(String sessionId, List<Row> rows) {
        return inTransaction("import messages into " + sessionId, connection -> {
            if (selectSession(connection, sessionId, true).isEmpty()) {
                return null;
            }
            Set<String> known = new HashSet<>(messageIds(connection, sessionId));
            List<Row> fresh = new ArrayList<>();
            for (Row row : rows) {
                if (known.add(row.id())) {
                    fresh.add(row);
                }
            }
            if (fresh.isEmpty()) {
                return 0;
            }
            insertMessages(connection, sessionId, nextSeq(connection, sessionId), fresh);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE neutron_sessions SET message_count = message_count + ? WHERE id = ?")) {
                update.setInt(1, fresh.size());
                update.setString(2, sessionId);
                update.executeUpdate();
            }
            return fresh.size();
        });
    }

    // ---- SQL helpers, shared with StoreMigration ----

    /** A message row: its id (may be null) and its JSON record. */
    record Row(String id, String record) {
    }

    static boolean insertSession(Connection connection, ChatSession session) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO neutron_sessions (" + SESSION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            insert.setString(1, session.id());
            insert.setString(2, session.title());
            setNullable(insert, 3, session.model());
            insert.setLong(4, toNanos(session.createdAt()));
            insert.setLong(5, toNanos(session.updatedAt()));
            insert.setInt(6, session.messageCount());
            return insert.executeUpdate() == 1;
        }
    }

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

    static List<String> messageIds(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM neutron_messages WHERE session_id = ? ORDER BY seq")) {
            select.setString(1, sessionId);
            try (ResultSet rows = select.executeQuery()) {
                List<String> ids = new ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
                return ids;
            }
        }
    }

    static List<Row> messageRows(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, record FROM neutron_messages WHERE session_id = ? ORDER BY seq")) {
            select.setString(1, sessionId);
            try (ResultSet rows = select.executeQuery()) {
                List<Row> found = new ArrayList<>();
                while (rows.next()) {
                    found.add(new Row(rows.getString(1), rows.getString(2)));
                }
                return found;
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

    static void insertMessages(Connection connection, String sessionId, int firstSeq, List<Row> rows) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO neutron_messages (session_id, seq, id, record) VALUES (?, ?, ?, ?)")) {
            int seq = firstSeq;
            for (Row row : rows) {
                insert.setString(1, sessionId);
                insert.setInt(2, seq++);
                setNullable(insert, 3, row.id());
                insert.setString(4, row.record());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    static ChatSession readSession(ResultSet rows) throws SQLException {
        return new ChatSession(rows.getString(1), rows.getString(2), rows.getString(3), fromNanos(rows.getLong(4)),
                fromNanos(rows.getLong(5)), rows.getInt(6));
    }

    static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    static long toNanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (ArithmeticException e) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "The time " + instant
                    + " is outside what the PostgreSQL store keeps (the years 1678 to 2261).");
        }
    }

    static Instant fromNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    String toJson(ChatMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new NeutronException(ErrorCode.INTERNAL_ERROR, "Cannot serialise message " + message.id(), e);
        }
    }

    ChatMessage fromJson(String record) {
        try {
            return json.readValue(record, ChatMessage.class);
        } catch (JsonProcessingException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "A message row in " + displayUrl
                    + " is not a readable message: " + e.getOriginalMessage(), e);
        }
    }

    <T> T withConnection(String what, SqlWork<T> work) {
        try (ConnectionPool.Lease lease = pool.lease()) {
            try {
                return work.run(lease.connection());
            } catch (SQLException e) {
                if (isConnectionFailure(e)) {
                    lease.broken();
                }
                throw e;
            } catch (RuntimeException e) {
                if (!(e instanceof NeutronException)) {
                    lease.broken(); // a bug left the connection in an unknown state: do not reuse it
                }
                throw e;
            }
        } catch (SQLException e) {
            throw storageError(what, e);
        }
    }

    <T> T inTransaction(String what, SqlWork<T> work) {
        return withConnection(what, connection -> {
            connection.setAutoCommit(false);
            T result = work.run(connection);
            connection.commit();
            connection.setAutoCommit(true);
            return result;
        });
    }

    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    /** The one place SQL failures become coded errors that say where the database is (no password) and what to do. */
    NeutronException storageError(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        String message;
        if (state.startsWith("28")) {
            message = "PostgreSQL at " + displayUrl + " refused the login of user " + user + " (" + reason
                    + "). Check user and password in " + CFG + ".";
        } else if (state.equals("3D000")) {
            message = "The database of " + displayUrl + " does not exist (" + reason + "). Create it (e.g. createdb "
                    + JdbcUrls.databaseName(displayUrl) + ") or fix url in " + CFG + ".";
        } else if (state.startsWith("08") || state.startsWith("57P") || hasCause(e, ConnectException.class)) {
            message = "PostgreSQL is not reachable at " + displayUrl + " (" + reason + "). Start PostgreSQL, or fix url "
                    + "in " + CFG + "; could not " + what + ".";
        } else {
            message = "PostgreSQL at " + displayUrl + " could not " + what + ": " + reason
                    + (state.isEmpty() ? "" : " (SQLState " + state + ")") + ".";
        }
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

    static void requireValidId(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw new NeutronException(ErrorCode.INVALID_SESSION_ID,
                    "Not a valid session id. Session ids look like chat_0123456789abcdef and come from POST /api/v1/chat/sessions.");
        }
    }

    static NeutronException notFound(String sessionId) {
        return new NeutronException(ErrorCode.SESSION_NOT_FOUND, "No chat session with id " + sessionId + ".");
    }

    static String cleanTitle(String title) {
        String clean = title.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() > MAX_TITLE_CHARS ? clean.substring(0, MAX_TITLE_CHARS) : clean;
    }

    /** Blank means "the default model"; NUL, which PostgreSQL text cannot hold, is dropped. */
    static String cleanModel(String model) {
        if (model == null || model.isBlank()) {
            return null;
        }
        return model.strip().replace("\u0000", "");
    }
}
