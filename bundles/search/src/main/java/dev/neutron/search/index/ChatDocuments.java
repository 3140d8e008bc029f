package dev.neutron.search.index;

import dev.neutron.api.Attachment;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.lucene.document.Document;

/** What a chat becomes in the index: its title, every message of every branch, and its attachments' text. */
final class ChatDocuments {
    private ChatDocuments() {
    }

    /** What the store says about a chat's version: when it changes, the chat is indexed again. */
    static String stamp(ChatSession session) {
        return session.updatedAt() + "|" + session.messageCount() + "|" + session.title();
    }

    static Document title(ChatSession session) {
        return IndexFields.title(session.id(), session.title(), session.model(), session.createdAt(), stamp(session));
    }

    /** The documents of those {@code messages} that have text. */
    static List<Document> messages(ChatSession session, List<ChatMessage> messages) {
        List<Document> docs = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            if (message.id() != null && message.content() != null && !message.content().isBlank()) {
                docs.add(IndexFields.message(session.id(), message.id(), message.role().name(), message.model(),
                        message.createdAt(), message.content()));
            }
        }
        return docs;
    }

    /**
     * @param attachmentText the text extracted from an attachment (empty for an image)
     */
    static List<Document> of(ChatSession session, List<ChatMessage> messages, List<Attachment> attachments,
            Function<Attachment, String> attachmentText) {
        List<Document> docs = new ArrayList<>(messages.size() + attachments.size() + 1);
        docs.add(title(session));
        docs.addAll(messages(session, messages));
        Map<String, ChatMessage> carriers = new HashMap<>();
        for (ChatMessage message : messages) {
            for (String attachmentId : message.attachments()) {
                carriers.putIfAbsent(attachmentId, message);
            }
        }
        for (Attachment attachment : attachments) {
            ChatMessage carrier = carriers.get(attachment.id());
            docs.add(IndexFields.attachment(session.id(), attachment.id(), attachment.fileName(),
                    carrier == null ? null : carrier.id(), carrier == null ? null : carrier.role().name(),
                    carrier == null ? null : carrier.model(), attachment.createdAt(), attachmentText.apply(attachment)));
        }
        return docs;
    }
}
