package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.PromptMessage;
import java.util.List;
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
}
