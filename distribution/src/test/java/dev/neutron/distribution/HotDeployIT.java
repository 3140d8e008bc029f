package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot deploy on the running distribution: the OpenAI-compatible provider (not part of {@code bundle/}) is dropped into
 * {@code deploy/} with factory configurations pointing at the real test Ollama's {@code /v1}, serves answers, and is
 * removed mid-answer. deploy/ belongs to the distribution directory, which every end-to-end test shares, so this test
 * runs a private copy of it.
 */
class HotDeployIT {
    private static final String FACTORY_PID = "dev.neutron.provider.openai";
    private static final String JAR = "neutron-provider-openai.jar";
    private static final String PREFIX = "local-openai";
    private static final String SECOND_PREFIX = "second-openai";
    /** A hang guard, not a budget: how fast a hot deploy lands is printed as a figure; a busy machine is slower. */
    private static final Duration APPEAR_DEADLINE = Duration.ofSeconds(120);
    /** The test Ollama is shared with other builds, so an answer may have to wait its turn. */
    private static final Duration ANSWER_WAIT = Duration.ofMinutes(3);
    /**
     * A long answer, to be cut short. Not "count to 100": over Ollama's /v1 the small test model answered that with
     * 13 to 256 tokens, too few at times to outlast FileInstall's 500 ms poll; this prompt gave 221 to 256 in 16 tries.
     */
    private static final String LONG_ANSWER = "Write a long story about a dragon and a knight.";
    /** Ollama's native API sets no length limit of its own, so the answer in flight there is asked to be bounded. */
    private static final String BOUNDED_ANSWER = "Count from 1 to 30, one number per line.";

    @TempDir
    Path temp;

    private NeutronServer neutron;
    private final ExecutorService streams = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
        streams.shutdownNow();
    }

    @Test
    void droppedInProviderServesItsModelsAndItsRemovalEndsOnlyItsOwnAnswers() throws Exception {
        Path distribution = NeutronServer.privateCopyOfTheDistribution(temp);
        Path deploy = distribution.resolve("deploy");
        neutron = new NeutronServer(distribution, temp.resolve("data"), Map.of("OLLAMA_HOST", NeutronServer.ollamaUrl()))
                .start();
        String openAiModel = PREFIX + "/" + NeutronServer.model();
        assertEquals(List.of(), modelsOf(PREFIX), "the provider is not part of the default bundle set");

        // 1. two factory configurations, then the bundle: its models appear under each configuration's prefix;
        //    deleting one configuration removes that instance only
        dropIn(deploy, FACTORY_PID + "-test.cfg", config(PREFIX));
        dropIn(deploy, FACTORY_PID + "-second.cfg", config(SECOND_PREFIX));
        long droppedAt = System.nanoTime();
        dropIn(deploy, JAR, Files.readAllBytes(providerJar()));
        Duration appeared = await(APPEAR_DEADLINE, () -> modelsOf(PREFIX).contains(openAiModel)
                && modelsOf(SECOND_PREFIX).contains(SECOND_PREFIX + "/" + NeutronServer.model()), droppedAt);
        System.out.printf("Hot deploy: %s models listed %d ms after the jar landed in deploy/%n", PREFIX, appeared.toMillis());
        JsonNode providers = neutron.json("GET", "/api/v1/chat/models", null, 200).get("providers");
        assertTrue(providerStatus(providers, PREFIX).get("available").asBoolean(), providers.toString());
        assertTrue(modelsOf("ollama").contains(NeutronServer.model()), "the Ollama provider still serves its models");
        Files.delete(deploy.resolve(FACTORY_PID + "-second.cfg"));
        Duration oneGone = await(APPEAR_DEADLINE, () -> modelsOf(SECOND_PREFIX).isEmpty(), System.nanoTime());
        System.out.printf("Hot deploy: one instance gone %d ms after its .cfg was deleted%n", oneGone.toMillis());
        assertTrue(modelsOf(PREFIX).contains(openAiModel), "the other instance stays");

        // 2. an answer streamed from the new provider
        String viaOpenAi = neutron.createSession("via the OpenAI-compatible provider");
        SseClient.Stream hello = neutron.sse().post(messagesOf(viaOpenAi), Map.of("content", "Say hello.", "model", openAiModel), null);
        assertEquals("done", hello.last().type(), hello.events().toString());
        assertEquals(PREFIX, hello.first("meta").data().get("provider").asText());
        assertEquals(openAiModel, hello.first("meta").data().get("model").asText());
        assertTrue(hello.tokenCount() > 1, "expected several token events, got " + hello.tokenCount());
        assertEquals("complete", hello.last().data().get("message").get("status").asText());

        // 3. the bundle removed while it answers, with an Ollama answer in flight in another session
        ObservedStream cut = stream(viaOpenAi, Map.of("content", LONG_ANSWER));
        cut.awaitTokens(3);
        String viaOllama = neutron.createSession("via Ollama");
        ObservedStream untouched = stream(viaOllama, Map.of("content", BOUNDED_ANSWER, "model", NeutronServer.model()));
        untouched.awaitMeta();
        assertFalse(cut.finished(), "the answer to cut short ended before the jar was removed");
        long removedAt = System.nanoTime();
        int ollamaTokensBefore = untouched.tokens();
        Files.delete(deploy.resolve(JAR));

        SseClient.Stream cutStream = cut.result();
        Duration cutAfter = Duration.ofNanos(System.nanoTime() - removedAt);
        Duration gone = await(APPEAR_DEADLINE, () -> modelsOf(PREFIX).isEmpty(), removedAt);
        SseClient.Stream untouchedStream = untouched.result();
        System.out.printf("Hot undeploy: answer ended with provider_removed %d ms and models gone %d ms after the jar "
                        + "was deleted; the Ollama answer had %d tokens then and %d at its end%n",
                cutAfter.toMillis(), gone.toMillis(), ollamaTokensBefore, untouchedStream.tokenCount());

        assertEquals("error", cutStream.last().type(), cutStream.events().toString());
        JsonNode cutData = cutStream.last().data();
        assertEquals("provider_removed", cutData.get("error").get("code").asText(), cutData.toString());
        assertEquals("error", cutData.get("message").get("status").asText());
        assertFalse(cutStream.tokens().isEmpty());
        assertEquals(cutStream.tokens(), cutData.get("message").get("content").asText());
        JsonNode stored = lastMessage(viaOpenAi);
        assertEquals("error", stored.get("status").asText(), "the partial answer is stored, marked");
        assertEquals("provider_removed", stored.get("error").get("code").asText());
        assertEquals(cutStream.tokens(), stored.get("content").asText());

        assertEquals("done", untouchedStream.last().type(), "other streams are untouched: " + untouchedStream.events());
        assertEquals("complete", untouchedStream.last().data().get("message").get("status").asText());
        assertTrue(untouchedStream.tokenCount() > ollamaTokensBefore, "the Ollama answer went on streaming after the removal");
        assertTrue(modelsOf("ollama").contains(NeutronServer.model()));

        // 4. the session whose model is gone: a clear model_not_found, then it goes on with another model
        HttpResponse<String> refused = neutron.send("POST", messagesOf(viaOpenAi), Map.of("content", "Are you still there?"));
        assertEquals(404, refused.statusCode(), refused.body());
        JsonNode error = NeutronServer.JSON.readTree(refused.body()).get("error");
        assertEquals("model_not_found", error.get("code").asText());
        assertTrue(error.get("message").asText().contains(openAiModel), error.toString());
        System.out.println("Hot undeploy: sending to the removed model: " + error.get("message").asText());
        neutron.json("PATCH", "/api/v1/chat/sessions/" + viaOpenAi, Map.of("model", NeutronServer.model()), 200);
        SseClient.Stream resumed = neutron.sse().post(messagesOf(viaOpenAi), Map.of("content", "Say hello again."), null);
        assertEquals("done", resumed.last().type(), resumed.events().toString());
        assertEquals("ollama", resumed.first("meta").data().get("provider").asText());
        assertEquals(NeutronServer.model(), resumed.first("meta").data().get("model").asText());
    }

    private static Path providerJar() {
        return NeutronServer.extraBundle(JAR);
    }

    private static byte[] config(String prefix) {
        return ("baseUrl = " + NeutronServer.ollamaUrl().replaceAll("/+$", "") + "/v1\n"
                + "displayPrefix = " + prefix + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private void dropIn(Path deploy, String name, byte[] content) throws IOException {
        NeutronServer.dropIn(deploy, name, content);
    }

    /** Names of the listed models whose provider is {@code provider}. */
    private List<String> modelsOf(String provider) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (JsonNode model : neutron.json("GET", "/api/v1/chat/models", null, 200).get("models")) {
            if (provider.equals(model.get("provider").asText())) {
                names.add(model.get("name").asText());
            }
        }
        return names;
    }

    private static JsonNode providerStatus(JsonNode providers, String id) {
        for (JsonNode provider : providers) {
            if (id.equals(provider.get("provider").asText())) {
                return provider;
            }
        }
        throw new AssertionError("no provider " + id + " in " + providers);
    }

    private JsonNode lastMessage(String sessionId) throws IOException, InterruptedException {
        JsonNode messages = neutron.json("GET", "/api/v1/chat/sessions/" + sessionId, null, 200).get("messages");
        return messages.get(messages.size() - 1);
    }

    private static String messagesOf(String sessionId) {
        return "/api/v1/chat/sessions/" + sessionId + "/messages";
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls until {@code check} holds; returns the time since {@code sinceNanos}, failing (as hung) beyond {@code deadline}. */
    private static Duration await(Duration deadline, Check check, long sinceNanos) throws Exception {
        while (!check.holds()) {
            Duration waited = Duration.ofNanos(System.nanoTime() - sinceNanos);
            assertTrue(waited.compareTo(deadline) < 0, "not within " + deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return Duration.ofNanos(System.nanoTime() - sinceNanos);
    }

    private ObservedStream stream(String sessionId, Map<String, Object> message) {
        return new ObservedStream(sessionId, message);
    }

    /** A message sent on another thread, its events visible while they arrive. */
    private final class ObservedStream {
        private final List<SseClient.Event> seen = new CopyOnWriteArrayList<>();
        private final CompletableFuture<SseClient.Stream> stream;

        ObservedStream(String sessionId, Map<String, Object> message) {
            stream = CompletableFuture.supplyAsync(() -> {
                try {
                    return neutron.sse().post(messagesOf(sessionId), message, events -> {
                        seen.add(events.get(events.size() - 1));
                        return false;
                    });
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, streams);
        }

        int tokens() {
            return (int) seen.stream().filter(event -> "token".equals(event.type())).count();
        }

        boolean finished() {
            return stream.isDone();
        }

        void awaitTokens(int count) throws Exception {
            awaitUnlessFinished(() -> tokens() >= count, count + " tokens");
        }

        void awaitMeta() throws Exception {
            awaitUnlessFinished(() -> seen.stream().anyMatch(event -> "meta".equals(event.type())), "the meta event");
        }

        SseClient.Stream result() throws Exception {
            SseClient.Stream result = stream.get(ANSWER_WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, result.status(), result.errorBody());
            return result;
        }

        private void awaitUnlessFinished(BooleanSupplier condition, String what) throws Exception {
            long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
            while (!condition.getAsBoolean()) {
                assertFalse(stream.isDone(), "the stream ended before " + what + ": " + (stream.isDone() ? stream.get() : ""));
                assertTrue(System.nanoTime() < deadline, "no " + what + " within " + ANSWER_WAIT);
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }
}
