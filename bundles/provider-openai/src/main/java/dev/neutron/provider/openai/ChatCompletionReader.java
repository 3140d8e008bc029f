package dev.neutron.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.ChatResult;
import dev.neutron.api.NeutronException;
import dev.neutron.api.TokenListener;
import java.io.IOException;

/**
 * Reads the chunks of a streamed {@code /chat/completions} answer: hands each {@code choices[0].delta.content} to the
 * listener's {@code onToken} and each reasoning delta to its {@code onThinking}, and returns how the answer ended ({@code finish_reason}, and the token counts of {@code usage} when the
 * server sends them). The answer ends at {@code data: [DONE]}; a stream that ends without it counts as complete only
 * when a {@code finish_reason} came.
 */
final class ChatCompletionReader {
    private static final String DONE = "[DONE]";

    private final TokenListener listener;
    private final OpenAiErrors errors;
    private boolean outputStarted;
    private String finishReason;
    private Integer promptTokens;
    private Integer completionTokens;

    ChatCompletionReader(TokenListener listener, OpenAiErrors errors) {
        this.listener = listener;
        this.errors = errors;
    }

    /** @throws NeutronException when the server reports an error, sends something unreadable, or the stream ends early */
    ChatResult read(SseEventReader events, long startedNanos) {
        try {
            String data;
            while ((data = events.next()) != null) {
                if (DONE.equals(data.strip())) {
                    return result(startedNanos);
                }
                accept(parse(data));
            }
        } catch (IOException e) {
            throw errors.closedEarly(e);
        }
        if (finishReason == null) {
            throw errors.closedEarly(null);
        }
        return result(startedNanos);
    }

    private void accept(JsonNode chunk) {
        if (chunk.hasNonNull("error")) {
            throw errors.errorEvent(chunk.get("error"), outputStarted);
        }
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        String thinking = reasoning(delta);
        if (!thinking.isEmpty()) {
            outputStarted = true;
            listener.onThinking(thinking);
        }
        JsonNode content = delta.path("content");
        if (content.isTextual() && !content.asText().isEmpty()) {
            outputStarted = true;
            listener.onToken(content.asText());
        }
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.get("finish_reason").asText();
        }
        JsonNode usage = chunk.path("usage");
        if (usage.path("prompt_tokens").isIntegralNumber()) {
            promptTokens = usage.get("prompt_tokens").asInt();
        }
        if (usage.path("completion_tokens").isIntegralNumber()) {
            completionTokens = usage.get("completion_tokens").asInt();
        }
    }

    /** {@code reasoning_content} (llama.cpp, vLLM, DeepSeek) or {@code reasoning} (Ollama's /v1, OpenRouter, newer vLLM). */
    private static String reasoning(JsonNode delta) {
        JsonNode reasoning = delta.path("reasoning_content");
        if (!reasoning.isTextual() || reasoning.asText().isEmpty()) {
            reasoning = delta.path("reasoning");
        }
        return reasoning.isTextual() ? reasoning.asText() : "";
    }

    private JsonNode parse(String data) {
        try {
            return OpenAiClient.JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw errors.notJson("an event", data, e);
        }
    }

    private ChatResult result(long startedNanos) {
        return new ChatResult(finishReason == null ? "stop" : finishReason, promptTokens, completionTokens,
                System.nanoTime() - startedNanos);
    }
}
