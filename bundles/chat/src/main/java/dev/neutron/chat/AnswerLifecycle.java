package dev.neutron.chat;

import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.Generation;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.TokenListener;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * An answer's life once it is asked for: waiting for a slot (or running out of time in line), calling the model, and
 * ending, whether complete, stopped or failed, with the answer stored and its slot given to the next in line.
 */
final class AnswerLifecycle {
    private static final System.Logger LOG = System.getLogger(AnswerLifecycle.class.getName());
    /** The end of an answer stopped before or while it was generated. */
    private static final ChatResult CANCELLED = new ChatResult("cancelled", null, null, null);

    private final GenerationSlots slots;
    private final SessionRuns runs;
    private final Clock clock;
    private final Supplier<ChatStore> store;
    private final IntSupplier maxQueueWaitSeconds;
    /** Told of each answer stored complete, after its {@code done} event. */
    private final BiConsumer<ActiveRun, ChatMessage> completed;
    /** Wait timeouts, clients leaving the line, and starting answers whose turn came. */
    private final ScheduledThreadPoolExecutor line = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "neutron-generation-line");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param store               the store answers go to; throws when none is active
     * @param maxQueueWaitSeconds how long an answer may wait in line, read when it starts waiting
     */
    AnswerLifecycle(GenerationSlots slots, SessionRuns runs, Clock clock, Supplier<ChatStore> store,
            IntSupplier maxQueueWaitSeconds) {
        this(slots, runs, clock, store, maxQueueWaitSeconds, (active, answer) -> { });
    }

    /** @param completed told of each answer stored complete, after its {@code done} event; must not block */
    AnswerLifecycle(GenerationSlots slots, SessionRuns runs, Clock clock, Supplier<ChatStore> store,
            IntSupplier maxQueueWaitSeconds, BiConsumer<ActiveRun, ChatMessage> completed) {
        this.completed = completed;
        this.slots = slots;
        this.runs = runs;
        this.clock = clock;
        this.store = store;
        this.maxQueueWaitSeconds = maxQueueWaitSeconds;
        line.setRemoveOnCancelPolicy(true);
    }

    /** Stops the line's thread; answers still waiting must have been ended before. */
    void close() {
        line.shutdownNow();
    }

    /**
     * Undoes a send that failed before its user message was stored: out of the line or the slot, and out of the
     * session. Nothing is stored, and the run counts as ended.
     */
    void leave(ActiveRun active) {
        active.dropEarlyAnswer();
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
    void start(ActiveRun active, boolean slotNow) {
        if (!active.accept()) {
            active.dropEarlyAnswer();
            slots.withdraw(active);
            fail(active, active.failure);
        } else if (slotNow) {
            launch(active);
        } else {
            waitForSlot(active);
        }
    }

    /**
     * Ends a waiting answer at once, or aborts a running one (it ends when its provider stops). One whose message is
     * still being stored is only marked: {@link #start} ends it right after, so its answer is stored after it.
     */
    void endOrAbort(ActiveRun active, NeutronException reason) {
        if (active.abort(reason) && slots.withdraw(active)) {
            fail(active, reason);
        }
    }

    /** Takes a waiting answer out of the line and stores it as stopped; a running one is left to its provider. */
    void cancelIfWaiting(ActiveRun active) {
        if (slots.withdraw(active)) {
            complete(active, CANCELLED);
        }
    }

    /** The answer waits its turn: it starts when granted, or ends when stopped, abandoned or out of time. */
    private void waitForSlot(ActiveRun active) {
        int maxWait = Math.max(1, maxQueueWaitSeconds.getAsInt());
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
                line.execute(() -> cancelIfWaiting(active));
            } catch (RejectedExecutionException stopping) {
                // the engine is being deactivated, which ends every waiting answer
            }
        });
        active.granted.thenRunAsync(() -> launch(active), line);
    }

    /**
     * Calls the model before the question is stored, so that the model's first token and the question's durable write
     * take their time side by side. Whatever the model sends is held back until {@link #start} publishes {@code meta}
     * (which tells the client its question is stored), and the answer is stored only after its question. The run holds
     * a slot; a provider that fails at once ends the answer once the question is stored.
     */
    void callEarly(ActiveRun active) {
        active.startedAtMillis = clock.millis();
        active.holdEvents();
        try {
            active.upstream(active.provider().chat(active.request, listenerFor(active)));
        } catch (RuntimeException e) {
            active.earlyFailure = unwrap(e);
        }
    }

    /**
     * Publishes {@code meta}, then passes on what the model sent so far (when it was called early) or calls it now; the
     * run holds a slot. A provider that fails at once ends the answer like one that fails later: an {@code error}
     * event, and the answer stored with status {@code error}.
     */
    private void launch(ActiveRun active) {
        GenerationRun run = active.run;
        boolean early = active.calledEarly();
        if (!early) {
            active.startedAtMillis = clock.millis();
        }
        run.publish(ChatEventType.meta, active.meta());
        if (active.stopRequested || active.failure != null) {
            active.dropEarlyAnswer();
            complete(active, CANCELLED);
            return;
        }
        Generation generation;
        if (early) {
            if (active.earlyFailure != null) {
                fail(active, active.earlyFailure);
                return;
            }
            generation = active.upstream;
            active.releaseEvents();
        } else {
            try {
                generation = active.provider().chat(active.request, listenerFor(active));
            } catch (RuntimeException e) {
                fail(active, unwrap(e));
                return;
            }
            active.upstream(generation);
        }
        generation.result().whenComplete((result, failure) -> {
            if (failure == null) {
                complete(active, result);
            } else {
                fail(active, unwrap(failure));
            }
        });
    }

    /** Publishes the model's deltas as they come, or holds them while the run's question is being stored. */
    private TokenListener listenerFor(ActiveRun active) {
        GenerationRun run = active.run;
        return new TokenListener() {
            @Override
            public void onToken(String delta) {
                active.deliver(() -> {
                    active.markFirstToken(clock.millis());
                    run.publishText(delta);
                });
            }

            @Override
            public void onThinking(String delta) {
                active.deliver(() -> {
                    active.markThinking(clock.millis());
                    run.publishThinking(delta);
                });
            }
        };
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
            ChatStore currentStore = store.get();
            if (currentStore.findSession(run.sessionId()).isPresent()) {
                answer = currentStore.appendMessage(run.sessionId(), answer); // as stored: with its parent
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
            active.releaseProvider();
            active.ended.complete(null);
        }
        runs.forgetExpired();
        if (error == null && storeFailure == null && answer.status() == MessageStatus.complete) {
            try {
                completed.accept(active, answer);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "After the answer of " + run.sessionId() + " was stored", e);
            }
        }
    }

    static NeutronException unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof NeutronException neutron) {
            return neutron;
        }
        return new NeutronException(ErrorCode.PROVIDER_ERROR, "The model backend failed: " + cause, cause);
    }
}
