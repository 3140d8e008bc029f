package dev.neutron.provider.ollama;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.NeutronException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A settings change reconfigures the provider: the old one is closed while a request may still be on its way through
 * it, and callers that took it a moment earlier may still call it.
 */
class OllamaProviderCloseTest {
    private final CountDownLatch answerTags = new CountDownLatch(1);
    private ScriptedFaultyOllama fake;
    private OllamaModelProvider provider;

    @AfterEach
    void stop() throws Exception {
        answerTags.countDown();
        provider.close();
        fake.close();
    }

    @Test
    void aModelListOnItsWayWhenTheProviderClosesStillEnds() throws Exception {
        start();
        CompletableFuture<List<ModelInfo>> listing = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                listing.complete(provider.listModels());
            } catch (RuntimeException e) {
                listing.completeExceptionally(e);
            }
        }, "lists-models-while-closing");
        caller.start();
        fake.firstRequest().get(30, SECONDS);

        provider.close();
        answerTags.countDown();

        assertEquals(List.of(), listing.get(60, SECONDS));
    }

    @Test
    void aClosedProviderRefusesAtOnceWithoutCallingOllama() throws Exception {
        start();
        provider.close();

        NeutronException list = assertThrows(NeutronException.class, provider::listModels);
        NeutronException describe = assertThrows(NeutronException.class, () -> provider.describeModel("smollm2:135m"));

        assertEquals(ErrorCode.PROVIDER_REMOVED, list.code());
        assertEquals(ErrorCode.PROVIDER_REMOVED, describe.code());
        assertEquals("provider_removed", provider.status().errorCode());
        assertEquals(List.of(), fake.requests());
    }

    private void start() throws Exception {
        fake = ScriptedFaultyOllama.playing(exchange -> {
            answerTags.await();
            exchange.respond(200, "{\"models\":[]}");
        });
        provider = new OllamaModelProvider(fake.baseUrl(), Duration.ofSeconds(3), Duration.ofSeconds(120), 200_000,
                Duration.ZERO);
    }
}
