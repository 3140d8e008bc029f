package dev.neutron.upload;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.neutron.api.Attachment;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The list of a session's attachments, {@code <sessionId>.attachments.json}: the truth about which attachments exist.
 * It is replaced whole and durably; an empty list is no file. Callers hold the session's lock.
 */
final class AttachmentIndex {
    private static final System.Logger LOG = System.getLogger(AttachmentIndex.class.getName());

    private final UploadsDirectory files;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // an entry of a kind this version does not know is left out (its kind reads as null), not the whole list
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);

    AttachmentIndex(UploadsDirectory files) {
        this.files = files;
    }

    /** The session's attachments; empty when it has none. */
    List<Attachment> read(String sessionId) {
        try {
            return parse(sessionId);
        } catch (IOException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "The attachment list of " + sessionId
                    + " could not be read (" + e.getMessage() + "). Restart Neutron to rebuild it from the files.", e);
        }
    }

    /** Like {@link #read}, but says when the list is unreadable, so that recovery can rebuild it. */
    List<Attachment> parse(String sessionId) throws IOException {
        Attachment[] stored;
        try {
            stored = json.readValue(files.indexFile(sessionId).toFile(), Attachment[].class);
        } catch (NoSuchFileException | FileNotFoundException e) {
            return List.of();
        }
        if (stored == null) {
            throw new IOException("the file holds no list");
        }
        List<Attachment> valid = new ArrayList<>(stored.length);
        for (Attachment attachment : stored) {
            if (isValidEntry(sessionId, attachment)) {
                valid.add(attachment);
            } else {
                LOG.log(System.Logger.Level.WARNING, "Ignored an invalid entry in " + sessionId
                        + UploadsDirectory.INDEX_SUFFIX + ": " + attachment);
            }
        }
        return valid;
    }

    boolean exists(String sessionId) {
        return Files.exists(files.indexFile(sessionId));
    }

    /** Replaces the list: afterwards it is the new one, or (on failure, even a full disk) still the old one. */
    void write(String sessionId, List<Attachment> attachments) {
        Path file = files.indexFile(sessionId);
        try {
            if (attachments.isEmpty()) {
                Files.deleteIfExists(file);
                files.sync();
            } else {
                files.replaceDurably(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(attachments));
            }
        } catch (IOException e) {
            throw files.failed("write the attachment list of " + sessionId, e);
        }
    }

    void remove(String sessionId) throws IOException {
        Files.deleteIfExists(files.indexFile(sessionId));
    }

    /** Renames an unreadable list out of the way, keeping it for inspection; returns its new name. */
    Path setAside(String sessionId, long millis) throws IOException {
        Path file = files.indexFile(sessionId);
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + millis);
        Files.move(file, aside);
        return aside;
    }

    /** Guards against a hand-edited list: only what this store itself would have written is used as a path. */
    private static boolean isValidEntry(String sessionId, Attachment a) {
        return a != null && sessionId.equals(a.sessionId()) && Ids.isAttachmentId(a.id())
                && a.fileName() != null && a.fileName().equals(FileNames.sanitise(a.fileName())) && a.kind() != null
                && a.size() >= 0;
    }
}
