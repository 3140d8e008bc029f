package dev.neutron.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.neutron.api.ChatRequest;
import java.util.Map;
import java.util.Set;

/**
 * A request's model options and thinking setting, given by Ollama's names, as fields of a {@code /chat/completions}
 * body.
 * <ul>
 * <li>{@code temperature}, {@code top_p}, {@code seed}, {@code stop}, {@code presence_penalty},
 * {@code frequency_penalty}: the OpenAI fields of the same name.</li>
 * <li>{@code num_predict}: {@code max_tokens}, only when the chat sets it. The engine's own answer budget is not sent:
 * servers such as api.openai.com refuse a {@code max_tokens} above the model's output limit.</li>
 * <li>{@code num_ctx}: left out; the OpenAI API cannot set a context window per request.</li>
 * <li>Any other option ({@code top_k}, {@code repeat_penalty}, {@code min_p}, ...): sent under its Ollama name, which
 * llama.cpp's server takes as is and vLLM and LM Studio take or ignore; left out when {@code standardOptionsOnly} is
 * set, for servers that refuse fields outside the OpenAI API.</li>
 * <li>{@code think}: a level ({@code low}, {@code medium}, {@code high}) becomes {@code reasoning_effort};
 * {@code true}/{@code false} are not sent, as the OpenAI API has no such switch.</li>
 * </ul>
 */
final class OpenAiOptions {
    private static final Map<String, String> STANDARD = Map.of(
            "temperature", "temperature",
            "top_p", "top_p",
            "seed", "seed",
            "stop", "stop",
            "presence_penalty", "presence_penalty",
            "frequency_penalty", "frequency_penalty",
            ChatRequest.NUM_PREDICT, "max_tokens");
    private static final Set<String> NEVER_SENT = Set.of(ChatRequest.NUM_CTX);
    private static final Set<String> BOOLEAN_THINK = Set.of("true", "false");

    private OpenAiOptions() {
    }

    static void addTo(ObjectNode body, ChatRequest request, boolean standardOptionsOnly) {
        Map<String, Object> effective = request.effectiveOptions();
        for (String name : request.options().keySet()) {
            if (NEVER_SENT.contains(name)) {
                continue;
            }
            String field = STANDARD.get(name);
            if (field == null && standardOptionsOnly) {
                continue;
            }
            body.set(field == null ? name : field, OpenAiClient.JSON.valueToTree(effective.get(name)));
        }
        if (request.think() != null && !BOOLEAN_THINK.contains(request.think())) {
            body.put("reasoning_effort", request.think());
        }
    }
}
