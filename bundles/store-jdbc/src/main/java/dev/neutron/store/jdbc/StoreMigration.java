package dev.neutron.store.jdbc;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * model, updatedAt, messageCount), which tells apart who changed what since:
 * <ul>
 * <li>unchanged in the source since the last copy: skipped without reading its messages (a restart re-syncs in
 *     one query plus one listing);</li>
 * <li>missing here but copied before: it was deleted here, and is not brought back;</li>
 * <li>a title or model changed in the source and not here: taken over; changed on both sides: this store's value
 *     stays (it was written through the active store);</li>
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

    private final JdbcChatStore target;
    private final ChatStore source;
    private final String sourceName;
    private final AtomicInteger sessionsCopied = new AtomicInteger();
    private final AtomicInteger messagesCopied = new AtomicInteger();
    private final AtomicInteger sessionsDeleted = new AtomicInteger();
    private volatile long runId = -1;

    /** What was last copied of one source session. */
    record Snapshot(String sessionId, String title, String model, long updatedAtNanos, int messageCount) {
        boolean matches(ChatSession session) {
            return Objects.equals(title, session.title()) && Objects.equals(model, session.model())
                    && updatedAtNanos == JdbcChatStore.toNanos(session.updatedAt()) && messageCount == session.messageCount();
        }
    }

    StoreMigration(JdbcChatStore target, ChatStore source, String sourceName) {
        this.target = target;
        this.source = source;
        this.sourceName = sourceName;
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
     * One pass over the whole source. Snapshots are read before the source is listed, so a session missing from the
     * listing but remembered was really deleted there (ids are never reused).
     *
     * @return how many sessions were copied, changed or deleted here
     */
    int syncAll() {
        Map<String, Snapshot> snapshots = loadSnapshots();
        List<ChatSession> sessions = source.listSessions();
        int changes = 0;
        Set<String> inSource = new HashSet<>();
        for (ChatSession session : sessions) {
            inSource.add(session.id());
            Snapshot snapshot = snapshots.get(session.id());
            if (snapshot != null && snapshot.matches(session)) {
                continue;
            }
            if (syncSession(session).changed()) {
                changes++;
            }
        }
        for (Snapshot snapshot : snapshots.values()) {
            if (!inSource.contains(snapshot.sessionId()) && source.findSession(snapshot.sessionId()).isEmpty()
                    && forgetDeleted(snapshot)) {
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

    private Outcome syncSession(ChatSession from) {
        String id = from.id();
        List<ChatMessage> history;
        try {
            history = source.messages(id);
        } catch (NeutronException e) {
            if (e.code() == ErrorCode.SESSION_NOT_FOUND) {
                return new Outcome(false, false); // deleted in the source meanwhile: the next pass sees it
            }
            throw e;
        }
        List<JdbcChatStore.Row> rows = history.stream().map(m -> new JdbcChatStore.Row(m.id(), target.toJson(m))).toList();
        return target.inTransaction("copy session " + id + " from the " + sourceName + " store", connection -> {
            lockSession(connection, id);
            Snapshot snapshot = selectSnapshot(connection, id);
            Optional<ChatSession> existing = JdbcChatStore.selectSession(connection, id, true);
            if (existing.isEmpty() && snapshot != null) {
                saveSnapshot(connection, from); // deleted here after it was copied: stays deleted
                return new Outcome(false, false);
            }
            if (existing.isEmpty()) {
                JdbcChatStore.insertSession(connection, new ChatSession(id, cleanTitle(from.title()),
                        JdbcChatStore.cleanModel(from.model()), from.createdAt(), from.updatedAt(), rows.size()));
                JdbcChatStore.insertMessages(connection, id, 0, rows);
                saveSnapshot(connection, from);
                sessionsCopied.incrementAndGet();
                messagesCopied.addAndGet(rows.size());
                return new Outcome(true, true);
            }
            ChatSession here = existing.get();
            String title = here.title();
            String model = here.model();
            if (snapshot == null) {
                if (from.updatedAt().isAfter(here.updatedAt())) { // same id from elsewhere (an import): newer wins
                    title = cleanTitle(from.title());
                    model = JdbcChatStore.cleanModel(from.model());
                }
            } else {
                if (!Objects.equals(from.title(), snapshot.title()) && Objects.equals(here.title(), snapshot.title())) {
                    title = cleanTitle(from.title());
                }
                if (!Objects.equals(from.model(), snapshot.model()) && Objects.equals(here.model(), snapshot.model())) {
                    model = JdbcChatStore.cleanModel(from.model());
                }
            }
            boolean changed = !title.equals(here.title()) || !Objects.equals(model, here.model());
            int count = here.messageCount();
            List<JdbcChatStore.Row> present = JdbcChatStore.messageRows(connection, id);
            Set<String> presentIds = new HashSet<>();
            present.forEach(row -> presentIds.add(row.id()));
            long missing = history.stream().filter(m -> m.id() != null && !presentIds.contains(m.id())).count();
            if (missing > 0) {
                List<JdbcChatStore.Row> merged = merge(present, history);
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM neutron_messages WHERE session_id = ?")) {
                    delete.setString(1, id);
                    delete.executeUpdate();
                }
                JdbcChatStore.insertMessages(connection, id, 0, merged);
                count = merged.size();
                changed = true;
                messagesCopied.addAndGet((int) missing);
            }
            Instant updated = from.updatedAt().isAfter(here.updatedAt()) ? from.updatedAt() : here.updatedAt();
            if (changed || !updated.equals(here.updatedAt())) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE neutron_sessions SET title = ?, "
                        + "model = ?, updated_at_ns = ?, message_count = ? WHERE id = ?")) {
                    update.setString(1, title);
                    JdbcChatStore.setNullable(update, 2, model);
                    update.setLong(3, JdbcChatStore.toNanos(updated));
                    update.setInt(4, count);
                    update.setString(5, id);
                    update.executeUpdate();
                }
            }
            saveSnapshot(connection, from);
            if (changed) {
                sessionsCopied.incrementAndGet();
            }
            return new Outcome(changed, true);
        });
    }

    /**
     * The history here plus the source's messages it lacks. Each missing message goes right after the message that
     * precedes it in the source, then past messages that exist only here and are not newer than it.
     */
    private List<JdbcChatStore.Row> merge(List<JdbcChatStore.Row> present, List<ChatMessage> history) {
        Set<String> sourceIds = new HashSet<>();
        history.forEach(m -> sourceIds.add(m.id()));
        List<JdbcChatStore.Row> result = new ArrayList<>(present);
        List<Instant> created = new ArrayList<>();
        for (JdbcChatStore.Row row : present) {
            created.add(target.fromJson(row.record()).createdAt());
        }
        Set<String> ids = new HashSet<>();
        present.forEach(row -> ids.add(row.id()));
        int after = 0; // insertion point: just after the previous source message
        for (ChatMessage message : history) {
            if (message.id() == null) {
                continue; // cannot be matched, so it cannot be merged safely (the engine always sets ids)
            }
            if (ids.contains(message.id())) {
                after = indexOf(result, message.id()) + 1;
                continue;
            }
            int position = after;
            while (position < result.size() && !sourceIds.contains(result.get(position).id())
                    && created.get(position) != null && message.createdAt() != null
                    && !created.get(position).isAfter(message.createdAt())) {
                position++;
            }
            result.add(position, new JdbcChatStore.Row(message.id(), target.toJson(message)));
            created.add(position, message.createdAt());
            ids.add(message.id());
            after = position + 1;
        }
        return result;
    }

    private static int indexOf(List<JdbcChatStore.Row> rows, String id) {
        for (int i = 0; i < rows.size(); i++) {
            if (id.equals(rows.get(i).id())) {
                return i;
            }
        }
        return -1;
    }

    /** A session gone from the source: delete it here too, unless it changed here since it was copied. */
    private boolean forgetDeleted(Snapshot snapshot) {
        String id = snapshot.sessionId();
        return target.inTransaction("remove session " + id + ", deleted in the " + sourceName + " store", connection -> {
            lockSession(connection, id);
            Optional<ChatSession> here = JdbcChatStore.selectSession(connection, id, true);
            boolean unchangedHere = here.isPresent() && here.get().title().equals(snapshot.title())
                    && Objects.equals(here.get().model(), snapshot.model())
                    && JdbcChatStore.toNanos(here.get().updatedAt()) == snapshot.updatedAtNanos()
                    && here.get().messageCount() == snapshot.messageCount();
            if (unchangedHere) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM neutron_sessions WHERE id = ?")) {
                    delete.setString(1, id);
                    delete.executeUpdate();
                }
                sessionsDeleted.incrementAndGet();
            }
            try (PreparedStatement forget = connection.prepareStatement(
                    "DELETE FROM neutron_migrated_sessions WHERE source = ? AND session_id = ?")) {
                forget.setString(1, sourceName);
                forget.setString(2, id);
                forget.executeUpdate();
            }
            return unchangedHere;
        });
    }

    private Map<String, Snapshot> loadSnapshots() {
        return target.withConnection("read what was copied from the " + sourceName + " store", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT session_id, title, model, updated_at_ns, "
                    + "message_count FROM neutron_migrated_sessions WHERE source = ?")) {
                select.setString(1, sourceName);
                try (ResultSet rows = select.executeQuery()) {
                    Map<String, Snapshot> snapshots = new HashMap<>();
                    while (rows.next()) {
                        Snapshot snapshot = readSnapshot(rows);
                        snapshots.put(snapshot.sessionId(), snapshot);
                    }
                    return snapshots;
                }
            }
        });
    }

    private Snapshot selectSnapshot(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT session_id, title, model, updated_at_ns, "
                + "message_count FROM neutron_migrated_sessions WHERE source = ? AND session_id = ?")) {
            select.setString(1, sourceName);
            select.setString(2, sessionId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? readSnapshot(rows) : null;
            }
        }
    }

    private static Snapshot readSnapshot(ResultSet rows) throws SQLException {
        return new Snapshot(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4), rows.getInt(5));
    }

    private void saveSnapshot(Connection connection, ChatSession from) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO neutron_migrated_sessions "
                + "(source, session_id, title, model, updated_at_ns, message_count) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (source, session_id) DO UPDATE SET title = EXCLUDED.title, model = EXCLUDED.model, "
                + "updated_at_ns = EXCLUDED.updated_at_ns, message_count = EXCLUDED.message_count")) {
            upsert.setString(1, sourceName);
            upsert.setString(2, from.id());
            upsert.setString(3, from.title() == null ? "" : from.title());
            JdbcChatStore.setNullable(upsert, 4, from.model());
            upsert.setLong(5, JdbcChatStore.toNanos(from.updatedAt()));
            upsert.setInt(6, from.messageCount());
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

    private static String cleanTitle(String title) {
        return title == null || title.isBlank() ? "New chat" : JdbcChatStore.cleanTitle(title);
    }
}
