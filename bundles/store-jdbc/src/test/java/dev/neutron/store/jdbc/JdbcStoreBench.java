package dev.neutron.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.store.codec.MessageCodec;
import dev.neutron.store.contract.BenchChats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The PostgreSQL store over {@link BenchChats} (10,000 sessions) on the test PostgreSQL: a durable append, the session
 * list (unchanged since the last, after a change, and every row read as before the change count), opening a chat of
 * 1,000 and 10,000 messages; each beside its floor on the same database ({@code *Floor}: one committed INSERT of the
 * same record, the same rows selected with plain JDBC). Run by scripts/bench-storage.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class JdbcStoreBench {
    private TestDatabase database;
    private HikariDataSource pool;
    private JdbcChatStore store;
    private String record;
    private long appended;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        database = JdbcBenchData.shared("neutron_bench_store");
        database.sql("CREATE TABLE IF NOT EXISTS bench_floor (n bigserial PRIMARY KEY, record text NOT NULL)");
        pool = database.pool(4);
        store = database.store(pool);
        record = MessageCodec.write(BenchChats.answer("msg_floor"));
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        pool.close();
    }

    @Benchmark
    public ChatMessage append() {
        return store.appendMessage(BenchChats.APPEND_ID, BenchChats.answer("msg_bench_" + appended++));
    }

    /** What a durable append cannot beat here: one committed INSERT of the same record. */
    @Benchmark
    public int appendFloor() throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_floor (record) VALUES (?)")) {
            insert.setString(1, record);
            return insert.executeUpdate();
        }
    }

    /** Nothing changed since the last list: the change count, then the list kept from the last read. */
    @Benchmark
    public List<ChatSession> list() {
        return store.listSessions();
    }

    /** One chat changed since the last list (renamed before each call): the counts, then the rows of its slot. */
    @Benchmark
    public List<ChatSession> listAfterAChange(Change change) {
        return store.listSessions();
    }

    /** The list as it was before the change count: every row read at each call. */
    @Benchmark
    public List<ChatSession> listEveryRow() {
        return store.withConnection("list the sessions", ChatRows::selectSessions);
    }

    /** A chat renamed by someone else before each call, not timed. */
    @State(Scope.Thread)
    public static class Change {
        @Setup(Level.Invocation)
        public void renameAChat(JdbcStoreBench bench) throws SQLException {
            try (Connection connection = bench.pool.getConnection();
                    PreparedStatement update = connection.prepareStatement(
                            "UPDATE neutron_sessions SET title = title WHERE id = ?")) {
                update.setString(1, BenchChats.APPEND_ID);
                update.executeUpdate();
            }
        }
    }

    /** Every chat changed since the last list (the count of every slot moved before each call): every row read. */
    @Benchmark
    public List<ChatSession> listAfterEveryChatChanged(EveryChatChanged change) {
        return store.listSessions();
    }

    /** The count of every slot moved before each call, not timed. */
    @State(Scope.Thread)
    public static class EveryChatChanged {
        @Setup(Level.Invocation)
        public void moveEveryCount(JdbcStoreBench bench) throws SQLException {
            try (Connection connection = bench.pool.getConnection();
                    PreparedStatement update = connection.prepareStatement(
                            "UPDATE neutron_session_changes SET changes = changes + 1")) {
                update.executeUpdate();
            }
        }
    }

    /** The same rows, newest first, as strings. */
    @Benchmark
    public List<String> listFloor() throws SQLException {
        return strings("SELECT id, title, model, created_at_ns, updated_at_ns, message_count, active_leaf_id, settings,"
                + " auto_title FROM neutron_sessions ORDER BY updated_at_ns DESC, created_at_ns DESC, id DESC", null, 9);
    }

    @Benchmark
    public List<ChatMessage> open1k() {
        return store.messages(BenchChats.LONG_ID);
    }

    @Benchmark
    public List<String> open1kFloor() throws SQLException {
        return records(BenchChats.LONG_ID);
    }

    @Benchmark
    public List<ChatMessage> open10k() {
        return store.messages(BenchChats.LONGER_ID);
    }

    @Benchmark
    public List<String> open10kFloor() throws SQLException {
        return records(BenchChats.LONGER_ID);
    }

    private List<String> records(String sessionId) throws SQLException {
        return strings("SELECT id, parent_id, record FROM neutron_messages WHERE session_id = ? ORDER BY seq", sessionId, 3);
    }

    private List<String> strings(String sql, String parameter, int columns) throws SQLException {
        try (Connection connection = pool.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    for (int c = 1; c <= columns; c++) {
                        values.add(rows.getString(c));
                    }
                }
            }
            return values;
        }
    }
}
