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
 * Objects other than tables ({@link #CHANGE_COUNT}) are created the same way, once, by the first start that lacks them.
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

    static final int CHANGE_SLOTS = 64;
    /** The slot a {@code TRUNCATE} counts in: every session changed. */
    static final int EVERY_SLOT = CHANGE_SLOTS;

    /**
     * The count of changes to {@code neutron_sessions} that {@link SessionList} compares to serve the list from memory:
     * kept by a trigger, so that every writer counts, older Neutrons and hand-written SQL included. The count is spread
     * over 64 rows by a hash of the session id, so writers of different chats rarely wait for one another on it (a
     * single row would serialise every write transaction from its change to its commit); its sum only ever grows.
     * Upserted rather than seeded, so that a missing row is recreated instead of silently not counting. A
     * {@code TRUNCATE} counts in the slot {@link #EVERY_SLOT}. The index on the same hash lets a list read again only
     * the sessions of the slots that changed.
     */
    static final List<String> CHANGE_COUNT = List.of(
            """
            CREATE TABLE IF NOT EXISTS neutron_session_changes (
                slot    integer PRIMARY KEY,
                changes bigint  NOT NULL
            )""",
            """
            CREATE OR REPLACE FUNCTION neutron_count_session_change() RETURNS trigger LANGUAGE plpgsql
            SET search_path FROM CURRENT AS $$
            DECLARE
                changed integer := %d;
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    changed := hashtext(OLD.id) & %d;
                ELSIF TG_OP <> 'TRUNCATE' THEN
                    changed := hashtext(NEW.id) & %d;
                END IF;
                INSERT INTO neutron_session_changes AS c (slot, changes) VALUES (changed, 1)
                    ON CONFLICT (slot) DO UPDATE SET changes = c.changes + 1;
                RETURN NULL;
            END
            $$""".formatted(EVERY_SLOT, CHANGE_SLOTS - 1, CHANGE_SLOTS - 1),
            "CREATE INDEX IF NOT EXISTS neutron_sessions_change_slot ON neutron_sessions ((hashtext(id) & "
                    + (CHANGE_SLOTS - 1) + "))",
            """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'neutron_sessions'::regclass
                        AND tgname = 'neutron_sessions_count_changes') THEN
                    CREATE TRIGGER neutron_sessions_count_changes AFTER INSERT OR UPDATE OR DELETE ON neutron_sessions
                        FOR EACH ROW EXECUTE PROCEDURE neutron_count_session_change();
                END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'neutron_sessions'::regclass
                        AND tgname = 'neutron_sessions_count_truncate') THEN
                    CREATE TRIGGER neutron_sessions_count_truncate AFTER TRUNCATE ON neutron_sessions
                        FOR EACH STATEMENT EXECUTE PROCEDURE neutron_count_session_change();
                END IF;
            END
            $$""");

    private StoreSchema() {
    }

    /** Creates the tables that are missing; call it in a transaction, which holds the lock until its end. */
    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")");
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
            for (String ddl : CHANGE_COUNT) {
                statement.execute(ddl);
            }
        }
    }
}
