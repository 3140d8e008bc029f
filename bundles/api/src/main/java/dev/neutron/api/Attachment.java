package dev.neutron.api;

import java.time.Instant;

/**
 * A file attached to a session.
 *
 * @param fileName    the sanitised name shown to users (never used as a path)
 * @param contentType the type detected from the content, e.g. {@code text/plain}, {@code application/pdf}, {@code image/png}
 * @param kind        how the file goes into a model's context
 */
public record Attachment(String id, String sessionId, String fileName, String contentType, long size, AttachmentKind kind,
        Instant createdAt) {
    /** Attachment ids are generated server-side and always match this pattern. */
    public static final String ID_PATTERN = "att_[a-z0-9]{12,32}";
}
