package dev.neutron.chat;

import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ChatService;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.Generation;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * failed, and every event is kept so clients can reattach. Beyond {@code maxConcurrentGenerations} answers, requests
 * wait in a fair line ({@link GenerationSlots}) and are told their place with {@code queued} events.
 */
@Component(service = ChatService.class, configurationPid = ChatConfig.PID)
@Designate(ocd = ChatConfig.class)
public class ChatEngine implements ChatService {
    private static final System.Logger LOG = System.getLogger(ChatEngine.class.getName());
    /** The end of an answer stopped before or while it was generated. */
    private static final ChatResult CANCELLED = new ChatResult("cancelled", null, null, null);
    /** How long deactivation waits for the answers in flight to be stored. */
    private static final int SHUTDOWN_GRACE_SECONDS = 5;

    private final Clock clock = Clock.systemUTC();
    private final List<ModelProvider> providers = new CopyOnWriteArrayList<>();
    private final ModelDirectory directory = new ModelDirectory(providers);
    private final GenerationSlots slots;
    /** Wait timeouts, clients leaving the line, and starting answers whose turn came. */
    private final ScheduledThreadPoolExecutor line = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "neutron-generation-line");
        thread.setDaemon(true);
        return thread;
    });
    private final AttachmentCache attachmentCache;
    private final SessionRuns runs;
    private volatile ChatConfig config;
    private volatile ChatStore store;
    private volatile AttachmentStore attachments;

    @Activate
    public ChatEngine(ChatConfig config) {
        this.config = config;
        this.slots = new GenerationSlots(config.maxConcurrentGenerations(), config.maxQueuedGenerations());
        this.attachmentCache = new AttachmentCache(config.attachmentCacheChars());
        this.runs = new SessionRuns(clock::millis, () -> this.config.finishedRetentionSeconds() * 1000L);
        line.setRemoveOnCancelPolicy(true);
        logLimits(config);
    }

    @Modified
    void modified(ChatConfig newConfig) {
        this.config = newConfig;
        slots.resize(newConfig.maxConcurrentGenerations(), newConfig.maxQueuedGenerations());
        attachmentCache.resize(newConfig.attachmentCacheChars());
        logLimits(newConfig);
    }

    private static void logLimits(ChatConfig cfg) {
        LOG.log(System.Logger.Level.INFO, "Generating at most {0} answers at once; up to {1} more wait in line for"
                + " at most {2} s", Math.max(1, cfg.maxConcurrentGenerations()), Math.max(0, cfg.maxQueuedGenerations()),
                Math.max(1, cfg.maxQueueWaitSeconds()));
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(ChatStore chatStore) {
        this.store = chatStore;
    }

    void unbindStore(ChatStore chatStore) {
        if (store == chatStore) {
            store = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindAttachments(AttachmentStore attachmentStore) {
        this.attachments = attachmentStore;
        attachmentCache.clear();
    }

    void unbindAttachments(AttachmentStore attachmentStore) {
        if (attachments == attachmentStore) {
            attachments = null;
            attachmentCache.clear();
        }
    }

    /**
     * Ends answers in flight or in line and waits briefly until each is stored, while the store is still bound. An
     * answer whose message is being stored right now ends as soon as it is.
     */
    @Deactivate
    void deactivate() {
        try {
            endAll(new NeutronException(ErrorCode.SERVICE_UNAVAILABLE,
                    "Neutron was stopped while this answer was being generated; the text so far is kept."))
                    .get(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "Some answers in flight could not be stored before shutdown", e);
        } finally {
            line.shutdownNow();
        }
    }

    /**
     * Refuses new messages and ends every answer in flight or in line; completes when each is stored. Waiting answers
     * end first, so that the slots the running ones free start none of them.
     */
    CompletableFuture<Void> endAll(NeutronException reason) {
        List<ActiveRun> unfinished = runs.close();
        unfinished.stream().filter(slots::isWaiting).forEach(active -> endOrAbort(active, reason));
        unfinished.stream().filter(active -> !active.finished()).forEach(active -> endOrAbort(active, reason));
        return CompletableFuture.allOf(unfinished.stream().map(active -> active.ended).toArray(CompletableFuture[]::new));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindProvider(ModelProvider provider) {
        providers.add(provider);
        directory.invalidate();
    }

    void unbindProvider(ModelProvider provider) {
        providers.remove(provider);
        directory.invalidate();
        for (ActiveRun active : runs.servedBy(provider)) {
            endOrAbort(active, new NeutronException(ErrorCode.PROVIDER_REMOVED, "The model backend '" + provider.id()
                    + "' was removed while answering. The partial answer is kept; pick another model to go on."));
        }
    }

    /**
     * Ends a waiting answer at once, or aborts a running one (it ends when its provider stops). One whose message is
     * still being stored is only marked: {@link #start} ends it right after, so its answer is stored after it.
     */
    private void endOrAbort(ActiveRun active, NeutronException reason) {
        if (active.abort(reason) && slots.withdraw(active)) {
            fail(active, reason);
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
        runs.requireNoAnswerRunning(sessionId);
        ActiveRun active = prepare(currentStore, session, provider, modelName, message);
        runs.claim(sessionId, active);
        boolean slotNow;
        try {
            slotNow = slots.acquireOrWait(active);
            if (slotNow) {
                active.holdSlot();
            }
            if (!modelName.equals(session.model())) {
                currentStore.updateSession(session.id(), new SessionPatch(null, modelName));
            }
            currentStore.appendMessage(session.id(), active.userMessage);
        } catch (RuntimeException e) {
            leave(active);
            throw e;
        }
        start(active, slotNow);
        return active.run;
    }

    /**
     * Everything that can be checked before anything is stored: the attachments, and that the message fits the
     * model's window; then the prompt, with older turns dropped as the window needs.
     */
    private ActiveRun prepare(ChatStore currentStore, ChatSession session, ModelProvider provider, String modelName,
            SendMessage message) {
        ChatConfig cfg = config;
        ModelInfo model = directory.describe(provider, modelName);
        PromptAssembly.Budget budget = PromptAssembly.Budget.of(model, cfg);
        PromptAssembly assembly = new PromptAssembly(modelName, cfg.systemPrompt(), budget, new AttachmentInliner(
                attachments, attachmentCache, session.id(), model, budget.maxCharsPerFile()));
        ChatMessage userMessage = new ChatMessage(newId(), MessageRole.user, message.content(), modelName,
                clock.instant(), MessageStatus.complete, message.attachments(), null, null);
        PromptMessage newest = assembly.newMessage(userMessage);
        PromptAssembly.Prompt prompt = assembly.withHistory(currentStore.messages(session.id()), newest);
        GenerationRun run = new GenerationRun(session.id(), newId(), modelName);
        return new ActiveRun(run, provider, userMessage, prompt, clock.millis());
    }

    /**
     * Undoes a send that failed before its user message was stored: out of the line or the slot, and out of the
     * session. Nothing is stored, and the run counts as ended.
     */
    private void leave(ActiveRun active) {
        runs.remove(active);
        if (!slots.withdraw(active)) {
            releaseSlotWhenGranted(active);
        }
        active.ended.complete(null);
    }

    /** Gives back the run's slot once it has one: it holds one, or is being granted one right now. */
    private void releaseSlotWhenGranted(ActiveRun active) {
        active.granted.thenRun(() -> {
            if (active.giveUpSlot()) {
                slots.release();
            }
        });
    }

    /**
     * The user message is stored: from here on the answer is stored too, however it ends. One aborted while its
     * message was being stored ends at once; one without a slot waits for one.
     */
    private void start(ActiveRun active, boolean slotNow) {
        if (!active.accept()) {
            slots.withdraw(active);
            fail(active, active.failure);
        } else if (slotNow) {
            launch(active);
        } else {
            waitForSlot(active);
        }
    }

    /** The answer waits its turn: it starts when granted, or ends when stopped, abandoned or out of time. */
    private void waitForSlot(ActiveRun active) {
        int maxWait = Math.max(1, config.maxQueueWaitSeconds());
        try {
            active.waitTimeout = line.schedule(() -> {
                if (slots.withdraw(active)) {
                    fail(active, new NeutronException(ErrorCode.TOO_MANY_GENERATIONS, "Waited " + maxWait + " s for a"
                            + " free slot: Neutron generates at most " + slots.limit() + " answers at once and all"
                            + " stayed busy. Your message is kept; send it again later."));
                }
            }, maxWait, TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopped) {
            // the engine was deactivated meanwhile, which ended this answer
            return;
        }
        active.run.whenAbandoned(() -> {
            try {
                line.execute(() -> {
                    if (slots.withdraw(active)) {
                        complete(active, CANCELLED);
                    }
                });
            } catch (RejectedExecutionException stopping) {
                // the engine is being deactivated, which ends every waiting answer
            }
        });
        active.granted.thenRunAsync(() -> launch(active), line);
    }

    /**
     * Publishes {@code meta} and calls the model; the run holds a slot. A provider that fails at once ends the answer
     * like one that fails later: an {@code error} event, and the answer stored with status {@code error}.
     */
    private void launch(ActiveRun active) {
        GenerationRun run = active.run;
        active.startedAtMillis = clock.millis();
        run.publish(ChatEventType.meta, active.meta());
        if (active.stopRequested || active.failure != null) {
            complete(active, CANCELLED);
            return;
        }
        Generation generation;
        try {
            generation = active.provider.chat(active.request, delta -> {
                active.markFirstToken(clock.millis());
                run.appendText(delta);
                run.publish(ChatEventType.token, Map.of("text", delta));
            });
        } catch (RuntimeException e) {
            fail(active, unwrap(e));
            return;
        }
        active.upstream(generation);
        generation.result().whenComplete((result, failure) -> {
            if (failure == null) {
                complete(active, result);
            } else {
                fail(active, unwrap(failure));
            }
        });
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
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Could not store the answer of " + run.sessionId(), e);
            storeFailure = e instanceof NeutronException neutron ? neutron
                    : new NeutronException(ErrorCode.STORAGE_ERROR, "The answer could not be stored: " + e, e);
        }
        try {
            run.end(answer, error != null ? error : storeFailure);
        } finally {
            Future<?> waitTimeout = active.waitTimeout;
            if (waitTimeout != null) {
                waitTimeout.cancel(false);
            }
            // after the end is published, so that watchers see this answer end before the next one begins
            releaseSlotWhenGranted(active);
            active.ended.complete(null);
        }
        runs.forgetExpired();
    }

    @Override
    public Optional<LiveGeneration> generation(String sessionId) {
        return Optional.ofNullable(runs.find(sessionId)).map(active -> active.run);
    }

    /** Stops a running answer (its partial text is kept), or takes a waiting one out of the line. */
    @Override
    public boolean stop(String sessionId) {
        ActiveRun active = runs.find(sessionId);
        if (active == null || active.finished()) {
            return false;
        }
        active.stop();
        if (slots.withdraw(active)) {
            complete(active, CANCELLED);
        }
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


    /** Answers waiting in line for a slot. */
    int waitingGenerations() {
        return slots.waiting();
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
}
