package dev.neutron.api;

import java.time.Instant;
import java.util.List;

/**
 * One line of a session's history.
 *
 * @param model       the model that wrote an assistant message (or the model a user message was sent to)
 * @param attachments ids of attachments that go into the context with this message
 * @param error       for {@code status == error}: the coded error that ended the answer
 * @param stats       for assistant messages: token counts, durations and context information
 */
public record ChatMessage(
        String id,
        MessageRole role,
        String content,
        String model,
        Instant createdAt,
        MessageStatus status,
        List<String> attachments,
        ErrorInfo error,
        GenerationStats stats) {

    public ChatMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A coded error kept with a message that ended badly. */
    public record ErrorInfo(String code, String message) {
    }
}
