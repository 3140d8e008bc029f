package dev.neutron.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import dev.neutron.store.codec.BranchDeletion;
import dev.neutron.store.codec.ConversationTree;
import dev.neutron.store.codec.SessionTitles;
import dev.neutron.store.codec.SettingsCodec;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chats in PostgreSQL through plain JDBC, on connections of a HikariCP pool. One row per session in
 * {@code neutron_sessions}; one row per message in {@code neutron_messages}, ordered by {@code (session_id, seq)},
 * with the whole {@link ChatMessage} as JSON ({@link MessageRecords}); times as nanoseconds ({@link EpochNanos});
 * tables by {@link StoreSchema}, rows by {@link ChatRows}, SQL failures by {@link StorageErrors}.
 *
 * <p>Every write is one transaction and is committed (so durable, with PostgreSQL's default
 * {@code synchronous_commit}) before the call returns. An append locks its session row, inserts the message with the
 * next {@code seq} and updates {@code message_count}/{@code updated_at_ns} in the same transaction, so concurrent
 * appends are serialised per session and never lose or reorder one another.
 *
 * <p>Messages form a tree ({@link ConversationTree}): each row has a {@code parent_id}, the session row its
 * {@code active_leaf_id}, which an append moves to the new message in the same transaction.
 *
 * <p>Same contract as the JSONL store: ids {@code chat_} + 16 hex chars made here, every id validated before any SQL,
 * titles by {@link SessionTitles}, newest-first listing, read again only when a trigger-kept count says the sessions
 * changed ({@link SessionList}). A database that cannot be reached gives
 * {@code storage_error} with the URL (never the password) and what to do.
 */
public class JdbcChatStore implements ChatStore {
    public static final String PID = "dev.neutron.store.jdbc";
    /** Where the configuration is, as messages name it. */
    static final String CFG = "deploy/" + PID + ".cfg";
    private static final Pattern SESSION_ID = Pattern.compile(ChatSession.ID_PATTERN);

    private final HikariDataSource pool;
    private final String displayUrl;
    private final Clock clock;
    private final MessageRecords records;
    /** Messages parsed at the last read of the chats read last: at most this many characters of records. */
    private final ParsedRecords parsed = new ParsedRecords(16L << 20);
    private final StorageErrors errors;
    private final SessionList sessionList = new SessionList();
    private final SecureRandom random = new SecureRandom();
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

    /** @param pool gives the connections; closed by whoever opened it */
    JdbcChatStore(HikariDataSource pool, String url, String user, Clock clock) {
        this.pool = pool;
        this.displayUrl = JdbcUrls.redact(url);
        this.clock = clock;
        this.records = new MessageRecords(displayUrl);
        this.errors = new StorageErrors(displayUrl, user);
    }

    /** The URL as it may be shown and logged: without a password. */
    String displayUrl() {
        return displayUrl;
    }

    MessageRecords records() {
        return records;
    }

    /** Connects and creates the tables that are missing. @throws NeutronException {@code storage_error} */
    void createSchema() {
        inTransaction("create its tables", connection -> {
            StoreSchema.create(connection);
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
        boolean untitled = request == null || SessionTitles.untitled(request.title());
        String title = SessionTitles.clean(untitled ? null : request.title());
        String model = request == null ? null : cleanModel(request.model());
        ChatSettings settings = request == null ? null : request.settings();
        return withConnection("create a session", connection -> {
            while (true) {
                byte[] bytes = new byte[8];
                random.nextBytes(bytes);
                ChatSession session = new ChatSession("chat_" + HexFormat.of().formatHex(bytes), title, model, now, now, 0,
                        null, settings, untitled);
                if (ChatRows.insertSession(connection, session)) {
                    return session;
                }
            }
        });
    }

    @Override
    public List<ChatSession> listSessions() {
        return withConnection("list the sessions", sessionList::list);
    }

    @Override
    public Optional<ChatSession> findSession(String sessionId) {
        requireValidId(sessionId);
        Optional<ChatSession> found = withConnection("read session " + sessionId, c -> ChatRows.selectSession(c, sessionId, false));
        if (found.isEmpty() && fetchMissing(sessionId)) {
            return withConnection("read session " + sessionId, c -> ChatRows.selectSession(c, sessionId, false));
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

    /**
     * One statement. A user's title sets {@code auto_title} false; Neutron's title is written only where
     * {@code auto_title} is still true, checked by the statement that writes it; a patch of nothing else then matches
     * no row when the user named the chat meanwhile, and the session is read as it is.
     */
    private Optional<ChatSession> update(String sessionId, SessionPatch patch) {
        boolean title = patch.title() != null;
        boolean autoTitleOnly = title && patch.autoTitle() && patch.model() == null && patch.settings() == null;
        if (!title && patch.model() == null && patch.settings() == null) {
            return withConnection("read session " + sessionId, c -> ChatRows.selectSession(c, sessionId, false));
        }
        long now = EpochNanos.of(clock.instant());
        StringBuilder sql = new StringBuilder("UPDATE neutron_sessions SET updated_at_ns = ?");
        if (title) {
            sql.append(patch.autoTitle() ? ", title = CASE WHEN auto_title THEN ? ELSE title END"
                    : ", title = ?, auto_title = false");
        }
        if (patch.model() != null) {
            sql.append(", model = ?");
        }
        if (patch.settings() != null) {
            sql.append(", settings = ?");
        }
        sql.append(" WHERE id = ?").append(autoTitleOnly ? " AND auto_title" : "")
                .append(" RETURNING ").append(ChatRows.SESSION_COLUMNS);
        return withConnection("update session " + sessionId, connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql.toString())) {
                int i = 1;
                update.setLong(i++, now);
                if (title) {
                    update.setString(i++, SessionTitles.clean(patch.title()));
                }
                if (patch.model() != null) {
                    ChatRows.setNullable(update, i++, cleanModel(patch.model()));
                }
                if (patch.settings() != null) {
                    ChatRows.setNullable(update, i++, SettingsCodec.write(patch.settings()));
                }
                update.setString(i, sessionId);
                try (ResultSet rows = update.executeQuery()) {
                    if (rows.next()) {
                        return Optional.of(ChatRows.readSession(rows));
                    }
                }
            }
            // no such session, or (an auto title) one a user named: as it is
            return autoTitleOnly ? ChatRows.selectSession(connection, sessionId, false) : Optional.empty();
        });
    }

    @Override
    public boolean deleteSession(String sessionId) {
        requireValidId(sessionId);
        parsed.forget(sessionId);
        boolean deleted = delete(sessionId);
        if (!deleted && fetchMissing(sessionId)) {
            deleted = delete(sessionId);
        }
        return deleted;
    }

    private boolean delete(String sessionId) {
        return withConnection("delete session " + sessionId, connection -> ChatRows.deleteSession(connection, sessionId));
    }

    @Override
    public ChatMessage appendMessage(String sessionId, ChatMessage message) {
        requireValidId(sessionId);
        ChatMessage appended;
        try {
            appended = append(sessionId, message);
        } catch (NeutronException e) {
            // during a move, the parent may still be only in the source (a question stored there just before the switch)
            if (e.code() != ErrorCode.MESSAGE_NOT_FOUND || !fetchMissing(sessionId)) {
                throw e;
            }
            appended = null;
        }
        if (appended == null && fetchMissing(sessionId)) {
            appended = append(sessionId, message);
        }
        if (appended == null) {
            throw notFound(sessionId);
        }
        return appended;
    }

    /**
     * Lock the session row, find the parent, insert at the next seq, bump count and updatedAt, move the active leaf:
     * one transaction. @return the message as stored, or null when there is no such session
     */
    private ChatMessage append(String sessionId, ChatMessage message) {
        long now = EpochNanos.of(clock.instant());
        return inTransaction("append to the history of " + sessionId, connection -> {
            Optional<ChatSession> session = ChatRows.selectSession(connection, sessionId, true);
            if (session.isEmpty()) {
                return null;
            }
            String parent = message.parentId();
            if (parent == null) {
                String leaf = session.get().activeLeafId();
                parent = leaf != null && ChatRows.messageExists(connection, sessionId, leaf)
                        ? leaf : ChatRows.lastMessageId(connection, sessionId);
            } else if (!ChatMessage.NEW_ROOT.equals(parent) && !ChatRows.messageExists(connection, sessionId, parent)) {
                throw messageNotFound(sessionId, parent);
            }
            ChatMessage stored = message.withParentId(parent);
            ChatRows.insertMessages(connection, sessionId, ChatRows.nextSeq(connection, sessionId),
                    List.of(records.row(stored)));
            try (PreparedStatement update = connection.prepareStatement("UPDATE neutron_sessions SET message_count = "
                    + "message_count + 1, updated_at_ns = ?, active_leaf_id = ? WHERE id = ?")) {
                update.setLong(1, now);
                ChatRows.setNullable(update, 2, stored.id());
                update.setString(3, sessionId);
                update.executeUpdate();
            }
            return ChatMessage.NEW_ROOT.equals(stored.parentId()) ? stored.withParentId(null) : stored;
        });
    }

    @Override
    public ChatSession setActiveLeaf(String sessionId, String messageId) {
        requireValidId(sessionId);
        Optional<ChatSession> switched = switchLeaf(sessionId, messageId);
        if (switched.isEmpty() && fetchMissing(sessionId)) {
            switched = switchLeaf(sessionId, messageId);
        }
        return switched.orElseThrow(() -> notFound(sessionId));
    }

    private Optional<ChatSession> switchLeaf(String sessionId, String messageId) {
        return inTransaction("switch the branch of " + sessionId, connection -> {
            Optional<ChatSession> session = ChatRows.selectSession(connection, sessionId, true);
            if (session.isEmpty()) {
                return session;
            }
            if (messageId == null || !ChatRows.messageExists(connection, sessionId, messageId)) {
                throw messageNotFound(sessionId, messageId);
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE neutron_sessions SET active_leaf_id = ? WHERE id = ?")) {
                update.setString(1, messageId);
                update.setString(2, sessionId);
                update.executeUpdate();
            }
            return Optional.of(session.get().withActiveLeaf(messageId));
        });
    }

    @Override
    public ChatSession deleteBranch(String sessionId, String messageId) {
        requireValidId(sessionId);
        Optional<ChatSession> after = deleteRows(sessionId, messageId);
        if (after.isEmpty() && fetchMissing(sessionId)) {
            after = deleteRows(sessionId, messageId);
        }
        return after.orElseThrow(() -> notFound(sessionId));
    }

    /**
     * Lock the session row, work out the branch from the rows ({@link BranchDeletion}: rows written before trees have
     * no parent_id), delete it by id, write out the parents the remaining rows had only implied, update count, leaf
     * and updatedAt: one transaction. @return empty when there is no such session
     */
    private Optional<ChatSession> deleteRows(String sessionId, String messageId) {
        long now = EpochNanos.of(clock.instant());
        return inTransaction("delete messages of " + sessionId, connection -> {
            Optional<ChatSession> session = ChatRows.selectSession(connection, sessionId, true);
            if (session.isEmpty()) {
                return session;
            }
            Map<Integer, ChatMessage> stored = new LinkedHashMap<>();
            ChatRows.recordsBySeq(connection, sessionId).forEach((seq, record) -> stored.put(seq, records.read(record)));
            BranchDeletion deletion = BranchDeletion.plan(List.copyOf(stored.values()), session.get().activeLeafId(),
                    messageId).orElseThrow(() -> messageNotFound(sessionId, messageId));
            int deleted = ChatRows.deleteMessages(connection, sessionId, deletion.deleted());
            Map<Integer, MessageRow> rewritten = new LinkedHashMap<>();
            Iterator<ChatMessage> kept = deletion.kept().iterator();
            stored.forEach((seq, message) -> {
                if (message.id() == null || !deletion.deleted().contains(message.id())) {
                    ChatMessage keptMessage = kept.next();
                    if (BranchDeletion.rewritten(message, keptMessage)) {
                        rewritten.put(seq, records.row(keptMessage));
                    }
                }
            });
            ChatRows.updateParents(connection, sessionId, rewritten);
            try (PreparedStatement update = connection.prepareStatement("UPDATE neutron_sessions SET message_count = "
                    + "message_count - ?, updated_at_ns = ?, active_leaf_id = ? WHERE id = ? RETURNING "
                    + ChatRows.SESSION_COLUMNS)) {
                update.setInt(1, deleted);
                update.setLong(2, now);
                ChatRows.setNullable(update, 3, deletion.activeLeaf());
                update.setString(4, sessionId);
                try (ResultSet rows = update.executeQuery()) {
                    rows.next();
                    return Optional.of(ChatRows.readSession(rows));
                }
            }
        });
    }

    @Override
    public List<ChatMessage> messages(String sessionId) {
        ChatRows.History history = history(sessionId);
        return ConversationTree.activePath(read(sessionId, history), history.activeLeafId());
    }

    @Override
    public List<ChatMessage> allMessages(String sessionId) {
        return ConversationTree.withParents(read(sessionId, history(sessionId)));
    }

    private ChatRows.History history(String sessionId) {
        requireValidId(sessionId);
        ChatRows.History history = readHistory(sessionId);
        if (history == null && fetchMissing(sessionId)) {
            history = readHistory(sessionId);
        }
        if (history == null) {
            throw notFound(sessionId);
        }
        return history;
    }

    private ChatRows.History readHistory(String sessionId) {
        return withConnection("read the history of " + sessionId, connection -> ChatRows.history(connection, sessionId));
    }

    private List<ChatMessage> read(String sessionId, ChatRows.History history) {
        return parsed.read(sessionId, history.rows(), records::read);
    }

    @Override
    public boolean importSession(ChatSession session) {
        requireValidId(session.id());
        Instant created = session.createdAt() == null ? clock.instant() : session.createdAt();
        Instant updated = session.updatedAt() == null ? created : session.updatedAt();
        ChatSession cleaned = new ChatSession(session.id(), SessionTitles.clean(session.title()),
                cleanModel(session.model()), created, updated, 0, session.activeLeafId(), session.settings(),
                session.autoTitle());
        return withConnection("import session " + session.id(), connection -> ChatRows.insertSession(connection, cleaned));
    }

    @Override
    public int importMessages(String sessionId, List<ChatMessage> messages) {
        requireValidId(sessionId);
        for (ChatMessage message : messages) {
            if (message.id() == null || message.id().isBlank()) {
                throw new NeutronException(ErrorCode.INVALID_REQUEST, "A message to import has no id.");
            }
        }
        Integer added = importRows(sessionId, messages);
        if (added == null && fetchMissing(sessionId)) {
            added = importRows(sessionId, messages);
        }
        if (added == null) {
            throw notFound(sessionId);
        }
        return added;
    }

    /**
     * A message without parent follows the one appended before it (an export made before trees).
     *
     * @return how many rows were added, or null when there is no such session
     */
    private Integer importRows(String sessionId, List<ChatMessage> messages) {
        return inTransaction("import messages into " + sessionId, connection -> {
            if (ChatRows.selectSession(connection, sessionId, true).isEmpty()) {
                return null;
            }
            Set<String> known = new HashSet<>();
            List<MessageRow> present = ChatRows.messageRows(connection, sessionId);
            present.forEach(row -> known.add(row.id()));
            String previous = present.isEmpty() ? null : present.get(present.size() - 1).id();
            List<MessageRow> fresh = new ArrayList<>();
            for (ChatMessage message : messages) {
                if (known.add(message.id())) {
                    fresh.add(records.row(message.parentId() == null ? message.withParentId(previous) : message));
                    previous = message.id();
                }
            }
            if (fresh.isEmpty()) {
                return 0;
            }
            ChatRows.insertMessages(connection, sessionId, ChatRows.nextSeq(connection, sessionId), fresh);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE neutron_sessions SET message_count = message_count + ? WHERE id = ?")) {
                update.setInt(1, fresh.size());
                update.setString(2, sessionId);
                update.executeUpdate();
            }
            return fresh.size();
        });
    }

    /** Runs the work on a pooled connection; SQL failures become coded errors ({@link StorageErrors}). */
    <T> T withConnection(String what, SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            try {
                return work.run(connection);
            } catch (SQLException e) {
                if (StorageErrors.isConnectionFailure(e)) {
                    pool.evictConnection(connection);
                }
                throw e;
            } catch (RuntimeException e) {
                if (!(e instanceof NeutronException)) {
                    pool.evictConnection(connection); // a bug left the connection in an unknown state: do not reuse it
                }
                throw e;
            }
        } catch (SQLException e) {
            throw errors.toNeutron(what, e);
        }
    }

    /** As {@link #withConnection}, in one transaction, committed before it returns (rolled back by the pool on failure). */
    <T> T inTransaction(String what, SqlWork<T> work) {
        return withConnection(what, connection -> {
            connection.setAutoCommit(false);
            T result = work.run(connection);
            connection.commit();
            connection.setAutoCommit(true);
            return result;
        });
    }

    static void requireValidId(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw new NeutronException(ErrorCode.INVALID_SESSION_ID,
                    "Not a valid session id. Session ids look like chat_0123456789abcdef and come from POST /api/v1/chat/sessions.");
        }
    }

    static NeutronException messageNotFound(String sessionId, String messageId) {
        return new NeutronException(ErrorCode.MESSAGE_NOT_FOUND, "Chat " + sessionId + " has no message with id "
                + messageId + "; GET /api/v1/chat/sessions/" + sessionId + "/messages lists its messages.");
    }

    static NeutronException notFound(String sessionId) {
        return new NeutronException(ErrorCode.SESSION_NOT_FOUND, "No chat session with id " + sessionId + ".");
    }

    /** Blank means "the default model"; NUL, which PostgreSQL text cannot hold, is dropped. */
    static String cleanModel(String model) {
        if (model == null || model.isBlank()) {
            return null;
        }
        return model.strip().replace("\u0000", "");
    }
}
