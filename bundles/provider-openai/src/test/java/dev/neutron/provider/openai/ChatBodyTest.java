package dev.neutron.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.PromptMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ChatBodyTest {

    @Test
    void asksForAStreamWithUsageInTheServersOwnModelName() {
        ChatRequest request = new ChatRequest("local/smollm2:135m",
                List.of(new PromptMessage("system", "Be brief."), new PromptMessage("user", "Hi")), 4096);

        assertEquals("{\"model\":\"smollm2:135m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}]}",
                OpenAiClient.chatBody("smollm2:135m", request, true, false).toString());
    }

    @Test
    void withoutUsageThereAreNoStreamOptions() {
        ChatRequest request = new ChatRequest("local/m", List.of(new PromptMessage("user", "Hi")), 0);

        assertEquals("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                OpenAiClient.chatBody("m", request, false, false).toString());
    }

    @Test
    void imagesBecomeDataUrlParts() {
        ChatRequest request = new ChatRequest("local/m", List.of(new PromptMessage("user", "What is this?",
                List.of("iVBORw0KGgoAAAA"))), 0);

        assertEquals("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgoAAAA\"}}]}]",
                OpenAiClient.chatBody("m", request, false, false).get("messages").toString());
    }

    @Test
    void optionsBecomeOpenAiFieldsAndTheRestKeepTheirOllamaNames() {
        ChatRequest request = new ChatRequest("local/m", List.of(new PromptMessage("user", "Hi")), 4096, 100,
                allOptions(), "high");

        assertEquals("{\"temperature\":0.7,\"top_p\":0.9,\"top_k\":40,\"seed\":42,\"max_tokens\":100,"
                        + "\"repeat_penalty\":1.1,\"stop\":[\"END\"],\"frequency_penalty\":0.5,\"reasoning_effort\":\"high\"}",
                fieldsAfterMessages(OpenAiClient.chatBody("m", request, false, false)));
    }

    @Test
    void standardOptionsOnlyLeavesOutWhatTheOpenAiApiDoesNotKnow() {
        ChatRequest request = new ChatRequest("local/m", List.of(new PromptMessage("user", "Hi")), 4096, 100,
                allOptions(), "low");

        assertEquals("{\"temperature\":0.7,\"top_p\":0.9,\"seed\":42,\"max_tokens\":100,\"stop\":[\"END\"],"
                        + "\"frequency_penalty\":0.5,\"reasoning_effort\":\"low\"}",
                fieldsAfterMessages(OpenAiClient.chatBody("m", request, false, true)));
    }

    @Test
    void theEnginesAnswerBudgetAndOnOffThinkingAreNotSent() {
        ChatRequest request = new ChatRequest("local/m", List.of(new PromptMessage("user", "Hi")), 4096, 3000,
                Map.of(), "true");

        assertEquals("{}", fieldsAfterMessages(OpenAiClient.chatBody("m", request, false, false)));
    }

    private static Map<String, Object> allOptions() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("temperature", 0.7);
        options.put("top_p", 0.9);
        options.put("top_k", 40);
        options.put("seed", 42);
        options.put("num_predict", 100);
        options.put("repeat_penalty", 1.1);
        options.put("stop", List.of("END"));
        options.put("num_ctx", 2048);
        options.put("frequency_penalty", 0.5);
        return options;
    }

    private static String fieldsAfterMessages(com.fasterxml.jackson.databind.node.ObjectNode body) {
        body.remove(List.of("model", "stream", "stream_options", "messages"));
        return body.toString();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"iVBORw0KGgoAAAANSUhEUg, image/png", "/9j/4AAQSkZJRg, image/jpeg", "R0lGODlhAQABAIAAAP, image/gif",
            "UklGRiQAAABXRUJQ, image/webp"})
    void imageTypeComesFromTheFirstBytes(String base64, String type) {
        assertEquals(type, OpenAiClient.imageType(base64));
    }
}
