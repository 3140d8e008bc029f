package dev.neutron.store.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A tiny connection pool: at most {@code size} connections, opened on demand, reused while healthy. A caller waits
 * for a free connection up to the borrow timeout. A connection that failed with a connection error, or that does not
 * answer {@link Connection#isValid} after lying idle, is closed and replaced, so a restarted database is picked up.
 * The password lives only in the {@link Properties} handed to the driver.
 */
final class ConnectionPool implements AutoCloseable {
    private static final long VALIDATE_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Driver driver;
    private final String url;
    private final Properties properties;
    private final int size;
    private final Duration borrowTimeout;
    private final Semaphore permits;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private volatile boolean closed;

    private record Idle(Connection connection, long since) {
    }

    /** A borrowed connection; {@link #close()} gives it back (or discards it after {@link #broken()}). */
    final class Lease implements AutoCloseable {
        private final Connection connection;
        private boolean broken;
        private boolean returned;

        private Lease(Connection connection) {
            this.connection = connection;
        }

        Connection connection() {
            return connection;
        }

        /** Marks the connection as unusable: it is closed instead of being reused. */
        void broken() {
            broken = true;
        }

        @Override
        public void close() {
            if (!returned) {
                returned = true;
                giveBack(connection, broken);
            }
        }
    }

    ConnectionPool(Driver driver, String url, String user, String password, int size, Duration connectTimeout,
            Duration borrowTimeout) {
        this.driver = driver;
        this.url = url;
        this.size = size;
        this.borrowTimeout = borrowTimeout;
        this.permits = new Semaphore(size, true);
        this.properties = new Properties();
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        long connectSeconds = Math.max(1, connectTimeout.toSeconds());
        properties.setProperty("connectTimeout", Long.toString(connectSeconds));
        properties.setProperty("loginTimeout", Long.toString(connectSeconds));
        // a database that stops answering mid-query fails the call instead of hanging it
        properties.setProperty("socketTimeout", "120");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "Neutron");
    }

    int size() {
        return size;
    }

    Lease lease() throws SQLException {
        if (closed) {
            throw new SQLTransientConnectionException("The PostgreSQL store is shutting down.", "08003");
        }
        boolean acquired;
        try {
            acquired = permits.tryAcquire(borrowTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting for a database connection.", "08001", e);
        }
        if (!acquired) {
            throw new SQLTransientConnectionException("All " + size + " connections to the database stayed busy for "
                    + borrowTimeout.toSeconds() + " s (raise poolSize, or check for slow queries).", "08001");
        }
        try {
            Connection connection = reuseIdle();
            if (connection == null) {
                connection = open();
            }
            return new Lease(connection);
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection reuseIdle() {
        while (true) {
            Idle candidate;
            synchronized (idle) {
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return null;
            }
            if (System.nanoTime() - candidate.since() < VALIDATE_AFTER_IDLE_NANOS || isValid(candidate.connection())) {
                return candidate.connection();
            }
            closeQuietly(candidate.connection());
        }
    }

    private static boolean isValid(Connection connection) {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private Connection open() throws SQLException {
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException("The PostgreSQL driver does not accept this URL; it must start with jdbc:postgresql://",
                    "08001");
        }
        return connection;
    }

    private void giveBack(Connection connection, boolean broken) {
        try {
            boolean reusable = !broken && !closed && !connection.isClosed();
            if (reusable && !connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            if (reusable) {
                synchronized (idle) {
                    idle.addFirst(new Idle(connection, System.nanoTime()));
                }
            } else {
                closeQuietly(connection);
            }
        } catch (SQLException e) {
            closeQuietly(connection);
        } finally {
            permits.release();
        }
        if (closed) {
            closeIdle();
        }
    }

    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        while (true) {
            Idle next;
            synchronized (idle) {
                next = idle.pollFirst();
            }
            if (next == null) {
                return;
            }
            closeQuietly(next.connection());
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing more to do
        }
    }
}
