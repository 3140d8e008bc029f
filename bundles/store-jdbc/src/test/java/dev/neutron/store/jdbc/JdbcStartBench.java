package dev.neutron.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The PostgreSQL store's start over 10,000 sessions, five times in one JVM: the pool opened, the schema checked (as
 * the component's start does) and the first session list read; beside a plain connection and {@code SELECT 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 5)
@Fork(1)
public class JdbcStartBench {
    private TestDatabase database;

    @Setup(Level.Trial)
    public void create() throws SQLException {
        database = JdbcBenchData.shared("neutron_bench_start");
    }

    @Benchmark
    public int start() {
        try (HikariDataSource pool = database.pool(4)) {
            JdbcChatStore store = database.store(pool);
            return store.listSessions().size();
        }
    }

    @Benchmark
    public boolean startFloor() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            return statement.execute("SELECT 1");
        }
    }
}
