package dev.neutron.api;

import java.util.List;

/**
 * One generation request to a model provider.
 *
 * @param contextWindow    the context window (Ollama's {@code num_ctx}) to ask for; 0 leaves it to the provider
 * @param maxAnswerTokens  the most tokens the answer may have (Ollama's {@code num_predict}); 0 leaves it to the
 *                         provider. The chat engine sets it to what is left of the window, so an answer nobody stops
 *                         still ends.
 */
public record ChatRequest(String model, List<PromptMessage> messages, int contextWindow, int maxAnswerTokens) {
    public ChatRequest {
        messages = List.copyOf(messages);
    }

    public ChatRequest(String model, List<PromptMessage> messages, int contextWindow) {
        this(model, messages, contextWindow, 0);
    }
}
