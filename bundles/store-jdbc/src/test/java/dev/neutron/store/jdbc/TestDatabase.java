package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database of its own on the real PostgreSQL that {@code scripts/test-postgres} runs, found through
 * {@code NEUTRON_TEST_JDBC_URL} (+ {@code _USER}, {@code _PASSWORD}). Tests fail, and do not skip, without it.
 */
final class TestDatabase implements AutoCloseable {
    final String url;
    final String user;
    final String password;
    private final String adminUrl;
    private final String name;

    private TestDatabase(String adminUrl, String user, String password, String name, String url) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        this.url = url;
    }

    static TestDatabase create() throws SQLException {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        TestDatabase database = create("neutron_t_" + HexFormat.of().formatHex(random));
        database.admin("CREATE DATABASE " + database.name);
        return database;
    }

    /** The database {@code name}, created if it does not exist yet (for data kept between benchmark forks). */
    static TestDatabase named(String name) throws SQLException {
        TestDatabase database = create(name);
        try (Connection connection = database.connect(database.adminUrl);
                java.sql.PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (java.sql.ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    database.admin("CREATE DATABASE " + name);
                }
            }
        }
        return database;
    }

    private static TestDatabase create(String name) {
        String adminUrl = System.getenv("NEUTRON_TEST_JDBC_URL");
        if (adminUrl == null || adminUrl.isBlank()) {
            fail("NEUTRON_TEST_JDBC_URL is not set, so there is no PostgreSQL to test against. Run the tests with "
                    + "scripts/test, or `eval \"$(scripts/test-postgres env)\"` first.");
        }
        String user = System.getenv().getOrDefault("NEUTRON_TEST_JDBC_USER", "");
        String password = System.getenv().getOrDefault("NEUTRON_TEST_JDBC_PASSWORD", "");
        return new TestDatabase(adminUrl, user, password, name, withDatabase(adminUrl, name));
    }

    private static String withDatabase(String url, String database) {
        int hostStart = url.indexOf("//") + 2;
        int slash = url.indexOf('/', hostStart);
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    HikariDataSource pool(int size) {
        return pool(size, password);
    }

    HikariDataSource pool(int size, String password) {
        return new PoolSettings(size, Duration.ofSeconds(5), Duration.ofMinutes(30), Duration.ofMinutes(1))
                .open(url, user, password);
    }

    JdbcChatStore store(HikariDataSource pool) {
        JdbcChatStore store = new JdbcChatStore(pool, url, user, Clock.systemUTC());
        store.createSchema();
        return store;
    }

    /** Runs SQL in this test database. */
    void sql(String statement) throws SQLException {
        try (Connection connection = connect(url); Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    Connection connect() throws SQLException {
        return connect(url);
    }

    private Connection connect(String target) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return new org.postgresql.Driver().connect(target, properties);
    }

    private void admin(String statement) throws SQLException {
        try (Connection connection = connect(adminUrl); Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    @Override
    public void close() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
