package dev.neutron.http;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentKind;
import dev.neutron.api.AttachmentContent;
import dev.neutron.api.AttachmentStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test double of the attachment store, in memory, keyed by session and attachment id. */
final class FakeAttachmentStore implements AttachmentStore {
    private final Map<String, Attachment> attachments = new ConcurrentHashMap<>();
    private final Map<String, byte[]> contents = new ConcurrentHashMap<>();
    final List<String> deletedSessions = new CopyOnWriteArrayList<>();

    Attachment put(String sessionId, String attachmentId, String fileName, byte[] content) {
        Attachment attachment = new Attachment(attachmentId, sessionId, fileName, "text/plain", content.length, AttachmentKind.text,
                Instant.parse("2026-01-01T00:00:00Z"));
        attachments.put(sessionId + "/" + attachmentId, attachment);
        contents.put(sessionId + "/" + attachmentId, content);
        return attachment;
    }

    @Override
    public Attachment store(String sessionId, String clientFileName, InputStream content) {
        try {
            return put(sessionId, "att_" + String.format("%016d", attachments.size() + 1), clientFileName, content.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Attachment> list(String sessionId) {
        return attachments.values().stream().filter(a -> a.sessionId().equals(sessionId)).toList();
    }

    @Override
    public Optional<Attachment> find(String sessionId, String attachmentId) {
        return Optional.ofNullable(attachments.get(sessionId + "/" + attachmentId));
    }

    @Override
    public InputStream open(String sessionId, String attachmentId) {
        return new ByteArrayInputStream(contents.get(sessionId + "/" + attachmentId));
    }

    @Override
    public boolean delete(String sessionId, String attachmentId) {
        contents.remove(sessionId + "/" + attachmentId);
        return attachments.remove(sessionId + "/" + attachmentId) != null;
    }

    @Override
    public void deleteAll(String sessionId) {
        deletedSessions.add(sessionId);
        attachments.keySet().removeIf(key -> key.startsWith(sessionId + "/"));
    }

    @Override
    public AttachmentContent extract(String sessionId, String attachmentId, int maxChars) {
        throw new UnsupportedOperationException();
    }
}
