package dev.neutron.provider.ollama;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.PromptMessage;
import dev.neutron.api.TokenListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Thinking, options and capabilities over the wire, against {@link ScriptedFaultyOllama} (a scripted fake, used here
 * because the test model cannot think on its own; {@link OllamaThinkingRealTest} covers a real one where it can).
 */
class OllamaThinkingAndOptionsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void thinkingDeltasGoToOnThinkingAndNeverIntoTheAnswer() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(line("", "The user"), line("", " greets me."), line("Hello", ""), line(" there!", ""),
                    done());
            exchange.endStream();
        });
        TokenRecorder tokens = new TokenRecorder();
        ChatRequest request = new ChatRequest("thinker:1b", List.of(new PromptMessage("user", "Hi")), 2048, 512,
                Map.of("temperature", 0, "seed", 7), "true");

        ChatResult result = provider(fake).chat(request, tokens).result().get(WAIT.toSeconds(), SECONDS);

        assertEquals(List.of("The user", " greets me."), tokens.thinkingDeltas());
        assertEquals(List.of("Hello", " there!"), tokens.deltas());
        assertEquals("stop", result.finishReason());
        JsonNode sent = OllamaClient.JSON.readTree(fake.firstRequest().get(WAIT.toSeconds(), SECONDS).body());
        assertEquals(OllamaClient.JSON.readTree("{\"temperature\":0,\"seed\":7,\"num_ctx\":2048,\"num_predict\":512}"),
                sent.get("options"));
        assertEquals(true, sent.get("think").booleanValue());
    }

    @Test
    void aLineWithBothThinkingAndContentDeliversTheThinkingFirst() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(line("Answer", "end of thought"), done());
            exchange.endStream();
        });
        List<String> order = new CopyOnWriteArrayList<>();
        TokenListener tokens = new TokenListener() {
            @Override
            public void onThinking(String delta) {
                order.add("thinking:" + delta);
            }

            @Override
            public void onToken(String delta) {
                order.add("token:" + delta);
            }
        };

        provider(fake).chat(new ChatRequest("thinker:1b", List.of(new PromptMessage("user", "Hi")), 0), tokens)
                .result().get(WAIT.toSeconds(), SECONDS);

        assertEquals(List.of("thinking:end of thought", "token:Answer"), order);
    }

    @Test
    void listedModelsCarryTheCapabilitiesShowReports() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            if (exchange.request.path().equals("/api/tags")) {
                exchange.respond(200, "{\"models\":[{\"name\":\"qwen3:0.6b\",\"digest\":\"d1\",\"size\":1,"
                        + "\"details\":{\"family\":\"qwen3\"}},{\"name\":\"embed:1\",\"digest\":\"d2\",\"size\":2,\"details\":{}}]}");
            } else if (exchange.request.body().contains("qwen3:0.6b")) {
                exchange.respond(200, "{\"model_info\":{\"general.architecture\":\"qwen3\",\"qwen3.context_length\":40960},"
                        + "\"capabilities\":[\"completion\",\"tools\",\"thinking\"]}");
            } else {
                exchange.respond(200, "{\"model_info\":{},\"capabilities\":[\"embedding\"]}");
            }
        });

        List<ModelInfo> models = provider(fake).listModels();

        assertEquals(List.of("qwen3:0.6b=[completion, tools, thinking]", "embed:1=[embedding]"),
                models.stream().map(model -> model.name() + "=" + model.capabilities()).toList());
    }

    private ScriptedFaultyOllama fake(ScriptedFaultyOllama.Script script) throws IOException {
        ScriptedFaultyOllama fake = ScriptedFaultyOllama.playing(script);
        resources.add(fake);
        return fake;
    }

    private OllamaModelProvider provider(ScriptedFaultyOllama fake) {
        OllamaModelProvider provider = new OllamaModelProvider(fake.baseUrl(), Duration.ofSeconds(3), Duration.ofSeconds(30),
                200_000, Duration.ZERO);
        resources.add(0, provider);
        return provider;
    }

    /** A streamed line as Ollama 0.11 sends it with {@code think: true}: thinking and content are separate fields. */
    private static String line(String content, String thinking) {
        ObjectNode line = OllamaClient.JSON.createObjectNode().put("model", "thinker:1b");
        ObjectNode message = line.putObject("message").put("role", "assistant").put("content", content);
        if (!thinking.isEmpty()) {
            message.put("thinking", thinking);
        }
        return line.put("done", false).toString();
    }

    private static String done() {
        ObjectNode line = OllamaClient.JSON.createObjectNode().put("model", "thinker:1b");
        line.putObject("message").put("role", "assistant").put("content", "");
        return line.put("done_reason", "stop").put("done", true).put("eval_count", 4).toString();
    }
}
