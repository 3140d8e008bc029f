package dev.neutron.provider.openai;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.Generation;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import dev.neutron.api.ProviderStatus;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider against a real server: the test Ollama's own OpenAI-compatible endpoint, {@code $OLLAMA_TEST_URL/v1},
 * serving a real model. Run with {@code eval "$(scripts/test-ollama env)" && mvn -pl bundles/provider-openai -am install}.
 */
class OpenAiProviderRealTest {
    /** The test server is shared with other builds, so an answer may have to wait its turn. */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(180);
    private static final String PREFIX = "local-openai";

    private static URI baseUrl;
    private static String model;
    private OpenAiModelProvider provider;

    @BeforeAll
    static void requireRealServer() {
        String url = System.getenv("OLLAMA_TEST_URL");
        if (url == null || url.isBlank()) {
            fail("OLLAMA_TEST_URL is not set, so there is no server to test against. Run `eval \"$(scripts/test-ollama env)\"` "
                    + "first (scripts/test does it).");
        }
        baseUrl = URI.create(url.replaceAll("/+$", "") + "/v1");
        String configured = System.getenv("OLLAMA_TEST_MODEL");
        model = configured == null || configured.isBlank() ? "smollm2:135m" : configured;
    }

    @BeforeEach
    void startProvider() {
        provider = TestConfigs.provider(baseUrl, "displayPrefix", PREFIX);
    }

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    @Test
    void statusIsAvailable() {
        ProviderStatus status = provider.status();

        assertTrue(status.available(), status.message());
        assertEquals(PREFIX, status.provider());
        assertEquals(baseUrl.toString(), status.endpoint());
    }

    @Test
    void listsTheTestModelUnderThePrefix() {
        ModelInfo listed = findListed(provider.listModels(), PREFIX + "/" + model);

        assertEquals(PREFIX, listed.provider());
        assertNull(listed.contextLength(), "the OpenAI API reports no context length");
        assertEquals(List.of("completion"), listed.capabilities(), "the OpenAI API reports no capabilities");
    }

    @Test
    void twoInstancesListTheSameServerUnderTheirOwnPrefixes() {
        try (OpenAiModelProvider second = TestConfigs.provider(baseUrl, "displayPrefix", "second", "contextLength", 8192)) {
            ModelInfo listed = findListed(second.listModels(), "second/" + model);

            assertEquals("second", listed.provider());
            assertEquals(8192, listed.contextLength());
            assertEquals(8192, second.describeModel("second/" + model).contextLength());
            findListed(provider.listModels(), PREFIX + "/" + model);
        }
    }

    @Test
    void baseUrlWithoutV1SaysWhatToFix() {
        URI withoutV1 = URI.create(baseUrl.toString().replaceAll("/v1$", ""));
        try (OpenAiModelProvider misconfigured = TestConfigs.provider(withoutV1)) {
            ProviderStatus status = misconfigured.status();

            assertFalse(status.available());
            assertEquals("The OpenAI-compatible server of provider 'test' at " + withoutV1 + " has no /models (HTTP 404). "
                    + "Check baseUrl in /srv/neutron/deploy/dev.neutron.provider.openai-test.cfg: it is the URL that /models "
                    + "and /chat/completions hang off, usually ending in /v1 (" + withoutV1 + "/v1?).", status.message());
        }
    }

    @Test
    void describingAMissingModelIsModelNotFound() {
        NeutronException error = assertThrows(NeutronException.class, () -> provider.describeModel(PREFIX + "/no-such-model:0b"));

        assertEquals(ErrorCode.MODEL_NOT_FOUND, error.code());
    }

    @Test
    void chatStreamsSeveralTokensAndFinishesWithUsage() throws Exception {
        RecordingListener tokens = new RecordingListener();

        ChatResult result = provider.chat(ask("Name three colors."), tokens).result().get(ANSWER_WAIT.toSeconds(), SECONDS);

        assertTrue(tokens.deltas().size() > 1, "deltas: " + tokens.deltas());
        assertFalse(tokens.text().isBlank());
        assertTrue(Set.of("stop", "length").contains(result.finishReason()), result.toString());
        assertTrue(result.promptTokens() > 0, result.toString());
        assertTrue(result.completionTokens() > 0, result.toString());
    }

    @Test
    void chatWithAMissingModelIsModelNotFound() {
        ChatRequest request = new ChatRequest(PREFIX + "/no-such-model:0b", List.of(new PromptMessage("user", "Hi")), 0);

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> provider.chat(request, new RecordingListener()).result().get(ANSWER_WAIT.toSeconds(), SECONDS));

        assertEquals(ErrorCode.MODEL_NOT_FOUND, assertInstanceOf(NeutronException.class, failure.getCause()).code());
    }

    @Test
    void cancelEndsALongAnswerKeepingTheTextSoFar() throws Exception {
        RecordingListener tokens = new RecordingListener();
        Generation counting = provider.chat(ask("Count from 1 to 200, one number per line."), tokens);
        tokens.awaitDeltas(3, ANSWER_WAIT);

        counting.cancel();

        // how fast is not asserted (a busy machine is slow); ANSWER_WAIT only guards against a hang
        ChatResult result = counting.result().get(ANSWER_WAIT.toSeconds(), SECONDS);
        assertEquals("cancelled", result.finishReason());
        assertTrue(tokens.deltas().size() >= 3, tokens.deltas().toString());
    }

    private ChatRequest ask(String question) {
        return new ChatRequest(PREFIX + "/" + model, List.of(new PromptMessage("user", question)), 0);
    }

    private static ModelInfo findListed(List<ModelInfo> models, String name) {
        Map<String, ModelInfo> byName = models.stream().collect(Collectors.toMap(ModelInfo::name, model -> model));
        assertTrue(byName.containsKey(name), name + " is not among " + byName.keySet());
        return byName.get(name);
    }
}
