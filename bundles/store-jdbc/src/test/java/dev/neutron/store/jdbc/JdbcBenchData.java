package dev.neutron.store.jdbc;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.store.contract.BenchChats;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * {@link BenchChats} in a database of the test PostgreSQL, written in one transaction by the first caller (the forks
 * of one run share it); {@code main("drop")} drops those databases after the run (scripts/bench-storage).
 */
final class JdbcBenchData {
    static final List<String> NAMES = List.of("neutron_bench_store", "neutron_bench_start");

    private JdbcBenchData() {
    }

    static TestDatabase shared(String name) throws SQLException {
        TestDatabase database = TestDatabase.named(name);
        try (Connection connection = database.connect()) {
            if (complete(connection)) {
                return database;
            }
            connection.setAutoCommit(false);
            StoreSchema.create(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE neutron_sessions CASCADE");
            }
            MessageRecords records = new MessageRecords("bench");
            List<ChatSession> sessions = BenchChats.sessions();
            for (int n = 0; n < sessions.size(); n++) {
                ChatRows.insertSession(connection, sessions.get(n));
                List<ChatMessage> messages = BenchChats.messages(n);
                ChatRows.insertMessages(connection, sessions.get(n).id(), 0, messages.stream().map(records::row).toList());
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE bench_complete ()");
            }
            connection.commit();
        }
        database.sql("ANALYZE");
        return database;
    }

    private static boolean complete(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT to_regclass('bench_complete') IS NOT NULL")) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    public static void main(String[] args) throws SQLException {
        if (args.length != 1 || !args[0].equals("drop")) {
            throw new IllegalArgumentException("usage: JdbcBenchData drop");
        }
        for (String name : NAMES) {
            TestDatabase.named(name).close();
        }
    }
}
