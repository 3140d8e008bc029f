package dev.neutron.search;

import java.time.Instant;
import java.util.List;

/**
 * A match: in a message ({@code kind} {@code message}), in a chat's title ({@code title}: no message, role or
 * attachment) or in an attachment's text ({@code attachment}: the message that carries it, if it was sent).
 */
public record SearchHit(String kind, String sessionId, String title, String messageId, String role, String model,
        Instant createdAt, Snippet snippet, AttachmentRef attachment) {

    /**
     * A piece of the matched text with the matched words marked as {@code [start, end)} offsets into {@code text}, in
     * UTF-16 code units (JavaScript string indices), in order and not overlapping.
     */
    public record Snippet(String text, List<int[]> highlights) {
    }

    public record AttachmentRef(String id, String fileName) {
    }
}
