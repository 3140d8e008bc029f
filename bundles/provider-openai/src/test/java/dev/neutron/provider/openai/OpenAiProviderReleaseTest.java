package dev.neutron.provider.openai;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.Generation;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A closed provider (its component deactivated, its bundle removed) holds on to nothing that keeps it reachable: no
 * thread of its own and no answer it streamed. Its HTTP client, whose selector thread and descriptors live as long as
 * the client is reachable, then goes with it.
 */
class OpenAiProviderReleaseTest {
    private static final ChatRequest REQUEST = new ChatRequest("test/tiny-model", List.of(new PromptMessage("user", "Hi")), 2048);

    @Test
    void aClosedProviderIsLetGoOnceItsAnswerWasReadToTheEnd() throws Exception {
        try (ScriptedFaultyOpenAi fake = ScriptedFaultyOpenAi.playing(exchange -> {
            exchange.startEvents();
            exchange.events(OpenAiStreamingFaultsTest.delta("Hello"), OpenAiStreamingFaultsTest.finish("stop"), "[DONE]");
            exchange.endStream();
        })) {
            awaitCollected(answeredThenClosed(fake));
        }
    }

    @Test
    void aProviderClosedMidAnswerHangsUpAndIsLetGo() throws Exception {
        try (ScriptedFaultyOpenAi fake = ScriptedFaultyOpenAi.playing(exchange -> {
            exchange.startEvents();
            exchange.events(OpenAiStreamingFaultsTest.delta("Once"));
            exchange.stallUntilClientHangsUp();
        })) {
            awaitCollected(closedMidAnswer(fake));
            fake.clientHungUp().get(10, SECONDS);
        }
    }

    private static WeakReference<OpenAiModelProvider> answeredThenClosed(ScriptedFaultyOpenAi fake) throws Exception {
        OpenAiModelProvider provider = TestConfigs.provider(fake.baseUrl());
        RecordingListener tokens = new RecordingListener();
        assertEquals("stop", provider.chat(REQUEST, tokens).result().get(10, SECONDS).finishReason());
        assertEquals("Hello", tokens.text());
        provider.close();
        return new WeakReference<>(provider);
    }

    private static WeakReference<OpenAiModelProvider> closedMidAnswer(ScriptedFaultyOpenAi fake) throws Exception {
        OpenAiModelProvider provider = TestConfigs.provider(fake.baseUrl());
        RecordingListener tokens = new RecordingListener();
        Generation generation = provider.chat(REQUEST, tokens);
        tokens.awaitDeltas(1, Duration.ofSeconds(10));
        provider.close();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> generation.result().get(10, SECONDS));
        assertEquals(ErrorCode.PROVIDER_REMOVED, assertInstanceOf(NeutronException.class, failed.getCause()).code());
        return new WeakReference<>(provider);
    }

    /** Collects garbage until {@code ref} is cleared; a safety net of 30 s turns a leak into a failure. */
    private static void awaitCollected(WeakReference<?> ref) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertNull(ref.get(), "the closed provider is still referenced");
    }
}
