package dev.neutron.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.InstalledModel;
import dev.neutron.api.LoadedModel;
import dev.neutron.api.ModelCreation;
import dev.neutron.api.ModelJob;
import dev.neutron.api.ModelJobStatus;
import dev.neutron.api.ModelManager;
import dev.neutron.api.ModelProvider;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Manages the models of the Ollama that {@link OllamaModelProvider} talks to (the same configuration PID). */
@Component(service = ModelManager.class, configurationPid = OllamaModelProvider.PID,
        property = ModelManager.PROVIDER + "=" + OllamaModelProvider.ID)
public class OllamaModelManager implements ModelManager, AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,254}");
    private static final Duration UNLOAD_WAIT = Duration.ofSeconds(15);
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private static final Runnable NO_CACHE = () -> { };
    private static final System.Logger LOG = System.getLogger(OllamaModelManager.class.getName());

    private final OllamaManagementClient client;
    private final ModelJobs jobs;
    private final Duration pullStallTimeout;
    private final ScheduledExecutorService stallChecks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "neutron-model-pull-stall-check");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, JsonNode> showByNameAndDigest = new ConcurrentHashMap<>();
    /** Drops the chat provider's cached model list; set while the Ollama provider of this bundle is bound. */
    private volatile Runnable modelsChanged = NO_CACHE;
    private volatile ModelProvider boundProvider;

    @Activate
    public OllamaModelManager(OllamaConfig config) {
        this(OllamaBaseUrl.resolve(config.baseUrl(), System::getenv, System::getProperty),
                Duration.ofMillis(config.connectTimeoutMs()), Duration.ofMillis(config.idleTimeoutMs()),
                Duration.ofSeconds(config.pullStallTimeoutSeconds()));
        LOG.log(System.Logger.Level.INFO, "Ollama model manager: a pull with no progress for {0} s while waiting on "
                + "the registry is stopped", config.pullStallTimeoutSeconds());
    }

    OllamaModelManager(URI baseUrl, Duration connectTimeout, Duration requestTimeout, Duration pullStallTimeout) {
        if (pullStallTimeout.isZero() || pullStallTimeout.isNegative()) {
            throw new IllegalArgumentException("pullStallTimeoutSeconds must be positive, not " + pullStallTimeout);
        }
        this.client = new OllamaManagementClient(baseUrl, connectTimeout, requestTimeout);
        this.pullStallTimeout = pullStallTimeout;
        AtomicInteger count = new AtomicInteger();
        this.jobs = new ModelJobs(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "neutron-model-job-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }), Clock.systemUTC(), System::nanoTime, Duration.ofMinutes(30), Duration.ofMillis(250));
    }

    /** The chat side's provider of this bundle, whose cached model list must go when the models change. */
    @Reference(service = ModelProvider.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, target = "(component.name=dev.neutron.provider.ollama.OllamaModelProvider)")
    void bindProvider(ModelProvider provider) {
        if (provider instanceof OllamaModelProvider ollama) {
            boundProvider = provider;
            modelsChanged = ollama::forgetModelList;
        }
    }

    void unbindProvider(ModelProvider provider) {
        if (provider == boundProvider) {
            boundProvider = null;
            modelsChanged = NO_CACHE;
        }
    }

    /** For tests without DS: what to run when this manager changed Ollama's models. */
    void onModelsChanged(Runnable action) {
        modelsChanged = action;
    }

    @Override
    public String provider() {
        return OllamaModelProvider.ID;
    }

    @Override
    public List<InstalledModel> installed() {
        List<InstalledModel> models = new ArrayList<>();
        for (JsonNode tag : client.tags().path("models")) {
            String name = tag.path("name").asText();
            String digest = text(tag, "digest");
            JsonNode show = details(name, digest);
            JsonNode details = show == null ? tag.path("details") : show.path("details");
            List<String> capabilities = new ArrayList<>();
            Integer contextLength = null;
            if (show != null) {
                show.path("capabilities").forEach(capability -> capabilities.add(capability.asText()));
                JsonNode info = show.path("model_info");
                JsonNode length = info.path(info.path("general.architecture").asText("") + ".context_length");
                contextLength = length.isNumber() ? length.asInt() : null;
            }
            models.add(new InstalledModel(name, OllamaModelProvider.ID, number(tag, "size"), digest,
                    text(details, "family"), text(details, "parameter_size"), text(details, "quantization_level"),
                    contextLength, capabilities, instant(tag, "modified_at")));
        }
        return models;
    }

    private JsonNode details(String name, String digest) {
        String key = name + "@" + digest;
        JsonNode cached = showByNameAndDigest.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            JsonNode show = client.show(name);
            showByNameAndDigest.put(key, show);
            return show;
        } catch (NeutronException e) {
            if (e.code() == ErrorCode.MODEL_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public List<LoadedModel> loaded() {
        List<LoadedModel> models = new ArrayList<>();
        for (JsonNode model : client.ps().path("models")) {
            Instant expires = instant(model, "expires_at");
            // keep_alive < 0 shows as an expiry hundreds of years away: it stays loaded
            if (expires != null && expires.isAfter(Instant.now().plus(Duration.ofDays(365 * 100)))) {
                expires = null;
            }
            Long context = number(model, "context_length");
            models.add(new LoadedModel(model.path("name").asText(), OllamaModelProvider.ID, number(model, "size"),
                    number(model, "size_vram"), context == null ? null : context.intValue(), expires));
        }
        return models;
    }

    @Override
    public ModelJob pull(String name, boolean insecure) {
        requireName(name, "name");
        return jobs.start(ModelJobStatus.PULL, name, job -> {
            ObjectNode body = OllamaClient.JSON.createObjectNode().put("model", name).put("stream", true);
            if (insecure) {
                body.put("insecure", true);
            }
            PullStallWatch watch = new PullStallWatch(pullStallTimeout, System::nanoTime);
            runStreamed(job, "/api/pull", body, watch, () -> ModelJobErrors.registryStalled(name, pullStallTimeout),
                    text -> ModelJobErrors.pullFailed(name, text));
        });
    }

    @Override
    public ModelJob create(ModelCreation creation) {
        requireName(creation.name(), "name");
        if (creation.blob() == null || !DIGEST.matcher(creation.blob()).matches()) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Field 'blob' must be the digest an upload returned, "
                    + "'sha256:' and 64 hex digits.");
        }
        return jobs.start(ModelJobStatus.CREATE, creation.name(), job -> {
            ObjectNode body = OllamaClient.JSON.createObjectNode().put("model", creation.name()).put("stream", true);
            body.putObject("files").put("model.gguf", creation.blob());
            if (creation.system() != null) {
                body.put("system", creation.system());
            }
            if (creation.template() != null) {
                body.put("template", creation.template());
            }
            if (!creation.parameters().isEmpty()) {
                body.set("parameters", OllamaClient.JSON.valueToTree(creation.parameters()));
            }
            runStreamed(job, "/api/create", body, null, null, text -> ModelJobErrors.createFailed(creation.name(), text));
        });
    }

    /**
     * Streams {@code path} into the job's progress. With a {@code stallWatch}, a stream that stops moving is cut and
     * the job fails with {@code stalled}'s error.
     */
    private void runStreamed(RunningModelJob job, String path, JsonNode body, PullStallWatch stallWatch,
            java.util.function.Supplier<NeutronException> stalled, Function<String, NeutronException> failure) {
        String[] error = new String[1];
        String[] lastStatus = new String[1];
        AtomicReference<InputStream> open = new AtomicReference<>();
        AtomicBoolean cutForStall = new AtomicBoolean();
        ScheduledFuture<?> stallCheck = stallWatch == null ? null : stallChecks.scheduleWithFixedDelay(() -> {
            if (stallWatch.stalled() && cutForStall.compareAndSet(false, true) && open.get() != null) {
                closeQuietly(open.get());
            }
        }, stallCheckPeriodMillis(), stallCheckPeriodMillis(), TimeUnit.MILLISECONDS);
        int status;
        try {
            status = client.stream(path, body, in -> {
                open.set(in);
                job.onCancel(() -> closeQuietly(in));
                if (job.cancelled() || cutForStall.get()) {
                    closeQuietly(in);
                }
            }, line -> {
                if (line.hasNonNull("error")) {
                    error[0] = line.get("error").asText();
                    return;
                }
                lastStatus[0] = text(line, "status");
                if (stallWatch != null) {
                    stallWatch.progress(lastStatus[0], text(line, "digest"), number(line, "completed"), number(line, "total"));
                }
                job.progress(lastStatus[0], text(line, "digest"), number(line, "completed"), number(line, "total"));
            });
        } catch (NeutronException e) {
            if (job.cancelled()) {
                return;
            }
            throw cutForStall.get() ? stalled.get() : e;
        } finally {
            if (stallCheck != null) {
                stallCheck.cancel(false);
            }
        }
        if (job.cancelled()) {
            return;
        }
        if (cutForStall.get()) {
            throw stalled.get();
        }
        if (error[0] != null) {
            throw failure.apply(error[0]);
        }
        if (status != 200) {
            throw failure.apply("HTTP " + status);
        }
        if (!"success".equals(lastStatus[0])) {
            throw failure.apply("the stream ended before 'success' (last: " + lastStatus[0] + ")");
        }
        modelsChanged.run();
        job.succeed("success");
    }

    private long stallCheckPeriodMillis() {
        return Math.max(50, Math.min(1000, pullStallTimeout.toMillis() / 4));
    }

    @Override
    public List<ModelJob> jobs() {
        return jobs.list();
    }

    @Override
    public ModelJob job(String id) {
        return jobs.get(id);
    }

    @Override
    public void delete(String name) {
        requireName(name, "name");
        try {
            client.delete(name);
        } finally {
            modelsChanged.run();
        }
    }

    @Override
    public void copy(String from, String to) {
        requireName(from, "from");
        requireName(to, "to");
        try {
            client.copy(from, to);
        } finally {
            modelsChanged.run();
        }
    }

    @Override
    public void load(String name) {
        requireName(name, "name");
        client.keepAlive(name, -1);
    }

    @Override
    public void unload(String name) {
        requireName(name, "name");
        client.keepAlive(name, 0);
        awaitUnloaded(name);
    }

    /** Ollama answers a {@code keep_alive} of 0 before its runner has let go of the model: wait until it has. */
    private void awaitUnloaded(String name) {
        long deadline = System.nanoTime() + UNLOAD_WAIT.toNanos();
        while (isLoaded(name) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100); // polling /api/ps: Ollama offers no event for it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean isLoaded(String name) {
        for (JsonNode model : client.ps().path("models")) {
            if (name.equals(model.path("name").asText()) || name.equals(model.path("model").asText())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void uploadBlob(String digest, Path file) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        client.uploadBlob(digest, file);
    }

    /** Cancels the running jobs (Ollama keeps the layers pulled so far; pulling again resumes). */
    @Deactivate
    @Override
    public void close() {
        jobs.close();
        stallChecks.shutdownNow();
    }

    static void requireName(String name, String field) {
        if (name == null || name.isBlank()) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Field '" + field + "' is required: a model name "
                    + "such as 'llama3.2:1b'.");
        }
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "'" + name + "' is not a valid model name. Use "
                    + "letters, digits, '.', '-', '_', an optional registry host and namespace ('host/ns/model') and "
                    + "an optional ':tag'.");
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the request is being abandoned anyway
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.asLong() : null;
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        try {
            return value == null ? null : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
