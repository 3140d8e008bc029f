package dev.neutron.store.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * New connections straight from the PostgreSQL driver instance this bundle holds, for the pool. HikariCP would
 * otherwise look the driver up by class name through {@code DriverManager} and its own class loader, which in OSGi
 * cannot see the driver bundle. The password lives only in the {@link Properties} handed to the driver; parameters
 * in the URL win over them, as the driver has it.
 */
final class PostgresDriverDataSource implements DataSource {
    private final Driver driver;
    private final String url;
    private final Properties properties = new Properties();
    private volatile int loginTimeoutSeconds;

    PostgresDriverDataSource(Driver driver, String url, String user, String password, Duration connectTimeout) {
        this.driver = driver;
        this.url = url;
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

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException("The PostgreSQL driver does not accept this URL; it must start with jdbc:postgresql://",
                    "08001");
        }
        return connection;
    }

    /** The login is fixed by the configuration. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The PostgreSQL store connects with the user of its configuration.");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // the driver logs through java.util.logging
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSeconds = seconds; // the driver's own connectTimeout/loginTimeout properties apply
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("No parent logger.");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
