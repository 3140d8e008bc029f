package dev.neutron.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatService;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.ModelProvider;
import dev.neutron.api.NewSession;
import dev.neutron.api.ProviderStatus;
import dev.neutron.api.SendMessage;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectBundleInstaller;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.install.BundleInstaller;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.context.BundleInstallerExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The OpenAI-compatible provider bundle hot-swapped in a running framework: installed, updated, stopped, started and
 * uninstalled while the chat engine is bound to it, and 50 times over to look for leaked threads and connections.
 * The bundle is not in {@code -runbundles}: the tests bundle carries it as {@value #PROVIDER_JAR} (copied there by the
 * itest pom) and installs it with osgi-test's {@link BundleInstaller}; its factory configuration points at a
 * {@link ScriptedFakeUpstream} on a loopback port, since the framework has no Ollama.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(BundleInstallerExtension.class)
@ExtendWith(ServiceExtension.class)
class ProviderHotSwapInFrameworkTest {
    private static final String FACTORY_PID = "dev.neutron.provider.openai";
    private static final String PROVIDER_BSN = "dev.neutron.provider.openai";
    private static final String PROVIDER_JAR = "provider-openai.jar";
    private static final String PREFIX = "hotswap";
    private static final String MODEL = PREFIX + "/" + ScriptedFakeUpstream.MODEL;
    /** How long a provider may take to appear after its bundle started or its configuration arrived. */
    private static final long APPEAR_MS = 5_000;
    private static final int CYCLES = 50;
    /** Threads the provider starts are named {@code neutron-openai-<id>-…} (OpenAiModelProvider#daemonThreads). */
    private static final String PROVIDER_THREAD_PREFIX = "neutron-openai-";
    /** The JDK's own HttpClient threads, {@code HttpClient-<client number>-SelectorManager|Worker-<n>}. */
    private static final Pattern HTTP_CLIENT_THREAD = Pattern.compile("HttpClient-(\\d+)-.*");
    /**
     * HttpClients of uninstalled providers that may still be alive at the end. JDK 17's HttpClient has no close()
     * (it came in JDK 21), and the provider does not (cannot) shut its client down on deactivation: the client's
     * SelectorManager thread, its Worker threads and its pooled keep-alive connection end only once the client is
     * garbage collected and its selector notices (it wakes at least every 3 s). Until then each uninstalled provider
     * leaves three threads and one idle upstream connection behind. The test runs GC and waits for that, so the figure
     * is normally 0 (all gone ~3 s after the first GC); an allowance of one client keeps an unlucky GC from failing
     * the build, while a real leak (one client kept reachable per cycle) shows as ~50.
     */
    private static final int LINGERING_HTTP_CLIENT_ALLOWANCE = 1;
    private static final long SETTLE_MS = 10_000;

    @InjectBundleContext
    BundleContext context;

    @InjectBundleInstaller
    BundleInstaller installer;

    @InjectService(timeout = 60_000)
    ConfigurationAdmin configAdmin;

    @InjectService(timeout = 60_000)
    ChatService chat;

    @InjectService(timeout = 60_000)
    ChatStore store;

    /** Only the providers of this test's bundle: the Ollama provider of -runbundles is a ModelProvider as well. */
    @InjectService(cardinality = 0, filter = "(service.factoryPid=" + FACTORY_PID + ")")
    ServiceAware<ModelProvider> openAi;

    private ScriptedFakeUpstream upstream;
    private final List<Configuration> configurations = new ArrayList<>();

    @BeforeEach
    void startFakeUpstream() throws IOException {
        upstream = new ScriptedFakeUpstream();
    }

    @AfterEach
    void removeProviderConfigurationAndUpstream() throws IOException {
        for (Configuration configuration : configurations) {
            try {
                configuration.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // deleted by the test
            }
        }
        // osgi-test uninstalls what the installer installed; this also covers a test that failed half-way
        for (Bundle bundle : context.getBundles()) {
            if (PROVIDER_BSN.equals(bundle.getSymbolicName())) {
                try {
                    bundle.uninstall();
                } catch (Exception e) {
                    // gone already
                }
            }
        }
        upstream.close();
    }

    @Test
    void installingTheBundleWithAFactoryConfigurationRegistersItsProviderAndTheChatServiceListsIt() throws Exception {
        assertTrue(openAi.isEmpty(), "no OpenAI-compatible provider before the bundle is installed");
        assertNull(statusOf(PREFIX), "the chat service lists no such provider yet: " + chat.providers());
        configure(PREFIX);

        long installedAt = System.nanoTime();
        Bundle bundle = installer.installBundle(PROVIDER_JAR);
        ModelProvider provider = openAi.waitForService(APPEAR_MS);
        long appearedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - installedAt);
        System.out.printf("Hot swap: provider registered %d ms after install+start%n", appearedMs);

        assertNotNull(provider, "no ModelProvider of factory PID " + FACTORY_PID + " within " + APPEAR_MS + " ms");
        assertEquals(Bundle.ACTIVE, bundle.getState());
        assertEquals(PREFIX, provider.id());
        assertEquals(PROVIDER_BSN, openAi.getServiceReference().getBundle().getSymbolicName());
        assertEquals(PREFIX, openAi.getServiceReference().getProperty("displayPrefix"));

        ProviderStatus status = statusOf(PREFIX);
        assertNotNull(status, "the chat service lists the new provider: " + chat.providers());
        assertTrue(status.available(), status.toString());
        assertEquals(upstream.baseUrl().toString(), status.endpoint());
        assertTrue(chat.models().stream().map(ModelInfo::name).anyMatch(MODEL::equals), "models: " + chat.models());
    }

    @Test
    void updatingTheBundleReplacesItsProviderWithExactlyOneNewInstance() throws Exception {
        configure(PREFIX);
        Bundle bundle = installer.installBundle(PROVIDER_JAR);
        assertNotNull(openAi.waitForService(APPEAR_MS));
        ServiceReference<ModelProvider> before = openAi.getServiceReference();
        List<String> events = recordProviderEvents();

        try (InputStream sameJar = context.getBundle().getEntry(PROVIDER_JAR).openStream()) {
            bundle.update(sameJar);
        }
        ModelProvider replacement = openAi.waitForService(APPEAR_MS);

        assertNotNull(replacement, "the provider is back after the update");
        ServiceReference<ModelProvider> after = openAi.getServiceReference();
        assertNotEquals(before.getProperty(Constants.SERVICE_ID), after.getProperty(Constants.SERVICE_ID),
                "a new service, not the old one");
        assertEquals("unregistering " + before.getProperty(Constants.SERVICE_ID), events.get(0),
                "the old provider went away first: " + events);
        assertTrue(events.contains("registered " + after.getProperty(Constants.SERVICE_ID)), events.toString());
        assertEquals(1, openAi.size(), "exactly one provider after the update");
        assertEquals(1, statusesOf(PREFIX).size(), "the chat service lists it once: " + chat.providers());
        assertTrue(statusOf(PREFIX).available());
        assertEquals(List.of(MODEL), replacement.listModels().stream().map(ModelInfo::name).toList());
    }

    @Test
    void stoppingTheBundleRemovesItsProviderAndStartingItBringsItBack() throws Exception {
        configure(PREFIX);
        Bundle bundle = installer.installBundle(PROVIDER_JAR);
        assertNotNull(openAi.waitForService(APPEAR_MS));

        bundle.stop();
        // DS unregisters during the stop, and the tracker and the chat engine hear of it synchronously
        assertTrue(openAi.isEmpty(), "the provider is gone once stop() returns");
        assertNull(statusOf(PREFIX), "the chat service no longer lists it: " + chat.providers());
        assertTrue(chat.models().stream().map(ModelInfo::name).noneMatch(MODEL::equals), "models: " + chat.models());

        bundle.start();
        assertNotNull(openAi.waitForService(APPEAR_MS), "the provider is back after start()");
        assertEquals(1, openAi.size());
        assertEquals(1, statusesOf(PREFIX).size(), "listed once again: " + chat.providers());
        assertTrue(chat.models().stream().map(ModelInfo::name).anyMatch(MODEL::equals), "models: " + chat.models());
    }

    @Test
    void uninstallingTheBundleRemovesItsProviderForGoodWhileItsConfigurationStays() throws Exception {
        Configuration configuration = configure(PREFIX);
        Bundle bundle = installer.installBundle(PROVIDER_JAR);
        assertNotNull(openAi.waitForService(APPEAR_MS));
        List<String> events = recordProviderEvents();

        bundle.uninstall();

        assertEquals(Bundle.UNINSTALLED, bundle.getState());
        assertTrue(openAi.isEmpty(), "the provider is gone once uninstall() returns");
        assertNull(statusOf(PREFIX), "the chat service no longer lists it: " + chat.providers());
        assertTrue(chat.models().stream().map(ModelInfo::name).noneMatch(MODEL::equals), "models: " + chat.models());
        assertEquals(1, events.size(), "one unregistration, nothing registered again: " + events);
        assertTrue(events.get(0).startsWith("unregistering "), events.toString());
        // the configuration outlives the bundle, to serve it again when it comes back (as the cycles test shows)
        assertNotNull(configAdmin.listConfigurations("(service.pid=" + configuration.getPid() + ")"));
        assertTrue(Arrays.stream(context.getBundles()).noneMatch(b -> PROVIDER_BSN.equals(b.getSymbolicName())),
                "no provider bundle is installed");
    }

    /**
     * Install, configure, use (one {@code GET /v1/models}, so a connection is opened), uninstall — 50 times. Every
     * thread the provider starts must be gone afterwards, and so must every connection it opened, once the JDK has
     * collected the provider's HttpClient (see {@link #LINGERING_HTTP_CLIENT_ALLOWANCE}).
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void fiftyInstallUninstallCyclesLeakNoThreadsNoConnectionsAndNoClassLoaders() throws Exception {
        Set<Thread> baseline = liveThreads();
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        int openRightAfterUninstall = 0;

        long started = System.nanoTime();
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            Bundle bundle = installer.installBundle(PROVIDER_JAR);
            Configuration configuration = configure(PREFIX);
            ModelProvider provider = openAi.waitForService(APPEAR_MS);
            assertNotNull(provider, "cycle " + cycle + ": no provider within " + APPEAR_MS + " ms");
            assertEquals(List.of(MODEL), provider.listModels().stream().map(ModelInfo::name).toList(), "cycle " + cycle);
            loaders.add(new WeakReference<>(bundle.adapt(BundleWiring.class).getClassLoader()));
            provider = null;

            bundle.uninstall();
            assertTrue(openAi.isEmpty(), "cycle " + cycle + ": the provider is gone once uninstall() returns");
            configurations.remove(configuration); // before delete(): a deleted Configuration's equals() throws
            configuration.delete();
            openRightAfterUninstall = upstream.openConnections();
        }
        long cyclesMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(CYCLES, upstream.modelRequests(), "one GET /v1/models per cycle reached the upstream");
        List<Thread> leftRightAfter = newThreads(baseline);
        int liveRightAfter = liveThreads().size();

        // uninstalled bundles that nothing wires to are discarded by Felix at once; refresh whatever is still pending
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        int removalPending = wiring.getRemovalPendingBundles().size();
        if (removalPending > 0) {
            CountDownLatch refreshed = new CountDownLatch(1);
            wiring.refreshBundles(null, event -> refreshed.countDown());
            assertTrue(refreshed.await(10, TimeUnit.SECONDS), "refresh of removal-pending bundles");
        }

        long settleStarted = System.nanoTime();
        boolean settled = awaitWithGc(() -> upstream.openConnections() == 0
                && newThreads(baseline).stream().noneMatch(t -> t.getName().startsWith(PROVIDER_THREAD_PREFIX))
                && newThreads(baseline).stream().filter(t -> HTTP_CLIENT_THREAD.matcher(t.getName()).matches()).count() == 0
                && loaders.stream().allMatch(loader -> loader.get() == null));
        long settleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - settleStarted);

        List<Thread> left = newThreads(baseline);
        List<String> providerThreads = names(left, t -> t.getName().startsWith(PROVIDER_THREAD_PREFIX));
        List<String> httpClientThreads = names(left, t -> HTTP_CLIENT_THREAD.matcher(t.getName()).matches());
        Set<String> lingeringClients = httpClientThreads.stream().map(HTTP_CLIENT_THREAD::matcher)
                .filter(Matcher::matches).map(m -> m.group(1)).collect(Collectors.toSet());
        long liveLoaders = loaders.stream().filter(loader -> loader.get() != null).count();
        System.out.printf("Hot swap: %d install/uninstall cycles in %d ms (%d ms per cycle). Live threads (the fake "
                        + "upstream's own not counted): %d before, %d right after the cycles (new: %d provider, %d "
                        + "HttpClient SelectorManager, %d HttpClient Worker, %d other), %d after GC and %d ms settling "
                        + "(settled: %s), new ones left: %s. Upstream connections: %d accepted, peak %d open, %d open "
                        + "right after the last uninstall, %d open at the end. Removal-pending bundles: %d; provider "
                        + "class loaders still reachable: %d of %d%n",
                CYCLES, cyclesMs, cyclesMs / CYCLES, baseline.size(), liveRightAfter,
                count(leftRightAfter, t -> t.getName().startsWith(PROVIDER_THREAD_PREFIX)),
                count(leftRightAfter, t -> t.getName().matches("HttpClient-\\d+-SelectorManager")),
                count(leftRightAfter, t -> t.getName().matches("HttpClient-\\d+-Worker-\\d+")),
                count(leftRightAfter, t -> !t.getName().startsWith(PROVIDER_THREAD_PREFIX)
                        && !HTTP_CLIENT_THREAD.matcher(t.getName()).matches()),
                liveThreads().size(), settleMs, settled, abbreviated(names(left, t -> true)),
                upstream.acceptedConnections(), upstream.peakOpenConnections(), openRightAfterUninstall,
                upstream.openConnections(), removalPending, liveLoaders, loaders.size());

        assertEquals(List.of(), providerThreads, "threads of the provider outlived its bundle");
        assertTrue(lingeringClients.size() <= LINGERING_HTTP_CLIENT_ALLOWANCE, lingeringClients.size()
                + " HttpClients of uninstalled providers still alive after GC and " + SETTLE_MS + " ms: "
                + abbreviated(httpClientThreads));
        // a lingering client may still hold its idle connection (and pin its bundle's class loader); nothing else may
        assertTrue(upstream.openConnections() <= lingeringClients.size(), upstream.openConnections()
                + " connections to the upstream still open after " + CYCLES + " cycles, GC and " + SETTLE_MS
                + " ms (accepted " + upstream.acceptedConnections() + ", HttpClients alive " + lingeringClients.size() + ")");
        assertTrue(liveLoaders <= lingeringClients.size(), liveLoaders + " of " + loaders.size()
                + " class loaders of uninstalled provider bundles still reachable after GC");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void uninstallingTheBundleMidAnswerEndsItWithProviderRemovedAndKeepsThePartialAnswer() throws Exception {
        configure(PREFIX);
        Bundle bundle = installer.installBundle(PROVIDER_JAR);
        assertNotNull(openAi.waitForService(APPEAR_MS));
        ChatSession session = store.createSession(new NewSession("Hot swap mid-answer", null));

        List<ChatEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch threeTokens = new CountDownLatch(3);
        CountDownLatch ended = new CountDownLatch(1);
        LiveGeneration live = chat.send(session.id(), new SendMessage("Tell me a very long story.", MODEL, List.of()));
        live.subscribe(0, event -> {
            events.add(event);
            if ("token".equals(event.type())) {
                threeTokens.countDown();
            }
            if (event.terminal()) {
                ended.countDown();
            }
        });
        assertTrue(threeTokens.await(10, TimeUnit.SECONDS), "three tokens streamed: " + events);
        assertFalse(live.finished(), "the answer is still in flight when the bundle goes");

        long uninstalledAt = System.nanoTime();
        bundle.uninstall();
        assertTrue(ended.await(10, TimeUnit.SECONDS), "the answer ended after the uninstall: " + events);
        long endedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - uninstalledAt);
        Integer tokensWhenHungUp = upstream.chatHungUp().get(5, TimeUnit.SECONDS);
        System.out.printf("Hot swap: answer in flight ended %d ms after uninstall (%d tokens streamed, the upstream saw "
                + "the hang-up after writing %d)%n", endedMs, events.stream().filter(e -> "token".equals(e.type())).count(),
                tokensWhenHungUp);

        ChatEvent last = events.get(events.size() - 1);
        assertEquals("error", last.type(), "events: " + events);
        Map<?, ?> data = (Map<?, ?>) last.data();
        Map<?, ?> error = (Map<?, ?>) data.get("error");
        assertEquals("provider_removed", error.get("code"), error.toString());
        assertTrue(live.finished());
        String streamed = events.stream().filter(e -> "token".equals(e.type()))
                .map(e -> String.valueOf(((Map<?, ?>) e.data()).get("text")))
                .collect(Collectors.joining());
        assertTrue(streamed.startsWith("word1 word2 word3 "), streamed);

        List<ChatMessage> history = store.messages(session.id());
        ChatMessage stored = history.get(history.size() - 1);
        assertEquals(MessageRole.assistant, stored.role());
        assertEquals(live.messageId(), stored.id());
        assertEquals(MessageStatus.error, stored.status(), "the partial answer is stored, marked");
        assertEquals("provider_removed", stored.error().code());
        assertEquals(streamed, stored.content(), "the partial answer is stored as streamed");
        ChatMessage carried = (ChatMessage) data.get("message");
        assertEquals(stored.content(), carried.content(), "the error event carries the stored message");
        assertEquals(MessageStatus.error, carried.status());
    }

    // --- helpers ---

    /** A factory configuration of the provider bound to no bundle location ("?"), so any install of it may use it. */
    private Configuration configure(String prefix) throws IOException {
        Configuration configuration = configAdmin.getFactoryConfiguration(FACTORY_PID, "itest-" + prefix, "?");
        configuration.update(providerConfig(prefix));
        configurations.add(configuration);
        return configuration;
    }

    private Hashtable<String, Object> providerConfig(String prefix) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("baseUrl", upstream.baseUrl().toString());
        properties.put("displayPrefix", prefix);
        return properties;
    }

    /** "registered <service.id>" / "unregistering <service.id>" for this test's providers, from now on. */
    private List<String> recordProviderEvents() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ServiceListener listener = event -> events.add(switch (event.getType()) {
            case ServiceEvent.REGISTERED -> "registered ";
            case ServiceEvent.UNREGISTERING -> "unregistering ";
            default -> "modified ";
        } + event.getServiceReference().getProperty(Constants.SERVICE_ID));
        // the osgi-test context removes the listener after the test
        context.addServiceListener(listener, "(&(objectClass=" + ModelProvider.class.getName() + ")(service.factoryPid="
                + FACTORY_PID + "))");
        return events;
    }

    private ProviderStatus statusOf(String providerId) {
        List<ProviderStatus> statuses = statusesOf(providerId);
        return statuses.isEmpty() ? null : statuses.get(0);
    }

    private List<ProviderStatus> statusesOf(String providerId) {
        return chat.providers().stream().filter(s -> providerId.equals(s.provider())).toList();
    }

    /** The live threads of the framework, bar the fake upstream's own (its idle pool threads linger for 60 s). */
    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith(ScriptedFakeUpstream.THREAD_PREFIX))
                .collect(Collectors.toSet());
    }

    /** Threads alive now that were not in {@code baseline}. */
    private static List<Thread> newThreads(Set<Thread> baseline) {
        return liveThreads().stream().filter(t -> !baseline.contains(t)).toList();
    }

    private static List<String> names(List<Thread> threads, Predicate<Thread> which) {
        return threads.stream().filter(which).map(Thread::getName).sorted().toList();
    }

    private static String abbreviated(List<String> names) {
        return names.size() <= 12 ? names.toString()
                : names.subList(0, 12) + " and " + (names.size() - 12) + " more";
    }

    private static long count(List<Thread> threads, Predicate<Thread> which) {
        return threads.stream().filter(which).count();
    }

    /**
     * Polls {@code condition}, running GC before each look, for up to {@value #SETTLE_MS} ms. Not a sleep to wait for
     * a service (those are waited for with ServiceAware): what is awaited here, threads ending and sockets closing
     * after GC, has no event to wait on.
     */
    private static boolean awaitWithGc(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        while (true) {
            System.gc();
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
    }
}
