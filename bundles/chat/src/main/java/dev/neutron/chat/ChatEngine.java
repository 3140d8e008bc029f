package dev.neutron.chat;

import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatService;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
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
 * wait in a fair line ({@link GenerationSlots}) and are told their place with {@code queued} events. This class is
 * the DS component: it checks and prepares a message, then hands the answer to its {@link AnswerLifecycle}.
 */
@Component(service = ChatService.class, configurationPid = ChatConfig.PID)
@Designate(ocd = ChatConfig.class)
public class ChatEngine implements ChatService {
    private static final System.Logger LOG = System.getLogger(ChatEngine.class.getName());
    /** How long deactivation waits for the answers in flight to be stored. */
    private static final int SHUTDOWN_GRACE_SECONDS = 5;

    private final Clock clock = Clock.systemUTC();
    private final List<ModelProvider> providers = new CopyOnWriteArrayList<>();
    private final ModelDirectory directory = new ModelDirectory(providers);
    private final GenerationSlots slots;
    private final AttachmentCache attachmentCache;
    private final SessionRuns runs;
    private final AnswerLifecycle answers;
    private final TitleWriter titles;
    private final LoadedWindows loadedWindows = new LoadedWindows();
    private volatile ChatConfig config;
    private volatile ChatStore store;
    private volatile AttachmentStore attachments;

    @Activate
    public ChatEngine(ChatConfig config) {
        this.config = config;
        this.slots = new GenerationSlots(config.maxConcurrentGenerations(), config.maxQueuedGenerations());
        this.attachmentCache = new AttachmentCache(config.attachmentCacheChars());
        this.runs = new SessionRuns(clock::millis, () -> this.config.finishedRetentionSeconds() * 1000L);
        this.titles = new TitleWriter(this::requireStore, directory, () -> this.config);
        this.answers = new AnswerLifecycle(slots, runs, clock, this::requireStore,
                () -> this.config.maxQueueWaitSeconds(), this::answered);
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
        LOG.log(System.Logger.Level.INFO, "Chat titles written by a model: {0}", "off".equals(cfg.titles().strip()) ? "off"
                : "on, by " + (cfg.titleModel().isBlank() ? "the chat's model" : cfg.titleModel().strip()) + ", within "
                + Math.max(1, cfg.titleTimeoutSeconds()) + " s");
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
            titles.close();
            answers.close();
        }
    }

    /**
     * Refuses new messages and ends every answer in flight or in line; completes when each is stored. Waiting answers
     * end first, so that the slots the running ones free start none of them.
     */
    CompletableFuture<Void> endAll(NeutronException reason) {
        List<ActiveRun> unfinished = runs.close();
        unfinished.stream().filter(slots::isWaiting).forEach(active -> answers.endOrAbort(active, reason));
        unfinished.stream().filter(active -> !active.finished()).forEach(active -> answers.endOrAbort(active, reason));
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
        loadedWindows.clear();
        for (ActiveRun active : runs.servedBy(provider)) {
            answers.endOrAbort(active, new NeutronException(ErrorCode.PROVIDER_REMOVED, "The model backend '" + provider.id()
                    + "' was removed while answering. The partial answer is kept; pick another model to go on."));
        }
    }

    @Override
    public LiveGeneration send(String sessionId, SendMessage message) {
        ChatStore currentStore = requireStore();
        ChatSession session = requireSession(currentStore, sessionId);
        String modelName = modelFor(session, message.model());
        ModelProvider provider = directory.providerFor(modelName);
        runs.requireNoAnswerRunning(sessionId);
        BranchPoint at = BranchPoint.forMessage(currentStore, sessionId, message);
        ChatMessage userMessage = new ChatMessage(newId(), MessageRole.user, message.content(), modelName,
                clock.instant(), MessageStatus.complete, message.attachments(), null, null, at.parentId());
        ActiveRun active = prepare(session, provider, modelName, userMessage, at.history());
        boolean firstQuestion = session.autoTitle() && session.messageCount() == 0;
        return begin(currentStore, session, modelName, active, () -> {
            active.userMessage = currentStore.appendMessage(session.id(), active.userMessage);
            if (firstQuestion) {
                provisionalTitle(currentStore, session.id(), message.content());
            }
        });
    }

    @Override
    public LiveGeneration regenerate(String sessionId, String messageId, String model) {
        ChatStore currentStore = requireStore();
        ChatSession session = requireSession(currentStore, sessionId);
        String modelName = modelFor(session, model);
        ModelProvider provider = directory.providerFor(modelName);
        runs.requireNoAnswerRunning(sessionId);
        BranchPoint at = BranchPoint.forRegeneration(currentStore, sessionId, messageId);
        ActiveRun active = prepare(session, provider, modelName, at.question(), at.history());
        // last, so that nothing is left changed when an earlier step fails
        return begin(currentStore, session, modelName, active,
                () -> currentStore.setActiveLeaf(session.id(), at.question().id()));
    }

    /** A new chat's title until a model writes one: the first words of its first question. */
    private static void provisionalTitle(ChatStore currentStore, String sessionId, String question) {
        String title = TitleText.provisional(question);
        if (title.isEmpty()) {
            return;
        }
        try {
            currentStore.updateSession(sessionId, SessionPatch.autoTitle(title));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not title " + sessionId + " after its first question", e);
        }
    }

    /** An answer was stored complete: its chat may get a title written by a model. */
    private void answered(ActiveRun active, ChatMessage answer) {
        if (active.titleQuestion != null) {
            titles.afterAnswer(new TitleWriter.Request(active.run.sessionId(), active.titleQuestion, answer,
                    active.request.contextWindow()));
        }
    }

    private ChatSession requireSession(ChatStore currentStore, String sessionId) {
        return currentStore.findSession(sessionId).orElseThrow(() -> new NeutronException(
                ErrorCode.SESSION_NOT_FOUND, "No chat session with id " + sessionId + "."));
    }

    /** The model asked for, else the session's, else the default one. */
    private String modelFor(ChatSession session, String requested) {
        String requestedModel = blankToNull(requested);
        String modelName = requestedModel != null ? requestedModel
                : session.model() != null ? session.model() : defaultModel();
        if (modelName == null) {
            throw directory.noModelError();
        }
        return modelName;
    }

    /**
     * Claims the session and a slot (or a place in line), switches the session's model, and stores the question with
     * {@code storeQuestion}; then the answer starts, or waits for its slot. When a step fails, nothing is kept.
     */
    private LiveGeneration begin(ChatStore currentStore, ChatSession session, String modelName, ActiveRun active,
            Runnable storeQuestion) {
        runs.claim(session.id(), active);
        boolean slotNow;
        try {
            slotNow = slots.acquireOrWait(active);
            if (slotNow) {
                active.holdSlot();
                // the model starts on the prompt while the question is made durable; nothing is published before
                answers.callEarly(active);
            }
            if (!modelName.equals(session.model())) {
                currentStore.updateSession(session.id(), new SessionPatch(null, modelName));
            }
            storeQuestion.run();
        } catch (RuntimeException e) {
            answers.leave(active);
            throw e;
        }
        answers.start(active, slotNow);
        return active.run;
    }

    /**
     * Everything that can be checked before anything is stored: that the model can chat, the question's attachments,
     * and that it fits the model's window; then the prompt, the chat's settings over the defaults, {@code history} then
     * the question, with older turns dropped as the window needs.
     */
    private ActiveRun prepare(ChatSession session, ModelProvider provider, String modelName, ChatMessage question,
            List<ChatMessage> history) {
        ChatConfig cfg = config;
        ModelInfo model = directory.describe(provider, modelName);
        requireChatModel(model, modelName);
        RequestSettings settings = RequestSettings.of(session.settings(), ChatDefaults.of(cfg), model);
        PromptAssembly.Budget budget = PromptAssembly.Budget.of(model, cfg, settings.numCtx(), settings.numPredict());
        Integer loaded = loadedWindows.of(provider.id(), modelName);
        int chatFloor = WindowPolicy.chatFloor(history, modelName);
        PromptAssembly assembly = new PromptAssembly(modelName, settings.systemPrompt(), budget, new AttachmentInliner(
                attachments, attachmentCache, session.id(), model, budget.maxCharsPerFile()), settings.options(),
                settings.think(), (needed, limit) -> WindowPolicy.choose(needed, limit, loaded, chatFloor));
        PromptMessage newest = assembly.newMessage(question);
        PromptAssembly.Prompt prompt = assembly.withHistory(history, newest);
        boolean reload = loadedWindows.ask(provider.id(), modelName, prompt.request().contextWindow());
        GenerationRun run = new GenerationRun(session.id(), newId(), question.id(), modelName);
        String titleQuestion = !session.autoTitle() ? null
                : history.isEmpty() ? question.content() : history.get(0).content();
        return new ActiveRun(run, provider, question, prompt, clock.millis(), settings.thinkIgnored(), titleQuestion,
                reload);
    }

    /** Refuses a model that only embeds (when its capabilities are known). */
    private static void requireChatModel(ModelInfo model, String modelName) {
        List<String> capabilities = model.capabilities();
        if (capabilities.contains("embedding") && !capabilities.contains("completion")) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Model '" + modelName + "' is an embedding model;"
                    + " it cannot chat. Pick a chat model for this chat. Nothing was sent or stored.");
        }
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
        answers.cancelIfWaiting(active);
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

    /** Waits until the titles asked of models so far are written or given up; for tests. */
    boolean awaitTitles(long timeout, TimeUnit unit) throws InterruptedException {
        return titles.awaitIdle(timeout, unit);
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

    private static String newId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
