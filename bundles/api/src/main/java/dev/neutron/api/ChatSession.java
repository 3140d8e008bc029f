package dev.neutron.api;

import java.time.Instant;

/**
 * A chat session's metadata, as kept in {@code sessions.json}.
 *
 * @param model        the model the next message goes to; {@code null} means "the default model"
 * @param messageCount the number of messages in the whole tree of the chat, every branch counted
 * @param activeLeafId the last message of the branch that is shown and sent to the model; the branch is the walk from
 *                     it up to the first message. {@code null} means "the last message appended" (chats written before
 *                     trees existed, and a chat with no messages)
 */
public record ChatSession(String id, String title, String model, Instant createdAt, Instant updatedAt, int messageCount,
        String activeLeafId) {
    /** Session ids are generated server-side and always match this pattern; anything else is rejected before touching disk. */
    public static final String ID_PATTERN = "chat_[a-z0-9]{12,32}";
    /** The longest title, in UTF-16 chars: longer ones are refused by the HTTP API and cut by the stores. */
    public static final int MAX_TITLE_CHARS = 200;

    /** A session whose active leaf is the last message appended. */
    public ChatSession(String id, String title, String model, Instant createdAt, Instant updatedAt, int messageCount) {
        this(id, title, model, createdAt, updatedAt, messageCount, null);
    }

    public ChatSession withTitle(String newTitle, Instant now) {
        return new ChatSession(id, newTitle, model, createdAt, now, messageCount, activeLeafId);
    }

    public ChatSession withModel(String newModel, Instant now) {
        return new ChatSession(id, title, newModel, createdAt, now, messageCount, activeLeafId);
    }

    public ChatSession withMessageAdded(Instant now) {
        return new ChatSession(id, title, model, createdAt, now, messageCount + 1, activeLeafId);
    }

    /** This session showing the branch that ends at {@code leafId}. @since 2.2 */
    public ChatSession withActiveLeaf(String leafId) {
        return new ChatSession(id, title, model, createdAt, updatedAt, messageCount, leafId);
    }
}
