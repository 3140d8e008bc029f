package dev.neutron.api;

import java.time.Instant;

/**
 * A chat session's metadata, as kept in {@code sessions.json}.
 *
 * @param model the model the next message goes to; {@code null} means "the default model"
 */
public record ChatSession(String id, String title, String model, Instant createdAt, Instant updatedAt, int messageCount) {
    /** Session ids are generated server-side and always match this pattern; anything else is rejected before touching disk. */
    public static final String ID_PATTERN = "chat_[a-z0-9]{12,32}";
    /** The longest title, in UTF-16 chars: longer ones are refused by the HTTP API and cut by the stores. */
    public static final int MAX_TITLE_CHARS = 200;

    public ChatSession withTitle(String newTitle, Instant now) {
        return new ChatSession(id, newTitle, model, createdAt, now, messageCount);
    }

    public ChatSession withModel(String newModel, Instant now) {
        return new ChatSession(id, title, newModel, createdAt, now, messageCount);
    }

    public ChatSession withMessageAdded(Instant now) {
        return new ChatSession(id, title, model, createdAt, now, messageCount + 1);
    }
}
