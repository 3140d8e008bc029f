package dev.neutron.store.jdbc;

import dev.neutron.api.ChatSession;
import dev.neutron.store.codec.SessionOrder;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The session list, read again only where {@code neutron_sessions} changed since the last read. The change count
 * ({@link StoreSchema#CHANGE_COUNT}, kept by a trigger, so writes of other processes count too) is spread over
 * {@link StoreSchema#CHANGE_SLOTS} slots by a hash of the session id; each call reads those counts (one query over at
 * most 65 rows) and re-reads only the sessions of the slots whose count moved, through an index on that hash. A
 * {@code TRUNCATE} moves the slot {@link StoreSchema#EVERY_SLOT}, which makes the next call read every row.
 *
 * <p>The counts are read before the rows, so the rows kept are never older than the counts kept with them: a change
 * committed in between is in the rows but not in those counts, which only costs the next call one more read. A change
 * is never missed, whoever commits it and when.
 */
final class SessionList {
    private static final String COUNTS = "SELECT slot, changes FROM neutron_session_changes";
    private static final String SLOT = "hashtext(id) & " + (StoreSchema.CHANGE_SLOTS - 1);
    private static final String SELECT = "SELECT " + ChatRows.SESSION_COLUMNS + ", " + SLOT + " AS change_slot"
            + " FROM neutron_sessions";
    /** Beyond this many changed slots one read of every row is quicker than a read by slot. */
    private static final int MOST_SLOTS_READ_BY_SLOT = StoreSchema.CHANGE_SLOTS / 4;
    /** The order of {@link ChatRows#selectSessions}, which its {@code ORDER BY} must match. */
    private static final Comparator<Slotted> ROW_NEWEST_FIRST = Comparator.comparing(Slotted::session,
            SessionOrder.NEWEST_FIRST);

    private record Slotted(int slot, ChatSession session) {
    }

    /** {@code rows} and {@code sessions} newest first. */
    private record Read(Map<Integer, Long> counts, List<Slotted> rows, List<ChatSession> sessions) {
        long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final AtomicReference<Read> last = new AtomicReference<>();

    /** @return newest first, unmodifiable; the same list as the last call's when nothing changed since */
    List<ChatSession> list(Connection connection) throws SQLException {
        Map<Integer, Long> counts = counts(connection);
        Read kept = last.get();
        if (kept != null && kept.counts().equals(counts)) {
            return kept.sessions();
        }
        List<Integer> changed = kept == null ? null : changedSlots(kept.counts(), counts);
        Read read = changed == null || changed.contains(StoreSchema.EVERY_SLOT) || changed.size() > MOST_SLOTS_READ_BY_SLOT
                ? read(counts, select(connection, SELECT, null))
                : merge(counts, kept.rows(), changed, select(connection, SELECT + " WHERE " + SLOT + " = ANY (?)",
                        connection.createArrayOf("integer", changed.toArray())));
        last.accumulateAndGet(read, (was, now) -> was == null || now.total() >= was.total() ? now : was);
        return read.sessions();
    }

    private static List<Integer> changedSlots(Map<Integer, Long> before, Map<Integer, Long> now) {
        List<Integer> changed = new ArrayList<>();
        now.forEach((slot, count) -> {
            if (!count.equals(before.get(slot))) {
                changed.add(slot);
            }
        });
        before.keySet().stream().filter(slot -> !now.containsKey(slot)).forEach(changed::add);
        return changed;
    }

    /** The kept rows, newest first, with those of the changed slots replaced by {@code reread}: no sort of the rest. */
    private static Read merge(Map<Integer, Long> counts, List<Slotted> kept, List<Integer> changed,
            List<Slotted> reread) {
        boolean[] isChanged = new boolean[StoreSchema.EVERY_SLOT + 1];
        changed.forEach(slot -> isChanged[slot] = true);
        List<Slotted> rows = new ArrayList<>(kept.size() + reread.size());
        kept.stream().filter(row -> !isChanged[row.slot()]).forEach(rows::add);
        for (Slotted row : reread) {
            int at = Collections.binarySearch(rows, row, ROW_NEWEST_FIRST);
            rows.add(at < 0 ? -at - 1 : at, row);
        }
        return new Read(counts, rows, rows.stream().map(Slotted::session).toList());
    }

    private static Read read(Map<Integer, Long> counts, List<Slotted> rows) {
        List<Slotted> sorted = rows.stream().sorted(ROW_NEWEST_FIRST).toList();
        return new Read(counts, sorted, sorted.stream().map(Slotted::session).toList());
    }

    private static List<Slotted> select(Connection connection, String sql, Array slots) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            if (slots != null) {
                select.setArray(1, slots);
            }
            try (ResultSet rows = select.executeQuery()) {
                List<Slotted> found = new ArrayList<>();
                while (rows.next()) {
                    found.add(new Slotted(rows.getInt("change_slot"), ChatRows.readSession(rows)));
                }
                return found;
            }
        }
    }

    private static Map<Integer, Long> counts(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(COUNTS); ResultSet rows = select.executeQuery()) {
            Map<Integer, Long> counts = new HashMap<>();
            while (rows.next()) {
                counts.put(rows.getInt(1), rows.getLong(2));
            }
            return counts;
        }
    }
}
