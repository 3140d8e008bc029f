package dev.neutron.api;

import java.util.List;

/**
 * One generation request to a model provider.
 *
 * @param contextWindow the context window (Ollama's {@code num_ctx}) to ask for; 0 leaves it to the provider
 */
public record ChatRequest(String model, List<PromptMessage> messages, int contextWindow) {
    public ChatRequest {
        messages = List.copyOf(messages);
    }
}
