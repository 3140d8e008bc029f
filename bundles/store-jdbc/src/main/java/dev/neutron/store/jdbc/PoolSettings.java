package dev.neutron.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * How the store's HikariCP pool is set up: a fixed number of connections, opened in the background (a database
 * that is down does not stop the store from starting; calls fail with {@code storage_error} until it is back),
 * each replaced after {@code maxLifetime}, and a warning with the borrower's stack trace in the log when one is held
 * longer than {@code leakDetection} (zero: no such check).
 *
 * @param connectTimeout how long a call waits for a connection: a new one, or a free one of the pool (plus a margin)
 */
record PoolSettings(int size, Duration connectTimeout, Duration maxLifetime, Duration leakDetection) {
    static final String POOL_NAME = "neutron-store-jdbc";
    static final int MAX_SIZE = 64;
    /** HikariCP's lower bounds: a shorter maxLifetime or leak threshold is ignored with a warning. */
    private static final Duration MIN_LIFETIME = Duration.ofSeconds(30);
    private static final Duration MIN_LEAK_DETECTION = Duration.ofSeconds(2);
    private static final Duration MAX_VALIDATION = Duration.ofSeconds(2);
    private static final Duration CONNECT_MARGIN = Duration.ofMillis(500);

    /** The configuration's values, each brought into the range HikariCP accepts. */
    static PoolSettings from(JdbcStoreConfig config) {
        Duration lifetime = max(Duration.ofSeconds(config.maxLifetimeSeconds()), MIN_LIFETIME);
        Duration leak = Duration.ofSeconds(config.leakDetectionSeconds());
        if (leak.isNegative() || leak.isZero()) {
            leak = Duration.ZERO;
        } else {
            leak = min(max(leak, MIN_LEAK_DETECTION), lifetime.minusSeconds(1));
        }
        return new PoolSettings(Math.max(1, Math.min(MAX_SIZE, config.poolSize())),
                Duration.ofSeconds(Math.max(1, config.connectTimeoutSeconds())), lifetime, leak);
    }

    HikariConfig hikariConfig(DataSource connections) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(POOL_NAME);
        hikari.setDataSource(connections);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(size);
        // a little longer than the driver's own connect timeout, so a call that gives up can say why connecting failed
        hikari.setConnectionTimeout(connectTimeout.plus(CONNECT_MARGIN).toMillis());
        hikari.setValidationTimeout(min(MAX_VALIDATION, connectTimeout).toMillis());
        hikari.setMaxLifetime(maxLifetime.toMillis());
        hikari.setLeakDetectionThreshold(leakDetection.toMillis());
        hikari.setInitializationFailTimeout(-1);
        return hikari;
    }

    /** Opens the pool; it connects in the background. Close it to close its connections. */
    HikariDataSource open(String url, String user, String password) {
        return new HikariDataSource(hikariConfig(
                new PostgresDriverDataSource(new org.postgresql.Driver(), url, user, password, connectTimeout)));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
