package dev.neutron.chat;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.Generation;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.ModelProvider;
import dev.neutron.api.ProviderStatus;
import dev.neutron.api.TokenListener;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test double of a model backend: one model with a given context length, and answers that the test ends by hand.
 * Every {@link #chat} call is recorded, so a test sees which request reached the model and in which order.
 */
final class FakeModelProvider implements ModelProvider {
    static final String MODEL = "fake-model";

    private final int contextLength;
    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private volatile List<String> capabilities = List.of();
    private volatile RuntimeException failNextChat;

    /** One request the engine sent, and the handle to answer it. */
    record Call(ChatRequest request, TokenListener listener, CompletableFuture<ChatResult> result) implements Generation {
        void answer(String text) {
            listener.onToken(text);
            result.complete(new ChatResult("stop", 10, 1, 1L));
        }

        @Override
        public void cancel() {
            result.complete(new ChatResult("cancelled", null, null, null));
        }
    }

    FakeModelProvider(int contextLength) {
        this.contextLength = contextLength;
    }

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public ProviderStatus status() {
        return new ProviderStatus("fake", "fake:", true, "1", null, null);
    }

    @Override
    public List<ModelInfo> listModels() {
        return List.of(describeModel(MODEL));
    }

    @Override
    public ModelInfo describeModel(String model) {
        return new ModelInfo(MODEL, "fake", null, contextLength, null, null, null, capabilities);
    }

    /** The model's capabilities from now on, e.g. {@code vision}. */
    void capabilities(String... names) {
        capabilities = List.of(names);
    }

    /** The next {@link #chat} call throws {@code failure} at once instead of starting an answer. */
    void failNextChat(RuntimeException failure) {
        failNextChat = failure;
    }

    @Override
    public Generation chat(ChatRequest request, TokenListener listener) {
        RuntimeException failure = failNextChat;
        if (failure != null) {
            failNextChat = null;
            throw failure;
        }
        Call call = new Call(request, listener, new CompletableFuture<>());
        calls.add(call);
        return call;
    }

    /** The next request that reached the model, waiting for it (a safety net of 10 s keeps a broken test from hanging). */
    Call nextCall() throws InterruptedException {
        Call call = calls.poll(10, TimeUnit.SECONDS);
        if (call == null) {
            throw new AssertionError("no request reached the model");
        }
        return call;
    }

    /** Requests that reached the model and were not taken by {@link #nextCall()} yet. */
    int pendingCalls() {
        return calls.size();
    }

}
