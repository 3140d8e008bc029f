package dev.neutron.chat;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentContent;
import dev.neutron.api.AttachmentKind;
import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A test double of the attachment store holding plain-text files in memory. */
final class TextAttachments implements AttachmentStore {
    private final Map<String, String> texts = new ConcurrentHashMap<>();
    private final Map<String, Attachment> attachments = new ConcurrentHashMap<>();

    String add(String sessionId, String fileName, String text) {
        String id = String.format("att_%012d", attachments.size() + 1);
        attachments.put(id, new Attachment(id, sessionId, fileName, "text/plain", text.length(), AttachmentKind.text, Instant.now()));
        texts.put(id, text);
        return id;
    }

    @Override
    public Attachment store(String sessionId, String clientFileName, InputStream content) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Attachment> list(String sessionId) {
        return List.copyOf(attachments.values());
    }

    @Override
    public Optional<Attachment> find(String sessionId, String attachmentId) {
        return Optional.ofNullable(attachments.get(attachmentId));
    }

    @Override
    public InputStream open(String sessionId, String attachmentId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(String sessionId, String attachmentId) {
        return false;
    }

    @Override
    public void deleteAll(String sessionId) {
    }

    @Override
    public AttachmentContent extract(String sessionId, String attachmentId, int maxChars) {
        String text = texts.get(attachmentId);
        if (text == null) {
            throw new NeutronException(ErrorCode.ATTACHMENT_NOT_FOUND, attachmentId);
        }
        boolean cut = text.length() > maxChars;
        return new AttachmentContent(attachments.get(attachmentId), cut ? text.substring(0, maxChars) : text, cut, null);
    }
}
