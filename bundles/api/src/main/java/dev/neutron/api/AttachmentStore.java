package dev.neutron.api;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Files attached to sessions, kept under the data directory. The client's file name is never trusted as a path;
 * size and type (detected from the content) are checked before anything is kept, and a failed upload leaves nothing.
 */
@ConsumerType
public interface AttachmentStore {

    /**
     * Stores an upload.
     *
     * @throws NeutronException {@code upload_too_large} (413), {@code unsupported_file_type} (415),
     *                          {@code invalid_session_id}
     */
    Attachment store(String sessionId, String clientFileName, InputStream content);

    List<Attachment> list(String sessionId);

    Optional<Attachment> find(String sessionId, String attachmentId);

    /** The file's bytes. @throws NeutronException {@code attachment_not_found} */
    InputStream open(String sessionId, String attachmentId);

    boolean delete(String sessionId, String attachmentId);

    /** Removes every attachment of a session (when the session is deleted). */
    void deleteAll(String sessionId);

    /** The attachment as prompt material, text cut to at most {@code maxChars} characters. */
    AttachmentContent extract(String sessionId, String attachmentId, int maxChars);
}
