package dev.neutron.provider.ollama;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real thinking model on a real Ollama 0.11: the test model's weights under a template that makes Ollama report
 * the {@code thinking} capability and split the output. Ollama infers the thinking tags from the text around
 * {@code .Thinking} inside {@code range .Messages} (here {@code >} and {@code .}), and with {@code think: true} parses
 * the output into {@code message.thinking} up to the closing tag and {@code message.content} after it. The template
 * ends the prompt with {@code <think} when thinking is on, so the small model's first output is {@code >}, and its
 * first sentence becomes its "thinking". It runs on a private Ollama (see {@link PrivateOllama}).
 */
class OllamaThinkingRealTest {
    static final String THINKING_MODEL = "smollm2-think:135m";
    static final String TEMPLATE = """
            {{- if .System }}<|im_start|>system
            {{ .System }}<|im_end|>
            {{ end }}{{- range .Messages }}<|im_start|>{{ .Role }}
            {{ if .Thinking }}>{{ .Thinking }}.{{ end }}{{ .Content }}<|im_end|>
            {{ end }}<|im_start|>assistant
            {{ if .Think }}<think{{ end }}""";
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(180);
    private static final List<PromptMessage> QUESTION = List.of(new PromptMessage("user", "What is the capital of France?"));
    private static final Map<String, Object> GREEDY = Map.of("temperature", 0, "seed", 1);

    private static PrivateOllama ollama;
    private OllamaModelProvider provider;

    @BeforeAll
    static void startPrivateOllamaWithAThinkingModel() throws Exception {
        String url = System.getenv("OLLAMA_TEST_URL");
        String binary = System.getenv("OLLAMA_TEST_BIN");
        if (url == null || url.isBlank() || binary == null || binary.isBlank()) {
            fail("OLLAMA_TEST_URL and OLLAMA_TEST_BIN are not set. Run `eval \"$(scripts/test-ollama env)\"` first.");
        }
        String sharedModel = System.getenv().getOrDefault("OLLAMA_TEST_MODEL", "smollm2:135m");
        ollama = PrivateOllama.start(Path.of(binary), OllamaBaseUrl.parse(url), sharedModel);
        ObjectNode parameters = OllamaClient.JSON.createObjectNode().put("num_ctx", 2048);
        parameters.putArray("stop").add("<|im_end|>").add("<|im_start|>");
        ollama.create(THINKING_MODEL, TEMPLATE, parameters);
    }

    @AfterAll
    static void stopPrivateOllama() throws Exception {
        if (ollama != null) {
            ollama.close();
        }
    }

    @BeforeEach
    void startProvider() {
        provider = new OllamaModelProvider(ollama.baseUrl(), Duration.ofSeconds(3), Duration.ofSeconds(120), 200_000, Duration.ZERO);
    }

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    @Test
    void theModelIsListedWithTheThinkingCapability() {
        ModelInfo listed = provider.listModels().stream().filter(m -> m.name().equals(THINKING_MODEL)).findFirst()
                .orElseThrow();

        assertEquals(List.of("completion", "thinking"), listed.capabilities());
    }

    @Test
    void withThinkOnTheThinkingStreamsApartFromTheAnswer() throws Exception {
        TokenRecorder tokens = new TokenRecorder();

        provider.chat(new ChatRequest(THINKING_MODEL, QUESTION, 2048, 40, GREEDY, "true"), tokens)
                .result().get(ANSWER_WAIT.toSeconds(), SECONDS);

        String thinking = tokens.thinkingText();
        assertFalse(thinking.isBlank(), "no thinking; answer: " + tokens.text());
        assertFalse(thinking.contains("."), "the thinking ends at its closing tag '.': " + thinking);
        assertFalse(tokens.text().contains(thinking), "thinking '" + thinking + "' came in the answer: " + tokens.text());
    }

    @Test
    void withThinkOffEverythingIsAnswer() throws Exception {
        TokenRecorder tokens = new TokenRecorder();

        provider.chat(new ChatRequest(THINKING_MODEL, QUESTION, 2048, 40, GREEDY, "false"), tokens)
                .result().get(ANSWER_WAIT.toSeconds(), SECONDS);

        assertEquals(List.of(), tokens.thinkingDeltas());
        assertFalse(tokens.text().isBlank());
    }

    @Test
    void aThinkingLevelIsRefusedByOllamaForModelsThatTakeOnlyOnOrOff() {
        NeutronException error = failureOf(new ChatRequest(THINKING_MODEL, QUESTION, 2048, 40, GREEDY, "high"));

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertEquals("Ollama answered /api/chat with HTTP 400: think value \"high\" is not supported for this model",
                error.getMessage());
    }

    private NeutronException failureOf(ChatRequest request) {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> provider.chat(request, new TokenRecorder()).result().get(ANSWER_WAIT.toSeconds(), SECONDS));
        return assertInstanceOf(NeutronException.class, failure.getCause());
    }
}
