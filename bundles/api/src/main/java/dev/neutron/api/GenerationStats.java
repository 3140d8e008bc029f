package dev.neutron.api;

/**
 * Figures about one generated answer.
 *
 * @param droppedMessages how many of the oldest history messages were left out so the prompt fits the context window
 * @param contextWindow   the {@code num_ctx} the model was asked to use
 */
public record GenerationStats(
        Integer promptTokens,
        Integer completionTokens,
        Long totalDurationMs,
        Long firstTokenMs,
        int contextWindow,
        int promptTokenEstimate,
        int droppedMessages,
        String finishReason) {
}
