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
 * @param parentId    the message this one answers or follows; {@code null} for a first question (the first message,
 *                    or an edit of it). The messages of a chat form a tree by this pointer (its children are derived,
 *                    not stored); a message stored before trees existed reads with the message before it as its parent.
 * @param thinking    for assistant messages of a thinking model: the reasoning it streamed before the answer, kept
 *                    apart from {@code content} and never sent back to a model; {@code null} when there was none
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
        GenerationStats stats,
        String parentId,
        String thinking) {

    /**
     * As the {@code parentId} of a message given to {@link ChatStore#appendMessage}: the message starts a new first
     * question (a sibling of the chat's first message, as when that question is edited). Stored messages never carry
     * it: every root reads back with a {@code null} parent. @since 2.2
     */
    public static final String NEW_ROOT = "";

    public ChatMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A message without thinking. */
    public ChatMessage(String id, MessageRole role, String content, String model, Instant createdAt, MessageStatus status,
            List<String> attachments, ErrorInfo error, GenerationStats stats, String parentId) {
        this(id, role, content, model, createdAt, status, attachments, error, stats, parentId, null);
    }

    /** A message with no parent given: a store appends it to the chat's active leaf. */
    public ChatMessage(String id, MessageRole role, String content, String model, Instant createdAt, MessageStatus status,
            List<String> attachments, ErrorInfo error, GenerationStats stats) {
        this(id, role, content, model, createdAt, status, attachments, error, stats, null);
    }

    /** This message with {@code parentId} as its parent. @since 2.2 */
    public ChatMessage withParentId(String newParentId) {
        return new ChatMessage(id, role, content, model, createdAt, status, attachments, error, stats, newParentId,
                thinking);
    }

    /** A coded error kept with a message that ended badly. */
    public record ErrorInfo(String code, String message) {
    }
}
