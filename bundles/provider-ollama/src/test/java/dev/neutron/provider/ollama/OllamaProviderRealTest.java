package dev.neutron.provider.ollama;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.Generation;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import dev.neutron.api.ProviderStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider against a real Ollama serving a real model. Start one with {@code scripts/test-ollama start}, then run
 * {@code OLLAMA_TEST_URL=$(scripts/test-ollama url) mvn -pl bundles/provider-ollama -am install}.
 */
class OllamaProviderRealTest {
    /** The test server is shared with other builds, so an answer may have to wait its turn. */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(180);
    private static final String MISSING_MODEL = "no-such-model:0b";

    private static URI baseUrl;
    private static String model;
    private OllamaModelProvider provider;

    @BeforeAll
    static void requireRealOllama() {
        String url = System.getenv("OLLAMA_TEST_URL");
        if (url == null || url.isBlank()) {
            fail("OLLAMA_TEST_URL is not set, so there is no Ollama to test against. Run `scripts/test-ollama start`, "
                    + "then `OLLAMA_TEST_URL=$(scripts/test-ollama url) mvn -pl bundles/provider-ollama -am install` "
                    + "(the test command in the README).");
        }
        baseUrl = OllamaBaseUrl.parse(url);
        String configuredModel = System.getenv("OLLAMA_TEST_MODEL");
        model = configuredModel == null || configuredModel.isBlank() ? "smollm2:135m" : configuredModel;
    }

    @BeforeEach
    void startProvider() {
        provider = providerCappingContextAt(200_000);
    }

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    @Test
    void statusReportsTheRunningVersion() {
        ProviderStatus status = provider.status();

        assertTrue(status.available(), status.message());
        assertNotNull(status.version());
        assertEquals(baseUrl.toString(), status.endpoint());
    }

    @Test
    void listedTestModelHasTheContextLengthShowReports() throws Exception {
        ModelInfo listed = findListed(provider.listModels(), model);

        assertTrue(listed.contextLength() > 0, "context length " + listed.contextLength());
        assertEquals(contextLengthFromShow(model), listed.contextLength());
        assertEquals("ollama", listed.provider());
        assertTrue(listed.sizeBytes() > 0);
        assertTrue(listed.capabilities().contains("completion"), listed.capabilities().toString());
    }

    @Test
    void contextLengthIsCappedAtTheConfiguredMaximum() throws Exception {
        int cap = contextLengthFromShow(model) / 2;
        try (OllamaModelProvider capping = providerCappingContextAt(cap)) {
            assertEquals(cap, findListed(capping.listModels(), model).contextLength());
        }
    }

    @Test
    void describingTheTestModelReportsItsContextLength() throws Exception {
        assertEquals(contextLengthFromShow(model), provider.describeModel(model).contextLength());
    }

    @Test
    void describingAMissingModelSaysHowToPullIt() {
        NeutronException error = assertThrows(NeutronException.class, () -> provider.describeModel(MISSING_MODEL));

        assertEquals(ErrorCode.MODEL_NOT_FOUND, error.code());
        assertEquals("Model '" + MISSING_MODEL + "' is not available in Ollama. Pull it with `ollama pull "
                + MISSING_MODEL + "` or pick another model.", error.getMessage());
    }

    @Test
    void chatStreamsSeveralTokensAndReportsCounts() throws Exception {
        TokenRecorder tokens = new TokenRecorder();

        ChatResult result = provider.chat(ask("Name three colors."), tokens).result().get(ANSWER_WAIT.toSeconds(), SECONDS);

        assertTrue(tokens.deltas().size() > 1, "deltas: " + tokens.deltas());
        assertTrue(Set.of("stop", "length").contains(result.finishReason()), result.toString());
        assertTrue(result.promptTokens() > 0, result.toString());
        assertTrue(result.completionTokens() > 0, result.toString());
        assertTrue(result.totalDurationNanos() > 0, result.toString());
    }

    @Test
    void sameSeedAtTemperatureZeroGivesTheSameAnswerTwice() throws Exception {
        ChatRequest request = new ChatRequest(model, List.of(new PromptMessage("user", "Tell me a short story.")), 2048,
                12, Map.of("temperature", 0, "seed", 42), null);
        TokenRecorder first = new TokenRecorder();
        TokenRecorder second = new TokenRecorder();

        provider.chat(request, first).result().get(ANSWER_WAIT.toSeconds(), SECONDS);
        provider.chat(request, second).result().get(ANSWER_WAIT.toSeconds(), SECONDS);

        assertFalse(first.text().isEmpty());
        assertEquals(first.text(), second.text());
    }

    @Test
    void numPredictFromTheOptionsCutsTheAnswerAtThatLength() throws Exception {
        ChatRequest request = new ChatRequest(model, List.of(new PromptMessage("user", "Count from 1 to 100.")), 2048, 0,
                Map.of("num_predict", 3, "temperature", 0), null);
        TokenRecorder tokens = new TokenRecorder();

        ChatResult result = provider.chat(request, tokens).result().get(ANSWER_WAIT.toSeconds(), SECONDS);

        assertEquals("length", result.finishReason(), result.toString());
        assertEquals(3, result.completionTokens(), result.toString());
        assertTrue(tokens.thinkingDeltas().isEmpty(), tokens.thinkingDeltas().toString());
    }

    @Test
    void stopFromTheOptionsEndsTheAnswerBeforeTheStopText() throws Exception {
        List<PromptMessage> question = List.of(new PromptMessage("user", "Describe the sea in one sentence."));
        Map<String, Object> greedy = Map.of("temperature", 0, "seed", 1);
        TokenRecorder unstopped = new TokenRecorder();
        provider.chat(new ChatRequest(model, question, 2048, 12, greedy, null), unstopped)
                .result().get(ANSWER_WAIT.toSeconds(), SECONDS);
        String stopText = Arrays.stream(unstopped.text().split("\\s+")).skip(1).filter(word -> word.length() >= 3)
                .findFirst().orElseThrow(() -> new AssertionError("no word to stop at in: " + unstopped.text()));
        Map<String, Object> stopping = new HashMap<>(greedy);
        stopping.put("stop", List.of(stopText));
        TokenRecorder stopped = new TokenRecorder();

        ChatResult result = provider.chat(new ChatRequest(model, question, 2048, 12, stopping, null), stopped)
                .result().get(ANSWER_WAIT.toSeconds(), SECONDS);

        assertEquals("stop", result.finishReason(), result.toString());
        assertEquals(unstopped.text().substring(0, unstopped.text().indexOf(stopText)), stopped.text(),
                "stopped at '" + stopText + "' of: " + unstopped.text());
    }

    @Test
    void thinkingOnAModelWithoutTheCapabilityIsRefusedByOllama() {
        ChatRequest request = new ChatRequest(model, List.of(new PromptMessage("user", "Hi")), 2048, 8, Map.of(), "true");

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> provider.chat(request, new TokenRecorder()).result().get(ANSWER_WAIT.toSeconds(), SECONDS));

        NeutronException error = assertInstanceOf(NeutronException.class, failure.getCause());
        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        // Ollama names the model in full, e.g. registry.ollama.ai/library/smollm2:135m
        assertTrue(error.getMessage().startsWith("Ollama answered /api/chat with HTTP 400: "), error.getMessage());
        assertTrue(error.getMessage().endsWith(model + " does not support thinking"), error.getMessage());
    }

    @Test
    void chatWithAMissingModelIsModelNotFound() {
        ChatRequest request = new ChatRequest(MISSING_MODEL, List.of(new PromptMessage("user", "Hi")), 0);

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> provider.chat(request, new TokenRecorder()).result().get(ANSWER_WAIT.toSeconds(), SECONDS));

        assertEquals(ErrorCode.MODEL_NOT_FOUND, assertInstanceOf(NeutronException.class, failure.getCause()).code());
    }

    @Test
    void cancellingALongAnswerEndsItAndKeepsTheTextSoFar() throws Exception {
        TokenRecorder tokens = new TokenRecorder();
        Generation generation = provider.chat(ask("Count from 1 to 200, one number per line."), tokens);
        tokens.awaitTokens(3, ANSWER_WAIT);

        generation.cancel();
        // how fast is not asserted (a busy machine is slow); ANSWER_WAIT only guards against a hang
        ChatResult result = generation.result().get(ANSWER_WAIT.toSeconds(), SECONDS);

        assertEquals("cancelled", result.finishReason());
        assertFalse(tokens.text().isEmpty());
    }

    private OllamaModelProvider providerCappingContextAt(int maxContextLength) {
        return new OllamaModelProvider(baseUrl, Duration.ofSeconds(3), Duration.ofSeconds(120), maxContextLength, Duration.ofSeconds(5));
    }

    private ChatRequest ask(String question) {
        return new ChatRequest(model, List.of(new PromptMessage("user", question)), 2048);
    }

    private static ModelInfo findListed(List<ModelInfo> models, String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not among " + models));
    }

    /** Asks {@code /api/show} directly, to compare the provider with Ollama's own word. */
    private static int contextLengthFromShow(String name) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/show"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + name + "\"}"))
                .build();
        String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        JsonNode modelInfo = OllamaClient.JSON.readTree(body).path("model_info");
        return modelInfo.path(modelInfo.path("general.architecture").asText() + ".context_length").asInt();
    }
}
