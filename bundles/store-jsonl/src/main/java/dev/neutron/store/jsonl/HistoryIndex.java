package dev.neutron.store.jsonl;

import dev.neutron.api.ChatMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an append needs to know of a history without reading it again: which message ids it holds and which message
 * came last (the leaf when the session's stored one names no message: {@code ConversationTree.activeLeaf}). Made
 * from the file once, then kept up to date by the writes that succeed; used under the session's lock only.
 */
final class HistoryIndex {
    private final Set<String> ids = new HashSet<>();
    private String last;

    HistoryIndex(List<ChatMessage> appendOrder) {
        appendOrder.forEach(this::added);
    }

    boolean contains(String messageId) {
        return messageId != null && ids.contains(messageId);
    }

    /** The active leaf for a session whose stored leaf is {@code storedLeaf}; null for an empty history. */
    String activeLeaf(String storedLeaf) {
        return contains(storedLeaf) ? storedLeaf : last;
    }

    /** The id of the message appended last; null if none, or if it has none. */
    String last() {
        return last;
    }

    void added(ChatMessage message) {
        if (message.id() != null) {
            ids.add(message.id());
        }
        last = message.id();
    }
}
