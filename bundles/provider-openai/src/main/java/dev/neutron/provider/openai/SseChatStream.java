package dev.neutron.provider.openai;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.Generation;
import dev.neutron.api.TokenListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One streamed answer from {@code /chat/completions}, read on a thread of its own. Whatever ends it first wins: the
 * answer read to its end, {@link #cancel()}, the idle timeout, or the provider stopping. Each of the last three hangs
 * up, at any point before or during the answer, and a server stops generating when its client hangs up.
 */
final class SseChatStream implements Generation {
    private static final System.Logger LOG = System.getLogger(SseChatStream.class.getName());
    private static final ChatResult CANCELLED = new ChatResult("cancelled", null, null, null);
    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private enum Ending { READ, CANCELLED, IDLE, PROVIDER_STOPPED }

    private final OpenAiClient client;
    private final OpenAiErrors errors;
    private final String upstreamModel;
    private final ChatRequest request;
    private final TokenListener listener;
    private final CompletableFuture<ChatResult> result = new CompletableFuture<>();
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile Future<?> response;
    private volatile InputStream body;

    SseChatStream(OpenAiClient client, OpenAiErrors errors, String upstreamModel, ChatRequest request, TokenListener listener) {
        this.client = client;
        this.errors = errors;
        this.upstreamModel = upstreamModel;
        this.request = request;
        this.listener = listener;
        // a caller that completes or cancels result() itself no longer wants the answer either
        result.whenComplete((answer, failure) -> end(Ending.CANCELLED));
    }

    @Override
    public CompletableFuture<ChatResult> result() {
        return result;
    }

    @Override
    public void cancel() {
        end(Ending.CANCELLED);
    }

    void stopBecauseProviderStops() {
        end(Ending.PROVIDER_STOPPED);
    }

    /** Hangs up when nothing arrived for {@code idleNanos}; called now and then by the provider. */
    void stopIfIdle(long nowNanos, long idleNanos) {
        if (nowNanos - lastActivityNanos >= idleNanos) {
            end(Ending.IDLE);
        }
    }

    /** The body of the reading thread. */
    void read() {
        long started = System.nanoTime();
        lastActivityNanos = started;
        try {
            ChatResult answer = new ChatCompletionReader(new UntilEnded(), errors)
                    .read(new SseEventReader(connect(), () -> lastActivityNanos = System.nanoTime()), started);
            finish(answer, null);
        } catch (Throwable failure) {
            finish(null, failure);
        } finally {
            hangUp();
        }
    }

    private InputStream connect() throws Exception {
        if (ending.get() != null) {
            throw new CancellationException("ended before the request was sent");
        }
        CompletableFuture<HttpResponse<InputStream>> pending = client.startChat(upstreamModel, request);
        response = pending;
        hangUpIfEnded(); // end() may have run before the handle was published
        HttpResponse<InputStream> answer = pending.get();
        body = answer.body();
        hangUpIfEnded();
        if (answer.statusCode() != 200) {
            String text = new String(body.readNBytes(MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
            throw errors.forStatus(answer.statusCode(), text, OpenAiClient.CHAT_COMPLETIONS, request.model());
        }
        return body;
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

    private void end(Ending reason) {
        if (ending.compareAndSet(null, reason)) {
            hangUp();
        }
    }

    private void hangUpIfEnded() {
        if (ending.get() != null) {
            hangUp();
        }
    }

    private void hangUp() {
        Future<?> pending = response;
        if (pending != null) {
            pending.cancel(true);
        }
        InputStream stream = body;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "Closing the connection to a server failed", e);
            }
        }
    }

    /** Completes the result as the first ending says: the reader's outcome only when nothing else came first. */
    private void finish(ChatResult answer, Throwable failure) {
        if (ending.compareAndSet(null, Ending.READ)) {
            if (failure == null) {
                result.complete(answer);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "A streamed answer failed", failure);
                result.completeExceptionally(errors.translate(failure));
            }
            return;
        }
        switch (ending.get()) {
            case CANCELLED -> result.complete(CANCELLED);
            case IDLE -> result.completeExceptionally(errors.idleTimeout());
            case PROVIDER_STOPPED -> result.completeExceptionally(errors.providerStopped());
            default -> {
                // READ was set by an earlier call: the result is complete already
            }
        }
    }
}
