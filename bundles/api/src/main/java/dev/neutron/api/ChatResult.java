package dev.neutron.api;

/**
 * How a generation ended, as the provider reports it.
 *
 * @param finishReason {@code stop}, {@code length} or {@code cancelled}
 */
public record ChatResult(String finishReason, Integer promptTokens, Integer completionTokens, Long totalDurationNanos) {
}
