package dev.neutron.store.jdbc;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Neutron PostgreSQL chat store",
        description = "Keeps chats in PostgreSQL. Inactive until this configuration exists; can take over the chats of "
                + "the active store and replace it while Neutron runs.")
public @interface JdbcStoreConfig {
    @AttributeDefinition(description = "JDBC URL of the database, e.g. jdbc:postgresql://127.0.0.1:5432/neutron. "
            + "The database must exist; the tables are created on first start.")
    String url();

    @AttributeDefinition(description = "Database user.", required = false)
    String user() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Database password. Never logged; "
            + "use ${env:NAME} in the .cfg to keep it out of the file.", required = false)
    String password() default "";

    @AttributeDefinition(description = "Connections kept open to the database (1-64).")
    int poolSize() default 4;

    @AttributeDefinition(description = "Take over every chat of the store whose neutron.store property has this value "
            + "(the default store is 'jsonl') before replacing it; empty: start with what the database holds.",
            required = false)
    String migrateFrom() default "";

    @AttributeDefinition(description = "After the switch, keep copying what still lands in the old store for at least "
            + "this many seconds, and until a pass finds nothing new.")
    int catchUpSeconds() default 10;

    @AttributeDefinition(description = "Seconds a call waits for a connection to the database: to connect, or for "
            + "one of the pool to become free. Then it fails with storage_error.")
    int connectTimeoutSeconds() default 5;

    @AttributeDefinition(description = "Seconds after which a connection is closed and replaced by a new one, once it "
            + "is idle (at least 30; keep it below any connection time limit of the database or a proxy in between).")
    int maxLifetimeSeconds() default 1800;

    @AttributeDefinition(description = "Log a warning, with the stack of the borrower, when a connection is held "
            + "longer than this many seconds (at least 2, below maxLifetimeSeconds); 0: no such check.")
    int leakDetectionSeconds() default 60;

    @AttributeDefinition(name = "service.ranking", description = "Ranking of this store's ChatStore service. Consumers "
            + "use the highest-ranked store, so above the JSONL store's 0 this store replaces it.")
    int service_ranking() default 10;
}
