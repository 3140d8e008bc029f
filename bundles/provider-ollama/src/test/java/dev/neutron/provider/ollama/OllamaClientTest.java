package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.PromptMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OllamaClientTest {

    @Test
    void chatBodyStreamsAndAsksForTheContextWindow() {
        ChatRequest request = new ChatRequest("smollm2:135m", List.of(
                new PromptMessage("system", "Be brief."),
                new PromptMessage("user", "What is this?", List.of("aW1hZ2U="))), 8192);

        assertEquals("{\"model\":\"smollm2:135m\",\"stream\":true,\"messages\":["
                        + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
                        + "{\"role\":\"user\",\"content\":\"What is this?\",\"images\":[\"aW1hZ2U=\"]}],"
                        + "\"options\":{\"num_ctx\":8192}}",
                OllamaClient.chatBody(request).toString());
    }

    @Test
    void chatBodyLeavesTheContextWindowToOllamaWhenNoneIsAsked() {
        ChatRequest request = new ChatRequest("smollm2:135m", List.of(new PromptMessage("user", "Hi")), 0);

        assertEquals("{\"model\":\"smollm2:135m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                OllamaClient.chatBody(request).toString());
    }

    @Test
    void chatBodyCarriesEveryOptionWithTheWindowAndBudgetAsNumCtxAndNumPredict() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("temperature", 0.7);
        options.put("top_p", 0.9);
        options.put("top_k", 40);
        options.put("seed", 42);
        options.put("num_predict", 100);
        options.put("repeat_penalty", 1.1);
        options.put("stop", List.of("END", "###"));
        options.put("num_ctx", 2048);
        options.put("min_p", 0.05);
        ChatRequest request = new ChatRequest("smollm2:135m", List.of(new PromptMessage("user", "Hi")), 4096, 100,
                options, "true");

        assertEquals("{\"model\":\"smollm2:135m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                        + "\"options\":{\"temperature\":0.7,\"top_p\":0.9,\"top_k\":40,\"seed\":42,\"num_predict\":100,"
                        + "\"repeat_penalty\":1.1,\"stop\":[\"END\",\"###\"],\"num_ctx\":4096,\"min_p\":0.05},\"think\":true}",
                OllamaClient.chatBody(request).toString());
    }

    @Test
    void thinkIsABooleanForTrueAndFalseAndTheLevelOtherwise() {
        assertEquals("false", OllamaClient.chatBody(thinking("false")).get("think").toString());
        assertEquals("\"high\"", OllamaClient.chatBody(thinking("high")).get("think").toString());
        assertEquals(false, OllamaClient.chatBody(thinking(null)).has("think"));
    }

    private static ChatRequest thinking(String think) {
        return new ChatRequest("m", List.of(new PromptMessage("user", "Hi")), 0, 0, Map.of(), think);
    }
}
