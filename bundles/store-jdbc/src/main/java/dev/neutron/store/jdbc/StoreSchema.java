package dev.neutron.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables of the store, created on first start: {@code IF NOT EXISTS} everywhere, under an advisory lock so that
 * a second Neutron starting on the same database at the same moment waits instead of failing. Columns added later
 * come with {@code ADD COLUMN IF NOT EXISTS}, so a database of an older version is brought up to date by the start
 * itself; their values for old rows are null or false ({@code parent_id}: the tree rule reads those rows as a straight
 * branch; {@code settings} null: no settings of the chat's own; {@code auto_title} false: a title a user gave).
 */
final class StoreSchema {
    private static final long CREATE_LOCK = 7426957915093248L;

    static final List<String> DDL = List.of(
            """
            CREATE TABLE IF NOT EXISTS neutron_sessions (
                id            text    PRIMARY KEY,
                title         text    NOT NULL,
                model         text,
                created_at_ns bigint  NOT NULL,
                updated_at_ns bigint  NOT NULL,
                message_count integer NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX IF NOT EXISTS neutron_sessions_newest_first"
                    + " ON neutron_sessions (updated_at_ns DESC, created_at_ns DESC, id DESC)",
            """
            CREATE TABLE IF NOT EXISTS neutron_messages (
                session_id text    NOT NULL REFERENCES neutron_sessions (id) ON DELETE CASCADE,
                seq        integer NOT NULL,
                id         text,
                record     text    NOT NULL,
                PRIMARY KEY (session_id, seq)
            )""",
            "CREATE INDEX IF NOT EXISTS neutron_messages_by_id ON neutron_messages (session_id, id)",
            "ALTER TABLE neutron_sessions ADD COLUMN IF NOT EXISTS active_leaf_id text",
            "ALTER TABLE neutron_messages ADD COLUMN IF NOT EXISTS parent_id text",
            "CREATE INDEX IF NOT EXISTS neutron_messages_by_parent ON neutron_messages (session_id, parent_id)",
            """
            CREATE TABLE IF NOT EXISTS neutron_migrated_sessions (
                source        text    NOT NULL,
                session_id    text    NOT NULL,
                title         text    NOT NULL,
                model         text,
                updated_at_ns bigint  NOT NULL,
                message_count integer NOT NULL,
                PRIMARY KEY (source, session_id)
            )""",
            """
            CREATE TABLE IF NOT EXISTS neutron_store_migrations (
                run_id           bigserial   PRIMARY KEY,
                source           text        NOT NULL,
                started_at       timestamptz NOT NULL DEFAULT now(),
                switched_at      timestamptz,
                finished_at      timestamptz,
                sessions_copied  integer     NOT NULL DEFAULT 0,
                messages_copied  integer     NOT NULL DEFAULT 0,
                sessions_deleted integer     NOT NULL DEFAULT 0
            )""",
            "ALTER TABLE neutron_sessions ADD COLUMN IF NOT EXISTS settings text",
            "ALTER TABLE neutron_sessions ADD COLUMN IF NOT EXISTS auto_title boolean NOT NULL DEFAULT false",
            "ALTER TABLE neutron_migrated_sessions ADD COLUMN IF NOT EXISTS settings text",
            "ALTER TABLE neutron_migrated_sessions ADD COLUMN IF NOT EXISTS auto_title boolean NOT NULL DEFAULT false");

    private StoreSchema() {
    }

    /** Creates the tables that are missing; call it in a transaction, which holds the lock until its end. */
    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")");
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
        }
    }
}
