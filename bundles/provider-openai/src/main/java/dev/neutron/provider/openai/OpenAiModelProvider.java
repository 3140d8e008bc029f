package dev.neutron.provider.openai;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.Generation;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.ModelProvider;
import dev.neutron.api.NeutronException;
import dev.neutron.api.ProviderStatus;
import dev.neutron.api.TokenListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The models of one OpenAI-compatible server, shown as {@code <displayPrefix>/<model id>}, with answers streamed as
 * Server-Sent Events. One instance per factory configuration ({@code deploy/dev.neutron.provider.openai-<name>.cfg});
 * none without one.
 */
@Component(service = ModelProvider.class, configurationPid = OpenAiModelProvider.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = OpenAiConfig.class, factory = true)
public class OpenAiModelProvider implements ModelProvider, AutoCloseable {
    public static final String FACTORY_PID = "dev.neutron.provider.openai";
    private static final System.Logger LOG = System.getLogger(OpenAiModelProvider.class.getName());
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final long MIN_IDLE_CHECK_MILLIS = 10;
    private static final long MAX_IDLE_CHECK_MILLIS = 1000;
    private static final List<String> COMPLETION_ONLY = List.of("completion");

    private final OpenAiSettings settings;
    private final OpenAiErrors errors;
    private final OpenAiClient client;
    private final ExecutorService answerReaders;
    private final ScheduledExecutorService idleChecks;
    private final Set<SseChatStream> activeStreams = ConcurrentHashMap.newKeySet();
    private List<String> cachedModelIds;
    private long cachedAtNanos;

    @Activate
    public OpenAiModelProvider(OpenAiConfig config, Map<String, Object> properties) {
        this.settings = OpenAiSettings.from(config, properties);
        this.errors = new OpenAiErrors(settings);
        this.client = new OpenAiClient(settings, errors);
        String threads = "neutron-openai-" + settings.providerId() + "-";
        this.answerReaders = Executors.newCachedThreadPool(daemonThreads(threads + "answer-"));
        this.idleChecks = Executors.newSingleThreadScheduledExecutor(daemonThreads(threads + "idle-check-"));
        long idleNanos = settings.idleTimeout().toNanos();
        long checkEvery = Math.max(MIN_IDLE_CHECK_MILLIS, Math.min(MAX_IDLE_CHECK_MILLIS, settings.idleTimeout().toMillis() / 4));
        idleChecks.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            activeStreams.forEach(stream -> stream.stopIfIdle(now, idleNanos));
        }, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.INFO, "OpenAI-compatible provider ''{0}'' uses {1} (models shown as {2}/…; from {3})",
                settings.providerId(), settings.baseUrl(), settings.displayPrefix(), settings.configuredIn());
    }

    @Override
    public String id() {
        return settings.providerId();
    }

    @Override
    public ProviderStatus status() {
        String endpoint = settings.baseUrl().toString();
        try {
            modelIds(false);
            return new ProviderStatus(id(), endpoint, true, null, null, null);
        } catch (NeutronException e) {
            return new ProviderStatus(id(), endpoint, false, null, e.code().code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Checking " + endpoint + " failed", e);
            return new ProviderStatus(id(), endpoint, false, null, ErrorCode.INTERNAL_ERROR.code(), e.toString());
        }
    }

    @Override
    public List<ModelInfo> listModels() {
        return modelIds(false).stream().map(this::modelInfo).toList();
    }

    /** Asks the server again when the model is not in the cached list, so that a model added a moment ago is found. */
    @Override
    public ModelInfo describeModel(String model) {
        String upstream = settings.upstreamName(model);
        if (upstream == null || !(modelIds(false).contains(upstream) || modelIds(true).contains(upstream))) {
            throw errors.modelNotFound(model);
        }
        return modelInfo(upstream);
    }

    @Override
    public Generation chat(ChatRequest request, TokenListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        String upstream = settings.upstreamName(request.model());
        if (upstream == null) {
            return failed(errors.modelNotFound(request.model()));
        }
        SseChatStream stream = new SseChatStream(client, errors, upstream, request, listener);
        // in the set before it runs, so that close() (which first refuses new work, then ends the set) cannot miss it
        activeStreams.add(stream);
        stream.result().whenComplete((answer, failure) -> activeStreams.remove(stream));
        try {
            answerReaders.execute(stream::read);
            return stream;
        } catch (RejectedExecutionException closed) {
            activeStreams.remove(stream);
            return failed(errors.providerStopped());
        }
    }

    /** Ends the answers in flight with {@code provider_removed} and stops this provider's threads. */
    @Deactivate
    @Override
    public void close() {
        answerReaders.shutdown();
        idleChecks.shutdownNow();
        activeStreams.forEach(SseChatStream::stopBecauseProviderStops);
        boolean readersEnded;
        try {
            readersEnded = answerReaders.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            readersEnded = false;
        }
        if (!readersEnded) {
            LOG.log(System.Logger.Level.WARNING, "Answer readers of ''{0}'' did not end within {1}; interrupting them",
                    id(), SHUTDOWN_GRACE);
            answerReaders.shutdownNow();
        }
    }

    private synchronized List<String> modelIds(boolean fresh) {
        long now = System.nanoTime();
        if (!fresh && cachedModelIds != null && now - cachedAtNanos < settings.modelCacheTtl().toNanos()) {
            return cachedModelIds;
        }
        cachedModelIds = List.copyOf(client.modelIds());
        cachedAtNanos = now;
        return cachedModelIds;
    }

    /**
     * {@code /models} says nothing about what a model can do, so every model is listed as able to chat
     * ({@code completion}) and nothing more: Neutron then neither offers nor refuses vision, tools or thinking on a
     * guess. A level of thinking is still passed on as {@code reasoning_effort} when a chat asks for one.
     */
    private ModelInfo modelInfo(String upstream) {
        return new ModelInfo(settings.displayName(upstream), id(), null, settings.contextLength(), null, null, null,
                COMPLETION_ONLY);
    }

    private static Generation failed(NeutronException error) {
        CompletableFuture<ChatResult> result = CompletableFuture.failedFuture(error);
        return new Generation() {
            @Override
            public CompletableFuture<ChatResult> result() {
                return result;
            }

            @Override
            public void cancel() {
                // nothing is running
            }
        };
    }

    /** Daemon threads named {@code namePrefix} and a number, so that a thread dump tells whose they are. */
    private static ThreadFactory daemonThreads(String namePrefix) {
        ThreadFactory plain = Executors.defaultThreadFactory();
        AtomicInteger numbers = new AtomicInteger();
        return task -> {
            Thread thread = plain.newThread(task);
            thread.setName(namePrefix + numbers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
