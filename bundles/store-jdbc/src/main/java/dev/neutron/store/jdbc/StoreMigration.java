package dev.neutron.store.jdbc;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.store.codec.SettingsCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Brings every chat of another store (the <em>source</em>, e.g. the JSONL store) into the PostgreSQL store, so that
 * the PostgreSQL store can replace it while Neutron runs without losing a write the source acknowledged.
 *
 * <p><b>How the switch stays lossless.</b> Consumers (HTTP servlets, the chat engine) hold the store in a dynamic
 * greedy reference and read it per call, so they move to the PostgreSQL store the moment its service is registered
 * with a higher ranking. Until then every write goes to the source. The component ({@link JdbcStoreComponent})
 * therefore:
 * <ol>
 * <li>runs {@link #syncAll()} while the source is still the active store: a full copy, then passes for what was
 *     written meanwhile, while they shrink, until one finds next to nothing (at most five passes);</li>
 * <li>registers the PostgreSQL store; consumers switch to it;</li>
 * <li>keeps running {@link #syncAll()} for at least {@code catchUpSeconds}, and until a pass finds nothing new, for
 *     the writes of calls that picked up the source just before the switch and land in it just after. While that
 *     lasts, a call on a session the PostgreSQL store lacks first fetches it from the source ({@link #fetch}), so a
 *     chat created in the source at the last moment is never "not found".</li>
 * </ol>
 *
 * <p><b>Syncing one session</b> is a transaction under a per-session advisory lock, idempotent by session id and
 * message id. {@code neutron_migrated_sessions} remembers, per session, what was last copied from the source (title,
 * autoTitle, model, settings, updatedAt, messageCount), which tells apart who changed what since:
 * <ul>
 * <li>unchanged in the source since the last copy: skipped without reading its messages (a restart re-syncs in
 *     one query plus one listing);</li>
 * <li>missing here but copied before: it was deleted here, and is not brought back;</li>
 * <li>a title (with whose it is), model or the chat's settings changed in the source and not here: taken over;
 *     changed on both sides: this store's value stays (it was written through the active store);</li>
 * <li>messages the source has and this store lacks are inserted after the message that precedes them in the source,
 *     and after any newer message written only here, so a question written to the source just before the switch
 *     stays ahead of its answer written here just after;</li>
 * <li>gone from the source: deleted here too, unless it was changed here since the copy.</li>
 * </ul>
 * So the sync can run again at every start (keep {@code migrateFrom} in the configuration): whatever landed in the
 * source while the PostgreSQL store was not active is carried over, and nothing deleted here comes back.
 */
final class StoreMigration implements JdbcChatStore.MissingSessions {
    private static final System.Logger LOG = System.getLogger(StoreMigration.class.getName());
    /** First key of the per-session advisory locks (the second is the hash of the session id). */
    private static final int LOCK_NAMESPACE = 0x4e657574; // "Neut"
    private static final String LAST_COPY_COLUMNS = "session_id, title, model, updated_at_ns, message_count, settings,"
            + " auto_title";

    private final JdbcChatStore target;
    private final ChatStore source;
    private final String sourceName;
    private final SessionMerge merge;
    private final AtomicInteger sessionsCopied = new AtomicInteger();
    private final AtomicInteger messagesCopied = new AtomicInteger();
    private final AtomicInteger sessionsDeleted = new AtomicInteger();
    private volatile long runId = -1;

    StoreMigration(JdbcChatStore target, ChatStore source, String sourceName) {
        this.target = target;
        this.source = source;
        this.sourceName = sourceName;
        this.merge = new SessionMerge(target.records());
    }

    int sessionsCopied() {
        return sessionsCopied.get();
    }

    int messagesCopied() {
        return messagesCopied.get();
    }

    int sessionsDeleted() {
        return sessionsDeleted.get();
    }

    /** Records the start of a run in {@code neutron_store_migrations}, once (so a retry may call it again). */
    void begin() {
        if (runId >= 0) {
            return;
        }
        runId = target.inTransaction("record the start of the move from " + sourceName, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO neutron_store_migrations (source) VALUES (?) RETURNING run_id")) {
                insert.setString(1, sourceName);
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    /** Records that the PostgreSQL store is now the active one. */
    void switched() {
        record("switched_at");
    }

    /** Records the end of the catch-up: the source is no longer written to. */
    void finished() {
        record("finished_at");
    }

    private void record(String column) {
        if (runId < 0) {
            return;
        }
        target.inTransaction("record the progress of the move from " + sourceName, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE neutron_store_migrations SET " + column
                    + " = now(), sessions_copied = ?, messages_copied = ?, sessions_deleted = ? WHERE run_id = ?")) {
                update.setInt(1, sessionsCopied.get());
                update.setInt(2, messagesCopied.get());
                update.setInt(3, sessionsDeleted.get());
                update.setLong(4, runId);
                update.executeUpdate();
            }
            return null;
        });
    }

    /**
     * One pass over the whole source. The last copies are read before the source is listed, so a session missing from
     * the listing but remembered was really deleted there (ids are never reused).
     *
     * @return how many sessions were copied, changed or deleted here
     */
    int syncAll() {
        Map<String, LastCopy> lastCopies = loadLastCopies();
        List<ChatSession> sessions = source.listSessions();
        int changes = 0;
        Set<String> inSource = new HashSet<>();
        for (ChatSession session : sessions) {
            inSource.add(session.id());
            if (!SessionMerge.needsSync(session, lastCopies.get(session.id()))) {
                continue;
            }
            if (syncSession(session).changed()) {
                changes++;
            }
        }
        for (LastCopy lastCopy : lastCopies.values()) {
            if (!inSource.contains(lastCopy.sessionId()) && source.findSession(lastCopy.sessionId()).isEmpty()
                    && forgetDeleted(lastCopy)) {
                changes++;
            }
        }
        return changes;
    }

    /** Called by the store for a session it lacks, while the catch-up runs. */
    @Override
    public boolean fetch(String sessionId) {
        try {
            Optional<ChatSession> session = source.findSession(sessionId);
            return session.isPresent() && syncSession(session.get()).present();
        } catch (NeutronException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not fetch session " + sessionId + " from the " + sourceName
                    + " store: " + e.getMessage());
            return false;
        }
    }

    private record Outcome(boolean changed, boolean present) {
    }

    /**
     * @param listed the session as a listing showed it, maybe before writes that its history already holds: the
     *               session is read again after its history, so that its active leaf is never older than the history
     */
    private Outcome syncSession(ChatSession listed) {
        String id = listed.id();
        List<ChatMessage> history;
        ChatSession from;
        try {
            history = source.allMessages(id);
            Optional<ChatSession> fresh = source.findSession(id);
            if (fresh.isEmpty()) {
                return new Outcome(false, false); // deleted in the source meanwhile: the next pass sees it
            }
            from = fresh.get();
            String leaf = from.activeLeafId();
            if (leaf != null && history.stream().noneMatch(m -> leaf.equals(m.id()))) {
                history = source.allMessages(id); // written between the two reads: read the history that holds it
            }
        } catch (NeutronException e) {
            if (e.code() == ErrorCode.SESSION_NOT_FOUND) {
                return new Outcome(false, false); // deleted in the source meanwhile: the next pass sees it
            }
            throw e;
        }
        return copy(from, history);
    }

    private Outcome copy(ChatSession from, List<ChatMessage> history) {
        String id = from.id();
        return target.inTransaction("copy session " + id + " from the " + sourceName + " store", connection -> {
            lockSession(connection, id);
            LastCopy lastCopy = selectLastCopy(connection, id);
            Optional<ChatSession> here = ChatRows.selectSession(connection, id, true);
            List<MessageRow> present = here.isPresent() ? ChatRows.messageRows(connection, id) : List.of();
            SessionMerge.Plan plan = merge.plan(from, history, lastCopy, here, present);
            Outcome outcome = apply(connection, id, plan);
            saveLastCopy(connection, from);
            return outcome;
        });
    }

    private Outcome apply(Connection connection, String id, SessionMerge.Plan plan) throws SQLException {
        if (plan instanceof SessionMerge.Copy copy) {
            ChatRows.insertSession(connection, copy.session());
            ChatRows.insertMessages(connection, id, 0, copy.messages());
            sessionsCopied.incrementAndGet();
            messagesCopied.addAndGet(copy.messages().size());
            return new Outcome(true, true);
        }
        if (!(plan instanceof SessionMerge.Update update)) {
            return new Outcome(false, false); // stays deleted
        }
        if (update.messages() != null) {
            ChatRows.deleteMessages(connection, id);
            ChatRows.insertMessages(connection, id, 0, update.messages());
            messagesCopied.addAndGet(update.added());
        }
        if (update.writeSession()) {
            try (PreparedStatement write = connection.prepareStatement("UPDATE neutron_sessions SET title = ?, "
                    + "model = ?, updated_at_ns = ?, message_count = ?, active_leaf_id = ?, settings = ?, auto_title = ?"
                    + " WHERE id = ?")) {
                write.setString(1, update.title());
                ChatRows.setNullable(write, 2, update.model());
                write.setLong(3, EpochNanos.of(update.updatedAt()));
                write.setInt(4, update.messageCount());
                ChatRows.setNullable(write, 5, update.activeLeafId());
                ChatRows.setNullable(write, 6, SettingsCodec.write(update.settings()));
                write.setBoolean(7, update.autoTitle());
                write.setString(8, id);
                write.executeUpdate();
            }
        }
        if (update.changed()) {
            sessionsCopied.incrementAndGet();
        }
        return new Outcome(update.changed(), true);
    }

    /** A session gone from the source: delete it here too, unless it changed here since it was copied. */
    private boolean forgetDeleted(LastCopy lastCopy) {
        String id = lastCopy.sessionId();
        return target.inTransaction("remove session " + id + ", deleted in the " + sourceName + " store", connection -> {
            lockSession(connection, id);
            boolean delete = SessionMerge.deleteHere(lastCopy, ChatRows.selectSession(connection, id, true));
            if (delete) {
                ChatRows.deleteSession(connection, id);
                sessionsDeleted.incrementAndGet();
            }
            try (PreparedStatement forget = connection.prepareStatement(
                    "DELETE FROM neutron_migrated_sessions WHERE source = ? AND session_id = ?")) {
                forget.setString(1, sourceName);
                forget.setString(2, id);
                forget.executeUpdate();
            }
            return delete;
        });
    }

    private Map<String, LastCopy> loadLastCopies() {
        return target.withConnection("read what was copied from the " + sourceName + " store", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + LAST_COPY_COLUMNS
                    + " FROM neutron_migrated_sessions WHERE source = ?")) {
                select.setString(1, sourceName);
                try (ResultSet rows = select.executeQuery()) {
                    Map<String, LastCopy> lastCopies = new HashMap<>();
                    while (rows.next()) {
                        LastCopy lastCopy = readLastCopy(rows);
                        lastCopies.put(lastCopy.sessionId(), lastCopy);
                    }
                    return lastCopies;
                }
            }
        });
    }

    private LastCopy selectLastCopy(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + LAST_COPY_COLUMNS
                + " FROM neutron_migrated_sessions WHERE source = ? AND session_id = ?")) {
            select.setString(1, sourceName);
            select.setString(2, sessionId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? readLastCopy(rows) : null;
            }
        }
    }

    private static LastCopy readLastCopy(ResultSet rows) throws SQLException {
        String id = rows.getString(1);
        return new LastCopy(id, rows.getString(2), rows.getString(3), rows.getLong(4), rows.getInt(5),
                ChatRows.settings(id, rows.getString(6)), rows.getBoolean(7));
    }

    private void saveLastCopy(Connection connection, ChatSession from) throws SQLException {
        LastCopy copy = LastCopy.of(from);
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO neutron_migrated_sessions "
                + "(source, session_id, title, model, updated_at_ns, message_count, settings, auto_title) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (source, session_id) DO UPDATE SET title = EXCLUDED.title, model = EXCLUDED.model, "
                + "updated_at_ns = EXCLUDED.updated_at_ns, message_count = EXCLUDED.message_count, "
                + "settings = EXCLUDED.settings, auto_title = EXCLUDED.auto_title")) {
            upsert.setString(1, sourceName);
            upsert.setString(2, copy.sessionId());
            upsert.setString(3, copy.title());
            ChatRows.setNullable(upsert, 4, copy.model());
            upsert.setLong(5, copy.updatedAtNanos());
            upsert.setInt(6, copy.messageCount());
            ChatRows.setNullable(upsert, 7, SettingsCodec.write(copy.settings()));
            upsert.setBoolean(8, copy.autoTitle());
            upsert.executeUpdate();
        }
    }

    private static void lockSession(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            lock.setInt(1, LOCK_NAMESPACE);
            lock.setString(2, sessionId);
            lock.execute();
        }
    }
}
