package dev.neutron.provider.ollama;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.Generation;
import dev.neutron.api.TokenListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One streamed answer from {@code /api/chat}, read on its own thread. It can be aborted at any point, before or after
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
    private final CompletableFuture<ChatResult> result = new CompletableFuture<>();
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private volatile CompletableFuture<HttpResponse<InputStream>> pendingResponse;
    private volatile InputStream body;

    NdjsonChatStream(OllamaClient client, ChatRequest request, TokenListener listener,
            ScheduledExecutorService watchdogScheduler, Duration idleTimeout) {
        this.client = client;
        this.request = request;
        this.listener = listener;
        this.idleTimeout = idleTimeout;
        this.watchdog = new IdleWatchdog(watchdogScheduler, idleTimeout, () -> abort(Ending.IDLE_TIMEOUT));
        // a caller that completes or cancels result() itself wants the answer no more either
        result.whenComplete((answer, failure) -> abort(Ending.CANCELLED));
    }

    void start(Executor executor) {
        executor.execute(this::readAnswer);
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
        }
    }

    private void abortUpstream() {
        CompletableFuture<HttpResponse<InputStream>> pending = pendingResponse;
        if (pending != null) {
            pending.cancel(true);
        }
        closeQuietly(body);
    }

    private void readAnswer() {
        try {
            watchdog.start();
            ChatResult answer = new ChatAnswerReader(new UntilEnded()).read(watchdog.watch(openAnswerStream()));
            end(answer, null);
        } catch (Throwable failure) {
            end(null, failure);
        } finally {
            watchdog.stop();
            closeQuietly(body);
        }
    }

    private InputStream openAnswerStream() throws IOException, InterruptedException, ExecutionException {
        if (ending.get() != null) {
            throw new CancellationException("aborted before the request was sent");
        }
        pendingResponse = client.startChat(request);
        // an abort() that ran before a handle was published could not reach it: check again after publishing
        if (ending.get() != null) {
            abortUpstream();
        }
        HttpResponse<InputStream> response = pendingResponse.get();
        body = response.body();
        if (ending.get() != null) {
            abortUpstream();
        }
        if (response.statusCode() != 200) {
            String errorBody = new String(body.readNBytes(MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
            throw OllamaErrors.forStatus(response.statusCode(), errorBody, "/api/chat", request.model());
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

    private void end(ChatResult answer, Throwable failure) {
        if (ending.compareAndSet(null, Ending.READ_TO_END)) {
            if (failure == null) {
                result.complete(answer);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "Answer from Ollama failed", failure);
                result.completeExceptionally(OllamaErrors.translate(failure, client.baseUrl()));
            }
            return;
        }
        switch (ending.get()) {
            case CANCELLED -> result.complete(CANCELLED);
            case IDLE_TIMEOUT -> result.completeExceptionally(OllamaErrors.idleTimeout(idleTimeout));
            case PROVIDER_STOPPED -> result.completeExceptionally(OllamaErrors.providerStopped());
        }
    }

    private static void closeQuietly(InputStream stream) {
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing the connection to Ollama failed", e);
        }
    }
}
