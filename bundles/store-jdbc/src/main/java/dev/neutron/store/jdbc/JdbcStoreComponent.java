package dev.neutron.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.neutron.api.ChatStore;
import dev.neutron.api.NeutronException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.Objects;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs the PostgreSQL store while {@code deploy/dev.neutron.store.jdbc.cfg} exists (configurationPolicy REQUIRE:
 * without it the bundle does nothing). On a thread of its own, so configuration and framework start are never held
 * up: connect and create the tables (retrying with a clear log line while the database is unreachable), take over
 * the chats of the store named by {@code migrateFrom} (see {@link StoreMigration}), and only then register the
 * {@link ChatStore} service, with the configured {@code service.ranking} and {@code neutron.store=jdbc}. Consumers
 * that bind the store greedily switch to it at that moment. Removing the configuration unregisters the service and
 * the consumers fall back to the next store. DS gives the configuration (typed, {@link JdbcStoreConfig}) and the
 * lifecycle; the service itself is registered here rather than declared, because it must not appear before the
 * takeover is done, and a DS service is registered as soon as the component is satisfied.
 */
@Component(configurationPid = JdbcChatStore.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {},
        immediate = true)
@Designate(ocd = JdbcStoreConfig.class)
public class JdbcStoreComponent {
    private static final System.Logger LOG = System.getLogger(JdbcStoreComponent.class.getName());
    private static final Pattern STORE_NAME = Pattern.compile("[A-Za-z0-9._-]*");
    private static final Duration SOURCE_WAIT = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final String CFG = JdbcChatStore.CFG;
    private static final int MAX_PASSES_BEFORE_SWITCH = 5;
    private static final int SMALL_PASS = 3;

    private final BundleContext context;
    private final JdbcStoreConfig config;
    private final HikariDataSource pool;
    private final JdbcChatStore store;
    private final String migrateFrom;
    private final Thread worker;
    private volatile boolean stopped;
    private volatile ServiceReference<ChatStore> sourceReference; // only the worker sets it
    private ServiceRegistration<ChatStore> registration;

    @Activate
    public JdbcStoreComponent(BundleContext context, JdbcStoreConfig config) {
        this.context = context;
        this.config = config;
        String url = config.url() == null ? "" : config.url().strip();
        this.migrateFrom = config.migrateFrom() == null ? "" : config.migrateFrom().strip();
        String problem = url.isEmpty() ? "url is missing"
                : !url.startsWith("jdbc:postgresql:") ? "url must start with jdbc:postgresql:// (it is " + JdbcUrls.redact(url) + ")"
                : JdbcUrls.hasUserInfo(url) ? "url has a user name or password before the host (" + JdbcUrls.redact(url)
                        + "), which the PostgreSQL driver would take for the host name: set user and password instead"
                : !STORE_NAME.matcher(migrateFrom).matches() ? "migrateFrom must be a store name such as jsonl"
                : null;
        if (problem != null) {
            LOG.log(System.Logger.Level.ERROR, "The PostgreSQL store is not started: " + problem + " in " + CFG
                    + ". Neutron goes on with the current store.");
            this.pool = null;
            this.store = null;
            this.worker = null;
            return;
        }
        this.pool = PoolSettings.from(config).open(url, config.user(), config.password());
        this.store = new JdbcChatStore(pool, url, config.user(), Clock.systemUTC());
        this.worker = new Thread(this::run, "neutron-store-jdbc");
        worker.setDaemon(true);
        worker.start();
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        if (worker == null) {
            return;
        }
        worker.interrupt();
        ServiceRegistration<ChatStore> registered;
        synchronized (this) {
            registered = registration;
            registration = null;
        }
        if (registered != null) {
            unregister(registered);
            LOG.log(System.Logger.Level.INFO, "The PostgreSQL store at " + store.displayUrl() + " is no longer active.");
        }
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }

    private void run() {
        try {
            bringUp();
        } finally {
            ServiceReference<ChatStore> source = sourceReference;
            if (source != null) {
                sourceReference = null;
                try {
                    context.ungetService(source);
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping
                }
            }
        }
    }

    private void bringUp() {
        Duration backoff = Duration.ofSeconds(1);
        String lastProblem = null;
        boolean schemaReady = false;
        boolean registered = false;
        StoreMigration migration = null;
        long switchedAt = 0;
        while (!stopped) {
            try {
                if (!schemaReady) {
                    store.createSchema();
                    schemaReady = true;
                    LOG.log(System.Logger.Level.INFO, "PostgreSQL store: connected to " + store.displayUrl()
                            + " (pool of " + pool.getMaximumPoolSize() + "), tables ready.");
                }
                if (!registered) {
                    if (!migrateFrom.isEmpty() && migration == null) {
                        sourceReference = awaitSource();
                        if (stopped) {
                            return;
                        }
                        ChatStore source = sourceReference == null ? null : context.getService(sourceReference);
                        if (source != null) {
                            migration = new StoreMigration(store, source, migrateFrom);
                        } else {
                            LOG.log(System.Logger.Level.WARNING, "PostgreSQL store: no store with neutron.store="
                                    + migrateFrom + " is running, so there is nothing to take over (migrateFrom in "
                                    + CFG + "). Starting with what the database holds.");
                        }
                    }
                    if (migration != null) {
                        long started = System.nanoTime();
                        migration.begin();
                        copyWhileTheSourceIsActive(migration);
                        LOG.log(System.Logger.Level.INFO, "PostgreSQL store: took over " + migration.sessionsCopied()
                                + " sessions and " + migration.messagesCopied() + " messages from the " + migrateFrom
                                + " store in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms.");
                        store.fetchMissingSessionsFrom(migration);
                    }
                    if (!register()) {
                        return;
                    }
                    registered = true;
                    switchedAt = System.nanoTime();
                    if (config.service_ranking() > 0) {
                        LOG.log(System.Logger.Level.INFO, "PostgreSQL store at " + store.displayUrl()
                                + " is now the active chat store (service.ranking " + config.service_ranking() + ").");
                    } else {
                        LOG.log(System.Logger.Level.WARNING, "PostgreSQL store at " + store.displayUrl() + " is "
                                + "registered with service.ranking " + config.service_ranking() + ", not above the JSONL "
                                + "store's 0, so Neutron keeps using the JSONL store. Set service.ranking=10 in " + CFG + ".");
                    }
                    if (migration != null) {
                        migration.switched();
                    }
                }
                if (migration != null) {
                    catchUp(migration, switchedAt);
                    if (stopped) {
                        return;
                    }
                    store.fetchMissingSessionsFrom(null);
                    migration.finished();
                    LOG.log(System.Logger.Level.INFO, "PostgreSQL store: catch-up done; " + migration.sessionsCopied()
                            + " sessions and " + migration.messagesCopied() + " messages taken over from the "
                            + migrateFrom + " store in all (" + migration.sessionsDeleted() + " deleted there meanwhile). "
                            + "The " + migrateFrom + " store is no longer written to.");
                }
                return;
            } catch (NeutronException | IllegalStateException e) {
                if (stopped) {
                    return;
                }
                String problem = e.getMessage();
                String next = " Retrying in " + backoff.toSeconds() + " s"
                        + (registered ? "." : "; until then Neutron goes on with the current store.");
                if (!Objects.equals(problem, lastProblem)) {
                    LOG.log(System.Logger.Level.WARNING, problem + next);
                    lastProblem = problem;
                } else {
                    LOG.log(System.Logger.Level.DEBUG, problem + next);
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "PostgreSQL store: unexpected failure; retrying in "
                        + backoff.toSeconds() + " s.", e);
                sleep(backoff);
            }
        }
    }

    /**
     * The full copy, then passes for what was written to the source meanwhile, for as long as they find next to
     * nothing or shrink (each at most half the one before; at most {@link #MAX_PASSES_BEFORE_SWITCH}). The less is
     * left for the catch-up, the shorter the time in which the new store's listing lacks a chat; and a source under
     * constant load, where passes stop shrinking, does not hold up the switch.
     */
    private void copyWhileTheSourceIsActive(StoreMigration migration) {
        int previous = migration.syncAll();
        for (int pass = 1; pass < MAX_PASSES_BEFORE_SWITCH && !stopped; pass++) {
            int changes = migration.syncAll();
            if (changes <= SMALL_PASS || changes > previous / 2) {
                return;
            }
            previous = changes;
        }
    }

    /** Passes until {@code catchUpSeconds} have gone by since the switch and a pass found nothing new. */
    private void catchUp(StoreMigration migration, long switchedAt) {
        long minimum = Duration.ofSeconds(Math.max(0, config.catchUpSeconds())).toNanos();
        while (!stopped) {
            int changes = migration.syncAll();
            if (changes > 0) {
                LOG.log(System.Logger.Level.INFO, "PostgreSQL store: caught up " + changes + " sessions written to the "
                        + migrateFrom + " store around the switch.");
            } else if (System.nanoTime() - switchedAt >= minimum) {
                return;
            }
            sleep(Duration.ofMillis(250));
        }
    }

    private ServiceReference<ChatStore> awaitSource() {
        long deadline = System.nanoTime() + SOURCE_WAIT.toNanos();
        while (!stopped) {
            try {
                Collection<ServiceReference<ChatStore>> found = context.getServiceReferences(ChatStore.class,
                        "(neutron.store=" + migrateFrom + ")");
                ServiceReference<ChatStore> best = found.stream().max(Comparator.naturalOrder()).orElse(null);
                if (best != null || System.nanoTime() > deadline) {
                    return best;
                }
            } catch (InvalidSyntaxException e) {
                return null; // migrateFrom is checked against STORE_NAME, so this cannot happen
            }
            sleep(Duration.ofMillis(200));
        }
        return null;
    }

    private boolean register() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, config.service_ranking());
        properties.put("neutron.store", "jdbc");
        properties.put(Constants.SERVICE_DESCRIPTION, "Neutron chat store in PostgreSQL at " + store.displayUrl());
        ServiceRegistration<ChatStore> registered = context.registerService(ChatStore.class, store, properties);
        synchronized (this) {
            if (!stopped) {
                registration = registered;
                return true;
            }
        }
        unregister(registered);
        return false;
    }

    private static void unregister(ServiceRegistration<?> registered) {
        try {
            registered.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping: the framework unregistered it
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            if (!stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
