package dev.neutron.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.PromptMessage;
import java.util.List;
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

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"iVBORw0KGgoAAAANSUhEUg, image/png", "/9j/4AAQSkZJRg, image/jpeg", "R0lGODlhAQABAIAAAP, image/gif",
            "UklGRiQAAABXRUJQ, image/webp"})
    void imageTypeComesFromTheFirstBytes(String base64, String type) {
        assertEquals(type, OpenAiClient.imageType(base64));
    }
}
