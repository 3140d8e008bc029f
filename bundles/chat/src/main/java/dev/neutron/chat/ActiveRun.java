package dev.neutron.chat;

import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.Generation;
import dev.neutron.api.GenerationStats;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.ModelProvider;
import dev.neutron.api.NeutronException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/** The engine's bookkeeping for one session's answer, from the moment it is asked for (maybe waiting in line) to its end. */
final class ActiveRun implements GenerationSlots.Waiter {
    final GenerationRun run;
    final String providerId;
    /**
     * The provider and its answer, until the answer is stored: the ended run is kept for reattaching clients, and a
     * provider removed meanwhile must not be (a real one holds an HTTP client with a selector thread and connections).
     */
    private volatile ModelProvider provider;
    /** The question, as the store keeps it once appended (with its place in the conversation tree). */
    volatile ChatMessage userMessage;
    final ChatRequest request;
    final ContextWindow.Fit fit;
    final int modelContextLength;
    /** Whether this answer's window made the model load again. */
    final boolean contextReload;
    /** Why the chat's thinking setting was not sent, or null. */
    final String thinkIgnored;
    /**
     * The first question of the chat's branch while the chat has Neutron's own title, or null: a model may title the
     * chat after this answer (see {@link TitleWriter}).
     */
    final String titleQuestion;
    /** Completes when the answer has a slot. */
    final CompletableFuture<Void> granted = new CompletableFuture<>();
    /** Completes when the answer is stored (or storing it failed). */
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    /**
     * False until the user message is stored: until then, stop and reattach do not see this run, and an abort only
     * marks it (the sender ends it once the message is stored, so the answer is stored after its question).
     */
    private volatile boolean accepted;
    volatile Generation upstream;
    volatile NeutronException failure;
    volatile boolean stopRequested;
    volatile long startedAtMillis;
    volatile long firstTokenAtMillis;
    volatile long firstThinkingAtMillis;
    volatile Future<?> waitTimeout;
    private final AtomicBoolean holdsSlot = new AtomicBoolean();
    private int reportedPosition;
    private boolean finishClaimed;

    ActiveRun(GenerationRun run, ModelProvider provider, ChatMessage userMessage, PromptAssembly.Prompt prompt, long now) {
        this(run, provider, userMessage, prompt, now, null, null);
    }

    ActiveRun(GenerationRun run, ModelProvider provider, ChatMessage userMessage, PromptAssembly.Prompt prompt, long now,
            String thinkIgnored, String titleQuestion) {
        this(run, provider, userMessage, prompt, now, thinkIgnored, titleQuestion, false);
    }

    /** @param contextReload whether the window asked for makes the model load again (see {@link LoadedWindows#ask}) */
    ActiveRun(GenerationRun run, ModelProvider provider, ChatMessage userMessage, PromptAssembly.Prompt prompt, long now,
            String thinkIgnored, String titleQuestion, boolean contextReload) {
        this.contextReload = contextReload;
        this.run = run;
        this.thinkIgnored = thinkIgnored;
        this.titleQuestion = titleQuestion;
        this.provider = provider;
        this.providerId = provider.id();
        this.userMessage = userMessage;
        this.request = prompt.request();
        this.fit = prompt.fit();
        this.modelContextLength = prompt.modelWindow();
        this.startedAtMillis = now;
    }

    boolean accepted() {
        return accepted;
    }

    /** The user message is stored. False when the run was aborted meanwhile: the caller must end it now. */
    synchronized boolean accept() {
        accepted = true;
        return failure == null;
    }

    /** The {@code meta} event's data. */
    Map<String, Object> meta() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("sessionId", run.sessionId());
        meta.put("userMessage", userMessage);
        meta.put("messageId", run.messageId());
        meta.put("model", run.model());
        meta.put("provider", providerId);
        meta.put("contextWindow", request.contextWindow());
        meta.put("modelContextLength", modelContextLength);
        meta.put("promptTokenEstimate", fit.estimatedTokens());
        meta.put("droppedMessages", fit.droppedMessages());
        meta.put("options", request.effectiveOptions());
        meta.put("think", RequestSettings.thinkOnWire(request.think()));
        if (thinkIgnored != null) {
            meta.put("thinkIgnored", thinkIgnored);
        }
        return meta;
    }

    @Override
    public synchronized void moved(int position) {
        if (position != reportedPosition) {
            reportedPosition = position;
            run.publish(ChatEventType.queued, Map.of("position", position));
        }
    }

    @Override
    public void granted() {
        holdsSlot.set(true);
        Future<?> timeout = waitTimeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        granted.complete(null);
    }

    /** Marks a slot taken at once. */
    void holdSlot() {
        holdsSlot.set(true);
        granted.complete(null);
    }

    /** True exactly once after the run got a slot: the caller must then release it. */
    boolean giveUpSlot() {
        return holdsSlot.compareAndSet(true, false);
    }

    /** Held back while the question is being stored (see {@link AnswerLifecycle#callEarly}); null once passed on. */
    private List<Runnable> heldEvents;
    /** The early answer was dropped: nothing it sends is published any more. */
    private boolean earlyDropped;
    private final Object delivery = new Object();
    /** The provider failed at once when called before the question was stored. */
    volatile NeutronException earlyFailure;
    private volatile boolean calledEarly;

    /** From now until {@link #releaseEvents}, what the model sends is held back. */
    void holdEvents() {
        synchronized (delivery) {
            calledEarly = true;
            heldEvents = new ArrayList<>();
        }
    }

    boolean calledEarly() {
        return calledEarly;
    }

    /** Publishes {@code event} now, or holds it until the question is stored. */
    void deliver(Runnable event) {
        synchronized (delivery) {
            if (earlyDropped) {
                return;
            }
            if (heldEvents != null) {
                heldEvents.add(event);
            } else {
                event.run();
            }
        }
    }

    /** The question is stored and {@code meta} published: what the model sent meanwhile goes out, in order. */
    void releaseEvents() {
        synchronized (delivery) {
            List<Runnable> held = heldEvents;
            heldEvents = null;
            if (held != null) {
                held.forEach(Runnable::run);
            }
        }
    }

    /** The question was not stored, or the answer ends before it began: the early call is cancelled, its text dropped. */
    void dropEarlyAnswer() {
        if (!calledEarly) {
            return;
        }
        synchronized (delivery) {
            earlyDropped = true;
            heldEvents = null;
        }
        Generation generation = upstream;
        if (generation != null) {
            generation.cancel();
        }
    }

    /** The provider that answers; null once the answer is stored. */
    ModelProvider provider() {
        return provider;
    }

    /**
     * The answer is stored: lets go of its provider, of the provider's answer stream and of an error the provider made
     * (whose stack trace would pin the provider's classes), see {@link #provider}.
     */
    void releaseProvider() {
        provider = null;
        upstream = null;
        earlyFailure = null;
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

    void markThinking(long now) {
        if (firstThinkingAtMillis == 0) {
            firstThinkingAtMillis = now;
        }
    }

    /** From the first thinking to the first token of the answer (or to {@code end} without one); null without thinking. */
    private Long thinkingMs(long end) {
        long thoughtFrom = firstThinkingAtMillis;
        if (thoughtFrom == 0) {
            return null;
        }
        long answeredAt = firstTokenAtMillis > thoughtFrom ? firstTokenAtMillis : end;
        return Math.max(0, answeredAt - thoughtFrom);
    }

    boolean finished() {
        return run.finished();
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

    /**
     * Ends the answer with {@code reason}: a running one when its provider stops. Returns whether the run was accepted;
     * if not, its sender ends it once the user message is stored ({@link #accept()} is then false).
     */
    boolean abort(NeutronException reason) {
        synchronized (this) {
            failure = reason;
            if (!accepted) {
                return false;
            }
        }
        Generation generation = upstream;
        if (generation != null) {
            generation.cancel();
        }
        return true;
    }

    /** The answer as it is to be stored: a child of its question, whichever branch is shown meanwhile. */
    ChatMessage answer(MessageStatus status, NeutronException error, ChatResult result, Clock clock) {
        long now = clock.millis();
        GenerationStats stats = new GenerationStats(
                result == null ? null : result.promptTokens(),
                result == null ? null : result.completionTokens(),
                now - startedAtMillis,
                firstTokenAtMillis == 0 ? null : firstTokenAtMillis - startedAtMillis,
                request.contextWindow(),
                fit.estimatedTokens(),
                fit.droppedMessages(),
                result != null ? result.finishReason() : status == MessageStatus.error ? "error" : "cancelled",
                request.effectiveOptions(),
                thinkingMs(now),
                contextReload);
        return new ChatMessage(run.messageId(), MessageRole.assistant, run.textSoFar(), run.model(),
                Instant.ofEpochMilli(now), status, List.of(),
                error == null ? null : new ChatMessage.ErrorInfo(error.code().code(), error.getMessage()), stats,
                userMessage.id(), run.thinkingSoFar());
    }
}
