package dev.neutron.provider.ollama;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.Generation;
import dev.neutron.api.TokenListener;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One streamed answer from {@code /api/chat}, read as it arrives by the HTTP client's line subscriber: no thread waits
 * on the stream, so thousands of answers at once cost no thread each. It can be aborted at any point, before or after
 * Ollama starts answering; aborting closes the connection, which makes Ollama stop generating.
 */
final class NdjsonChatStream implements Generation {
    private static final System.Logger LOG = System.getLogger(NdjsonChatStream.class.getName());
    private static final ChatResult CANCELLED = new ChatResult("cancelled", null, null, null);
    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    /** Whatever happens first decides how the result completes. */
    private enum Ending { READ_TO_END, CANCELLED, IDLE_TIMEOUT, PROVIDER_STOPPED }

    private final OllamaClient client;
    private final ChatRequest request;
    private final TokenListener listener;
    private final Duration idleTimeout;
    private final IdleWatchdog watchdog;
    private final Executor completions;
    private final ChatAnswerReader reader;
    private final CompletableFuture<ChatResult> result = new CompletableFuture<>();
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    /** Held while a line is handed on, and while the ending is decided: no delta follows the result's completion. */
    private final Object delivering = new Object();
    private volatile CompletableFuture<HttpResponse<String>> pendingResponse;
    private volatile Flow.Subscription lines;
    /** Whether the body of a 200 answer began: a failure from then on is a connection that closed early. */
    private volatile boolean bodyStarted;

    /**
     * @param completions where the result is completed, so that whatever its caller does then (storing the answer,
     *                    say) never holds up the HTTP client's threads, which read every answer
     */
    NdjsonChatStream(OllamaClient client, ChatRequest request, TokenListener listener,
            ScheduledExecutorService watchdogScheduler, Duration idleTimeout, Executor completions) {
        this.client = client;
        this.completions = completions;
        this.request = request;
        this.listener = listener;
        this.idleTimeout = idleTimeout;
        this.reader = new ChatAnswerReader(new UntilEnded());
        this.watchdog = new IdleWatchdog(watchdogScheduler, idleTimeout, () -> abort(Ending.IDLE_TIMEOUT));
        // a caller that completes or cancels result() itself wants the answer no more either
        result.whenComplete((answer, failure) -> abort(Ending.CANCELLED));
    }

    /** Sends the request; the answer is read on the HTTP client's threads as it arrives. */
    void start() {
        if (ending.get() != null) {
            end(null, new CancellationException("aborted before the request was sent"));
            return;
        }
        watchdog.start();
        CompletableFuture<HttpResponse<String>> pending = client.startChat(request, this::bodyFor);
        pendingResponse = pending;
        // an abort() that ran before the handle was published could not reach it: check again after publishing
        if (ending.get() != null) {
            abortUpstream();
        }
        pending.whenComplete((response, failure) -> {
            if (failure != null) {
                end(null, bodyStarted ? OllamaErrors.closedEarly(failure) : failure);
            } else if (response.statusCode() != 200) {
                end(null, OllamaErrors.forStatus(response.statusCode(), response.body(), "/api/chat", request.model()));
            } else {
                // the body ended without a final line (after one, the answer has already ended)
                end(null, OllamaErrors.closedEarly(null));
            }
        });
    }

    /** A 200 answer's lines go to the reader, with every chunk counted as activity; an error's text is kept. */
    private HttpResponse.BodySubscriber<String> bodyFor(HttpResponse.ResponseInfo info) {
        watchdog.touch();
        if (info.statusCode() != 200) {
            return new CappedBody(MAX_ERROR_BODY_BYTES);
        }
        bodyStarted = true;
        return new Lines();
    }

    /**
     * The answer's lines as they come, cut from the bytes here (all are asked for at once: handing one on never
     * blocks); after the final line the rest of the body is read so the connection is kept. Every chunk counts as
     * activity.
     */
    private final class Lines implements HttpResponse.BodySubscriber<String> {
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private final NdjsonLines split = new NdjsonLines(this::line);

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            lines = subscription;
            if (ending.get() != null) {
                subscription.cancel();
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> chunk) {
            watchdog.touch();
            for (ByteBuffer buffer : chunk) {
                if (ending.get() != null) {
                    return;
                }
                split.accept(buffer);
            }
        }

        private void line(byte[] bytes, int offset, int length) {
            if (ending.get() != null) {
                return;
            }
            ChatResult end;
            try {
                synchronized (delivering) {
                    end = reader.line(bytes, offset, length);
                }
            } catch (RuntimeException failure) {
                end(null, failure);
                return;
            }
            if (end != null) {
                end(end, null);
            }
        }

        @Override
        public void onError(Throwable failure) {
            end(null, OllamaErrors.closedEarly(failure));
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            if (ending.get() == null) {
                split.finish();
            }
            end(null, OllamaErrors.closedEarly(null));
            body.complete(null);
        }
    }

    @Override
    public CompletableFuture<ChatResult> result() {
        return result;
    }

    @Override
    public void cancel() {
        abort(Ending.CANCELLED);
    }

    void abortBecauseProviderStops() {
        abort(Ending.PROVIDER_STOPPED);
    }

    private void abort(Ending reason) {
        if (ending.compareAndSet(null, reason)) {
            abortUpstream();
            if (pendingResponse == null) {
                end(null, new CancellationException("aborted before the request was sent"));
            }
        }
    }

    /** Closes the connection: the answer's future completes (cancelled), which ends this answer by its reason. */
    private void abortUpstream() {
        Flow.Subscription subscription = lines;
        if (subscription != null) {
            subscription.cancel();
        }
        CompletableFuture<HttpResponse<String>> pending = pendingResponse;
        if (pending != null) {
            pending.cancel(true);
        }
    }

    /** Passes deltas on until the answer has ended one way or another. */
    private final class UntilEnded implements TokenListener {
        @Override
        public void onToken(String delta) {
            if (ending.get() == null) {
                listener.onToken(delta);
            }
        }

        @Override
        public void onThinking(String delta) {
            if (ending.get() == null) {
                listener.onThinking(delta);
            }
        }
    }

    /** Completes the result once: with the answer or failure when nothing ended it before, else by what did. */
    private void end(ChatResult answer, Throwable failure) {
        Ending before;
        synchronized (delivering) {
            before = ending.compareAndExchange(null, Ending.READ_TO_END);
        }
        watchdog.stop();
        if (before == null && failure != null) {
            LOG.log(System.Logger.Level.DEBUG, "Answer from Ollama failed", failure);
            // a failure while reading leaves the connection open: close it, so Ollama stops generating
            abortUpstream();
        }
        if (before != Ending.READ_TO_END) {
            completions.execute(() -> complete(before, answer, failure));
        }
    }

    private void complete(Ending before, ChatResult answer, Throwable failure) {
        if (before == null) {
            if (failure == null) {
                result.complete(answer);
            } else {
                result.completeExceptionally(OllamaErrors.translate(failure, client.baseUrl()));
            }
            return;
        }
        switch (before) {
            case CANCELLED -> result.complete(CANCELLED);
            case IDLE_TIMEOUT -> result.completeExceptionally(OllamaErrors.idleTimeout(idleTimeout));
            case PROVIDER_STOPPED -> result.completeExceptionally(OllamaErrors.providerStopped());
            case READ_TO_END -> { }
        }
    }
}
