package dev.neutron.chat;

import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ChatService;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.Generation;
import dev.neutron.api.GenerationStats;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.ModelProvider;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import dev.neutron.api.ProviderStatus;
import dev.neutron.api.SendMessage;
import dev.neutron.api.SessionPatch;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The conversation engine. A generation runs on the provider's thread, decoupled from any HTTP request: the user
 * message is stored before the model is called, the answer is stored when it ends, whether complete, stopped or
 * failed, and every event is kept so clients can reattach.
 */
@Component(service = ChatService.class, configurationPid = ChatConfig.PID)
@Designate(ocd = ChatConfig.class)
public class ChatEngine implements ChatService {
    private static final System.Logger LOG = System.getLogger(ChatEngine.class.getName());

    private final Clock clock = Clock.systemUTC();
    private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();
    private final List<ModelProvider> providers = new CopyOnWriteArrayList<>();
    private final ModelDirectory directory = new ModelDirectory(providers);
    private volatile ChatConfig config;
    private volatile Semaphore generationSlots;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AttachmentStore attachments;

    @Activate
    public ChatEngine(ChatConfig config) {
        this.config = config;
        this.generationSlots = new Semaphore(Math.max(1, config.maxConcurrentGenerations()));
    }

    @Modified
    void modified(ChatConfig newConfig) {
        if (newConfig.maxConcurrentGenerations() != config.maxConcurrentGenerations()) {
            generationSlots = new Semaphore(Math.max(1, newConfig.maxConcurrentGenerations()));
        }
        this.config = newConfig;
    }

    /** Ends answers in flight and waits briefly until each partial answer is stored, while the store is still bound. */
    @Deactivate
    void deactivate() {
        List<CompletableFuture<Void>> ending = new ArrayList<>();
        for (ActiveRun active : runs.values()) {
            if (!active.finished()) {
                active.abort(new NeutronException(ErrorCode.SERVICE_UNAVAILABLE,
                        "Neutron was stopped while this answer was being generated; the text so far is kept."));
                ending.add(active.ended);
            }
        }
        try {
            CompletableFuture.allOf(ending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "Some answers in flight could not be stored before shutdown", e);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindProvider(ModelProvider provider) {
        providers.add(provider);
        directory.invalidate();
    }

    void unbindProvider(ModelProvider provider) {
        providers.remove(provider);
        directory.invalidate();
        for (ActiveRun active : runs.values()) {
            if (active.provider == provider) {
                active.abort(new NeutronException(ErrorCode.PROVIDER_REMOVED, "The model backend '" + provider.id()
                        + "' was removed while answering. The partial answer is kept; pick another model to go on."));
            }
        }
    }

    @Override
    public LiveGeneration send(String sessionId, SendMessage message) {
        ChatStore currentStore = requireStore();
        ChatSession session = currentStore.findSession(sessionId).orElseThrow(() -> new NeutronException(
                ErrorCode.SESSION_NOT_FOUND, "No chat session with id " + sessionId + "."));
        String requestedModel = blankToNull(message.model());
        String modelName = requestedModel != null ? requestedModel
                : session.model() != null ? session.model() : defaultModel();
        if (modelName == null) {
            throw directory.noModelError();
        }
        ModelProvider provider = directory.providerFor(modelName);
        ActiveRun placeholder = new ActiveRun();
        if (runs.putIfAbsent(sessionId, placeholder) != null) {
            ActiveRun existing = runs.get(sessionId);
            if (existing != null && !existing.finished()) {
                throw new NeutronException(ErrorCode.GENERATION_IN_PROGRESS, "An answer is still being generated in this"
                        + " chat. Wait for it, reattach with GET /api/v1/chat/sessions/" + sessionId
                        + "/stream, or stop it with POST /api/v1/chat/sessions/" + sessionId + "/stop.");
            }
            runs.remove(sessionId, existing);
            if (runs.putIfAbsent(sessionId, placeholder) != null) {
                throw new NeutronException(ErrorCode.GENERATION_IN_PROGRESS, "Another message to this chat was just sent.");
            }
        }
        Semaphore slots = generationSlots;
        if (!slots.tryAcquire()) {
            runs.remove(sessionId, placeholder);
            throw new NeutronException(ErrorCode.TOO_MANY_GENERATIONS, "Neutron is already generating "
                    + config.maxConcurrentGenerations() + " answers, its limit. Try again when one has finished.");
        }
        try {
            return start(currentStore, session, provider, modelName, message, placeholder, slots);
        } catch (RuntimeException e) {
            runs.remove(sessionId, placeholder);
            slots.release();
            throw e;
        }
    }

    private LiveGeneration start(ChatStore currentStore, ChatSession session, ModelProvider provider, String modelName,
            SendMessage message, ActiveRun active, Semaphore slots) {
        ChatConfig cfg = config;
        ModelInfo model = directory.describe(provider, modelName);
        int maxWindow = contextWindowFor(model, cfg);
        int answerReserve = Math.min(cfg.answerReserveTokens(), maxWindow / 4);
        AttachmentInliner inliner = new AttachmentInliner(attachments, session.id(), model,
                (maxWindow - answerReserve) * 3 / 2);
        inliner.requireAll(message.attachments());
        if (!modelName.equals(session.model())) {
            currentStore.updateSession(session.id(), new SessionPatch(null, modelName));
        }
        List<ChatMessage> history = currentStore.messages(session.id());
        ChatMessage userMessage = new ChatMessage(newId(), MessageRole.user, message.content(), modelName,
                clock.instant(), MessageStatus.complete, message.attachments(), null, null);
        currentStore.appendMessage(session.id(), userMessage);

        List<PromptMessage> system = cfg.systemPrompt().isBlank() ? List.of()
                : List.of(new PromptMessage("system", cfg.systemPrompt()));
        List<PromptMessage> conversation = new ArrayList<>(history.size() + 1);
        for (ChatMessage stored : history) {
            if (stored.role() != MessageRole.system && !stored.content().isEmpty()) {
                conversation.add(inliner.prompt(stored));
            }
        }
        conversation.add(inliner.prompt(userMessage));
        ContextWindow.Fit fit = ContextWindow.fit(system, conversation, maxWindow - answerReserve);
        int contextWindow = ContextWindow.size(fit.estimatedTokens() + answerReserve, maxWindow);

        GenerationRun run = new GenerationRun(session.id(), newId(), modelName);
        active.bind(run, provider, slots, fit, contextWindow, clock.millis());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("sessionId", session.id());
        meta.put("userMessage", userMessage);
        meta.put("messageId", run.messageId());
        meta.put("model", modelName);
        meta.put("provider", provider.id());
        meta.put("contextWindow", contextWindow);
        meta.put("modelContextLength", maxWindow);
        meta.put("promptTokenEstimate", fit.estimatedTokens());
        meta.put("droppedMessages", fit.droppedMessages());
        run.publish("meta", meta);

        int maxAnswerTokens = Math.max(0, cfg.maxAnswerTokens());
        Generation generation = provider.chat(new ChatRequest(modelName, fit.messages(), contextWindow, maxAnswerTokens), delta -> {
            active.markFirstToken(clock.millis());
            run.appendText(delta);
            run.publish("token", Map.of("text", delta));
        });
        active.upstream(generation);
        generation.result().whenComplete((result, failure) -> {
            if (failure == null) {
                complete(active, result);
            } else {
                fail(active, unwrap(failure));
            }
        });
        return run;
    }

    private void complete(ActiveRun active, ChatResult result) {
        if (active.failure != null) {
            fail(active, active.failure);
            return;
        }
        boolean stopped = "cancelled".equals(result.finishReason());
        ChatMessage answer = active.answer(stopped ? MessageStatus.stopped : MessageStatus.complete, null, result, clock);
        finish(active, answer, null);
    }

    private void fail(ActiveRun active, NeutronException error) {
        NeutronException cause = active.failure != null ? active.failure : error;
        ChatMessage answer = active.answer(MessageStatus.error, cause, null, clock);
        finish(active, answer, cause);
    }

    private void finish(ActiveRun active, ChatMessage answer, NeutronException error) {
        if (!active.claimFinish()) {
            return;
        }
        GenerationRun run = active.run;
        NeutronException storeFailure = null;
        try {
            ChatStore currentStore = requireStore();
            if (currentStore.findSession(run.sessionId()).isPresent()) {
                currentStore.appendMessage(run.sessionId(), answer);
            }
        } catch (NeutronException e) {
            LOG.log(System.Logger.Level.ERROR, "Could not store the answer of " + run.sessionId(), e);
            storeFailure = e;
        } finally {
            active.slots.release();
            active.ended.complete(null);
        }
        NeutronException reported = error != null ? error : storeFailure;
        if (reported == null) {
            run.publish("done", Map.of("message", answer));
        } else {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("error", Map.of("code", reported.code().code(), "message", reported.getMessage()));
            data.put("message", answer);
            run.publish("error", data);
        }
        forgetFinishedRuns();
    }

    @Override
    public Optional<LiveGeneration> generation(String sessionId) {
        ActiveRun active = runs.get(sessionId);
        if (active == null || active.run == null) {
            return Optional.empty();
        }
        if (expired(active)) {
            runs.remove(sessionId, active);
            return Optional.empty();
        }
        return Optional.of(active.run);
    }

    @Override
    public boolean stop(String sessionId) {
        ActiveRun active = runs.get(sessionId);
        if (active == null || active.run == null || active.finished()) {
            return false;
        }
        active.stop();
        return true;
    }

    @Override
    public List<ModelInfo> models() {
        return directory.models();
    }

    @Override
    public List<ProviderStatus> providers() {
        return directory.statuses();
    }

    @Override
    public String defaultModel() {
        String configured = blankToNull(config.defaultModel());
        if (configured != null) {
            return configured;
        }
        List<ModelInfo> models = directory.models();
        return models.isEmpty() ? null : models.get(0).name();
    }

    private int contextWindowFor(ModelInfo model, ChatConfig cfg) {
        int window = model.contextLength() != null && model.contextLength() > 0 ? model.contextLength()
                : cfg.fallbackContextTokens();
        return Math.max(512, Math.min(window, cfg.maxContextTokens()));
    }

    private void forgetFinishedRuns() {
        runs.values().removeIf(this::expired);
    }

    /** A finished answer older than the retention time: clients can no longer reattach to it. */
    private boolean expired(ActiveRun active) {
        return active.finished()
                && clock.millis() - active.run.finishedAtMillis() > config.finishedRetentionSeconds() * 1000L;
    }

    private ChatStore requireStore() {
        ChatStore current = store;
        if (current == null) {
            throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE, "No chat store is active.");
        }
        return current;
    }

    static NeutronException unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof NeutronException neutron) {
            return neutron;
        }
        return new NeutronException(ErrorCode.PROVIDER_ERROR, "The model backend failed: " + cause, cause);
    }

    private static String newId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The engine's bookkeeping for one session's answer. */
    private static final class ActiveRun {
        volatile GenerationRun run;
        volatile ModelProvider provider;
        volatile Generation upstream;
        volatile Semaphore slots;
        volatile NeutronException failure;
        volatile boolean stopRequested;
        ContextWindow.Fit fit;
        int contextWindow;
        long startedAtMillis;
        volatile long firstTokenAtMillis;
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        private boolean finishClaimed;

        void bind(GenerationRun generationRun, ModelProvider modelProvider, Semaphore generationSlots,
                ContextWindow.Fit contextFit, int window, long now) {
            this.provider = modelProvider;
            this.slots = generationSlots;
            this.fit = contextFit;
            this.contextWindow = window;
            this.startedAtMillis = now;
            this.run = generationRun;
        }

        void upstream(Generation generation) {
            this.upstream = generation;
            if (stopRequested || failure != null) {
                generation.cancel();
            }
        }

        void markFirstToken(long now) {
            if (firstTokenAtMillis == 0) {
                firstTokenAtMillis = now;
            }
        }

        boolean finished() {
            GenerationRun current = run;
            return current != null && current.finished();
        }

        synchronized boolean claimFinish() {
            if (finishClaimed) {
                return false;
            }
            finishClaimed = true;
            return true;
        }

        void stop() {
            stopRequested = true;
            Generation generation = upstream;
            if (generation != null) {
                generation.cancel();
            }
        }

        void abort(NeutronException reason) {
            failure = reason;
            Generation generation = upstream;
            if (generation != null) {
                generation.cancel();
            }
        }

        ChatMessage answer(MessageStatus status, NeutronException error, ChatResult result, Clock clock) {
            long now = clock.millis();
            GenerationStats stats = new GenerationStats(
                    result == null ? null : result.promptTokens(),
                    result == null ? null : result.completionTokens(),
                    now - startedAtMillis,
                    firstTokenAtMillis == 0 ? null : firstTokenAtMillis - startedAtMillis,
                    contextWindow,
                    fit.estimatedTokens(),
                    fit.droppedMessages(),
                    result != null ? result.finishReason() : status == MessageStatus.error ? "error" : "cancelled");
            return new ChatMessage(run.messageId(), MessageRole.assistant, run.textSoFar(), run.model(),
                    Instant.ofEpochMilli(now), status, List.of(),
                    error == null ? null : new ChatMessage.ErrorInfo(error.code().code(), error.getMessage()), stats);
        }
    }
}
