package dev.neutron.api;

import java.util.Map;

/**
 * Figures about one generated answer.
 *
 * @param droppedMessages how many of the oldest history messages were left out so the prompt fits the context window
 * @param contextWindow   the {@code num_ctx} the model was asked to use
 * @param options         the model options sent with the request (Ollama's names, {@code num_ctx} and
 *                        {@code num_predict} included); empty for answers stored before 2.2
 * @param thinkingMs      how long the model thought before it answered; {@code null} when it did not think
 * @param contextReload   whether asking for this {@code contextWindow} made the model load again: its window differs
 *                        from the one Neutron last asked this model for (false for the first request since Neutron
 *                        started, and for answers stored before 2.4)
 */
public record GenerationStats(
        Integer promptTokens,
        Integer completionTokens,
        Long totalDurationMs,
        Long firstTokenMs,
        int contextWindow,
        int promptTokenEstimate,
        int droppedMessages,
        String finishReason,
        Map<String, Object> options,
        Long thinkingMs,
        boolean contextReload) {

    public GenerationStats {
        options = ModelOptions.canonical(options);
    }

    /** @since 2.2 */
    public GenerationStats(Integer promptTokens, Integer completionTokens, Long totalDurationMs, Long firstTokenMs,
            int contextWindow, int promptTokenEstimate, int droppedMessages, String finishReason,
            Map<String, Object> options, Long thinkingMs) {
        this(promptTokens, completionTokens, totalDurationMs, firstTokenMs, contextWindow, promptTokenEstimate,
                droppedMessages, finishReason, options, thinkingMs, false);
    }

    public GenerationStats(Integer promptTokens, Integer completionTokens, Long totalDurationMs, Long firstTokenMs,
            int contextWindow, int promptTokenEstimate, int droppedMessages, String finishReason) {
        this(promptTokens, completionTokens, totalDurationMs, firstTokenMs, contextWindow, promptTokenEstimate,
                droppedMessages, finishReason, Map.of(), null, false);
    }
}
