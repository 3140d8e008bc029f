package dev.neutron.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generation request to a model provider.
 *
 * @param contextWindow    the context window (Ollama's {@code num_ctx}) to ask for; 0 leaves it to the provider
 * @param maxAnswerTokens  the most tokens the answer may have (Ollama's {@code num_predict}); 0 leaves it to the
 *                         provider. The chat engine sets it to what is left of the window, so an answer nobody stops
 *                         still ends.
 * @param options          model parameters by Ollama's option names ({@code temperature}, {@code top_p},
 *                         {@code top_k}, {@code seed}, {@code num_predict}, {@code repeat_penalty}, {@code stop} as a
 *                         list of strings, {@code num_ctx}, ...), already validated by the chat engine; never null.
 *                         Providers send {@link #effectiveOptions()}, in which {@code contextWindow} and
 *                         {@code maxAnswerTokens}, when above 0, are {@code num_ctx} and {@code num_predict}: the
 *                         engine puts a chat's own {@code num_ctx}/{@code num_predict} into those two fields.
 * @param think            null: say nothing about thinking (the model's default); {@code "true"}/{@code "false"}:
 *                         thinking on or off; {@code "low"}, {@code "medium"}, {@code "high"}: a thinking level, for
 *                         models that take one
 * @since 2.2
 */
public record ChatRequest(String model, List<PromptMessage> messages, int contextWindow, int maxAnswerTokens,
        Map<String, Object> options, String think) {
    public static final String NUM_CTX = "num_ctx";
    public static final String NUM_PREDICT = "num_predict";

    public ChatRequest {
        messages = List.copyOf(messages);
        options = withoutNullValues(options);
    }

    public ChatRequest(String model, List<PromptMessage> messages, int contextWindow, int maxAnswerTokens) {
        this(model, messages, contextWindow, maxAnswerTokens, Map.of(), null);
    }

    public ChatRequest(String model, List<PromptMessage> messages, int contextWindow) {
        this(model, messages, contextWindow, 0);
    }

    /**
     * The options to send, in their given order: {@link #options()} with {@code num_ctx} set to
     * {@link #contextWindow()} and {@code num_predict} set to {@link #maxAnswerTokens()} where those are above 0.
     * @since 2.2
     */
    public Map<String, Object> effectiveOptions() {
        Map<String, Object> effective = new LinkedHashMap<>(options);
        if (contextWindow > 0) {
            effective.put(NUM_CTX, contextWindow);
        }
        if (maxAnswerTokens > 0) {
            effective.put(NUM_PREDICT, maxAnswerTokens);
        }
        return Collections.unmodifiableMap(effective);
    }

    private static Map<String, Object> withoutNullValues(Map<String, Object> options) {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (options != null) {
            options.forEach((name, value) -> {
                if (value != null) {
                    copy.put(name, value);
                }
            });
        }
        return Collections.unmodifiableMap(copy);
    }
}
