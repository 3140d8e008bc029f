package dev.neutron.provider.ollama;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.Generation;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.ModelProvider;
import dev.neutron.api.NeutronException;
import dev.neutron.api.ProviderStatus;
import dev.neutron.api.TokenListener;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The models of a local Ollama server, through its native API, with answers streamed as NDJSON and read as they
 * arrive, without a thread per answer.
 */
@Component(service = ModelProvider.class, configurationPid = OllamaModelProvider.PID)
@Designate(ocd = OllamaConfig.class)
public class OllamaModelProvider implements ModelProvider, AutoCloseable {
    public static final String PID = "dev.neutron.provider.ollama";
    static final String ID = "ollama";
    private static final System.Logger LOG = System.getLogger(OllamaModelProvider.class.getName());
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final int ANSWER_END_THREADS = 4;
    /** The HTTP client's threads: they only hand on what arrives, so a few serve thousands of answers at once. */
    private static final int HTTP_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final OllamaClient client;
    private final ModelCatalog catalog;
    private final Duration idleTimeout;
    private final ScheduledThreadPoolExecutor watchdogScheduler =
            new ScheduledThreadPoolExecutor(1, daemonThreads("neutron-ollama-idle-watchdog-"));
    private final ThreadPoolExecutor httpThreads = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 30,
            TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("neutron-ollama-http-"));
    /** Completes answers (see {@link NdjsonChatStream}); a few threads, only while answers end. */
    private final ThreadPoolExecutor answerEnds = new ThreadPoolExecutor(ANSWER_END_THREADS, ANSWER_END_THREADS, 30,
            TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("neutron-ollama-answer-end-"));
    private final Set<NdjsonChatStream> activeStreams = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    private boolean closed;

    @Activate
    public OllamaModelProvider(OllamaConfig config) {
        this(OllamaBaseUrl.resolve(config.baseUrl(), System::getenv, System::getProperty),
                Duration.ofMillis(config.connectTimeoutMs()),
                Duration.ofMillis(config.idleTimeoutMs()),
                config.maxContextLength(),
                Duration.ofSeconds(config.modelCacheSeconds()));
        LOG.log(System.Logger.Level.INFO, "Ollama provider uses {0}", client.baseUrl());
    }

    public OllamaModelProvider(URI baseUrl, Duration connectTimeout, Duration idleTimeout, int maxContextLength,
            Duration modelCacheTtl) {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        this.client = new OllamaClient(baseUrl, connectTimeout, idleTimeout, httpThreads);
        this.catalog = new ModelCatalog(client, maxContextLength, modelCacheTtl, System::nanoTime);
        this.idleTimeout = idleTimeout;
        watchdogScheduler.setRemoveOnCancelPolicy(true);
        answerEnds.allowCoreThreadTimeOut(true);
        httpThreads.allowCoreThreadTimeOut(true);
    }

    /** Runs an answer's completion on {@link #answerEnds}, or here once this provider stopped. */
    private void completeAnswer(Runnable completion) {
        try {
            answerEnds.execute(completion);
        } catch (RejectedExecutionException stopped) {
            completion.run();
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderStatus status() {
        String endpoint = client.baseUrl().toString();
        if (isClosed()) {
            NeutronException stopped = OllamaErrors.providerStopped();
            return new ProviderStatus(ID, endpoint, false, null, stopped.code().code(), stopped.getMessage());
        }
        try {
            return new ProviderStatus(ID, endpoint, true, client.version(), null, null);
        } catch (NeutronException e) {
            return new ProviderStatus(ID, endpoint, false, null, e.code().code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Checking Ollama's status failed", e);
            return new ProviderStatus(ID, endpoint, false, null, ErrorCode.INTERNAL_ERROR.code(), e.toString());
        }
    }

    @Override
    public List<ModelInfo> listModels() {
        requireOpen();
        return catalog.list();
    }

    /** The models of Ollama changed (pulled, created, copied, deleted): the next list is read afresh. */
    void forgetModelList() {
        catalog.forgetList();
    }

    @Override
    public ModelInfo describeModel(String model) {
        requireOpen();
        return catalog.describe(model);
    }

    @Override
    public Generation chat(ChatRequest request, TokenListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        NdjsonChatStream stream = new NdjsonChatStream(client, request, listener, watchdogScheduler, idleTimeout,
                this::completeAnswer);
        synchronized (lifecycle) {
            if (closed) {
                throw OllamaErrors.providerStopped();
            }
            activeStreams.add(stream);
            stream.result().whenComplete((answer, failure) -> activeStreams.remove(stream));
        }
        stream.start();
        return stream;
    }

    /**
     * A closed provider may still be called by one who took it a moment before it was replaced (a settings change
     * reconfigures it): it refuses at once instead of calling Ollama.
     */
    private void requireOpen() {
        if (isClosed()) {
            throw OllamaErrors.providerStopped();
        }
    }

    private boolean isClosed() {
        synchronized (lifecycle) {
            return closed;
        }
    }

    /**
     * Aborts the answers in flight (they end with {@code provider_removed}) and stops the watchdog. The HTTP client's
     * threads are not shut down: a request still on its way (a model list taken just before a settings change) must
     * end, and JDK 17's client never completes a request whose executor refuses work. They end by themselves when idle.
     */
    @Deactivate
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        activeStreams.forEach(NdjsonChatStream::abortBecauseProviderStops);
        watchdogScheduler.shutdownNow();
        answerEnds.shutdown();
        try {
            watchdogScheduler.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            if (!answerEnds.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "Answers still being completed after {0}", SHUTDOWN_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, not " + duration);
        }
    }

    private static ThreadFactory daemonThreads(String namePrefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, namePrefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
