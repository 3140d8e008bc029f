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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of the attachment store holding files as text in memory (a "PDF" is its text), counting how often
 * each is extracted.
 */
final class TextAttachments implements AttachmentStore {
    private final Map<String, String> texts = new ConcurrentHashMap<>();
    private final Map<String, Attachment> attachments = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> extractions = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    String add(String sessionId, String fileName, String text) {
        return add(sessionId, fileName, text, AttachmentKind.text, "text/plain");
    }

    String addPdf(String sessionId, String fileName, String text) {
        return add(sessionId, fileName, text, AttachmentKind.pdf, "application/pdf");
    }

    private String add(String sessionId, String fileName, String text, AttachmentKind kind, String contentType) {
        String id = String.format("att_%012d", ids.incrementAndGet());
        attachments.put(id, new Attachment(id, sessionId, fileName, contentType, text.length(), kind, Instant.now()));
        texts.put(id, text);
        return id;
    }

    /** How often {@link #extract} read this attachment. */
    int extractions(String attachmentId) {
        AtomicInteger count = extractions.get(attachmentId);
        return count == null ? 0 : count.get();
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
        texts.remove(attachmentId);
        return attachments.remove(attachmentId) != null;
    }

    @Override
    public void deleteAll(String sessionId) {
    }

    @Override
    public AttachmentContent extract(String sessionId, String attachmentId, int maxChars) {
        extractions.computeIfAbsent(attachmentId, id -> new AtomicInteger()).incrementAndGet();
        String text = texts.get(attachmentId);
        if (text == null) {
            throw new NeutronException(ErrorCode.ATTACHMENT_NOT_FOUND, attachmentId);
        }
        boolean cut = text.length() > maxChars;
        return new AttachmentContent(attachments.get(attachmentId), cut ? text.substring(0, maxChars) : text, cut, null);
    }
}
