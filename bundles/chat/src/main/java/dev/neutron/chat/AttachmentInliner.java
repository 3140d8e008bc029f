package dev.neutron.chat;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentContent;
import dev.neutron.api.AttachmentKind;
import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Puts a message's attachments into its prompt: text and PDF text inline under a clear header (cut with a visible
 * note when too long), images in the {@code images} field for models that can see. One inliner serves one send:
 * content comes from the {@link AttachmentCache}, and which attachments still exist is asked of the store once.
 */
final class AttachmentInliner {
    private final AttachmentStore store;
    private final AttachmentCache cache;
    private final String sessionId;
    private final ModelInfo model;
    private final int maxCharsPerFile;
    private Set<String> existing;

    AttachmentInliner(AttachmentStore store, AttachmentCache cache, String sessionId, ModelInfo model,
            int maxCharsPerFile) {
        this.store = store;
        this.cache = cache;
        this.sessionId = sessionId;
        this.model = model;
        this.maxCharsPerFile = Math.max(1000, maxCharsPerFile);
    }

    /** Checks, before anything is stored, that every referenced attachment exists and suits the model. */
    void requireAll(List<String> attachmentIds) {
        if (attachmentIds.isEmpty()) {
            return;
        }
        if (store == null) {
            throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE,
                    "Attachments are not available: the upload bundle is not installed or not started.");
        }
        for (String id : attachmentIds) {
            var attachment = store.find(sessionId, id).orElseThrow(() -> new NeutronException(
                    ErrorCode.ATTACHMENT_NOT_FOUND, "No attachment with id " + id + " in this chat. Upload it first."));
            if (attachment.kind() == AttachmentKind.image && !model.capabilities().contains("vision")) {
                throw new NeutronException(ErrorCode.UNSUPPORTED_FILE_TYPE, "Model '" + model.name()
                        + "' cannot read images, so '" + attachment.fileName() + "' cannot be sent to it."
                        + " Pick a vision model (for example llava) or remove the image.");
            }
            if (attachment.kind() == AttachmentKind.pdf) {
                // an unreadable PDF fails here, before the message is stored; a readable one is kept for the prompt
                cache.extract(store, sessionId, id, maxCharsPerFile);
            }
        }
    }

    PromptMessage prompt(ChatMessage message) {
        if (message.attachments().isEmpty() || store == null) {
            return new PromptMessage(message.role(), message.content());
        }
        StringBuilder text = new StringBuilder();
        List<String> images = new ArrayList<>();
        for (String id : message.attachments()) {
            AttachmentContent content;
            try {
                if (!exists(id)) {
                    throw new NeutronException(ErrorCode.ATTACHMENT_NOT_FOUND, id);
                }
                content = cache.extract(store, sessionId, id, maxCharsPerFile);
            } catch (NeutronException e) {
                text.append("[Attached file ").append(id).append(" is no longer available]\n\n");
                continue;
            }
            if (content.imageBase64() != null) {
                if (model.capabilities().contains("vision")) {
                    images.add(content.imageBase64());
                } else {
                    text.append("[Attached image ").append(content.attachment().fileName())
                            .append(" left out: this model cannot read images]\n\n");
                }
                continue;
            }
            text.append("Attached file: ").append(content.attachment().fileName())
                    .append(" (").append(content.attachment().contentType()).append(")\n")
                    .append("-----\n").append(content.text());
            if (!content.text().endsWith("\n")) {
                text.append('\n');
            }
            if (content.truncated()) {
                text.append("[... truncated: only the first ").append(maxCharsPerFile)
                        .append(" characters of this file fit the model's context window]\n");
            }
            text.append("-----\n\n");
        }
        text.append(message.content());
        return new PromptMessage(message.role(), text.toString(), images);
    }

    /** Whether the attachment is still there: a deleted one must not come back from the cache. */
    private boolean exists(String attachmentId) {
        if (existing == null) {
            try {
                existing = store.list(sessionId).stream().map(Attachment::id).collect(Collectors.toUnmodifiableSet());
            } catch (NeutronException e) {
                existing = Set.of(); // as when each file could not be read: every one is reported unavailable
            }
        }
        return existing.contains(attachmentId);
    }
}
