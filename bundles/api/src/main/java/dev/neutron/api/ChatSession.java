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
 * @param settings     the chat's own system prompt, model options and thinking; what it leaves unset comes from the
 *                     defaults in {@link Settings}. Never null.
 * @param autoTitle    true while the title is Neutron's own (the first words of the first question, then a title the
 *                     model wrote); false once a user named the chat, and for chats stored before 2.2. Neutron never
 *                     overwrites a title whose {@code autoTitle} is false.
 */
public record ChatSession(String id, String title, String model, Instant createdAt, Instant updatedAt, int messageCount,
        String activeLeafId, ChatSettings settings, boolean autoTitle) {
    /** Session ids are generated server-side and always match this pattern; anything else is rejected before touching disk. */
    public static final String ID_PATTERN = "chat_[a-z0-9]{12,32}";
    /** The longest title, in UTF-16 chars: longer ones are refused by the HTTP API and cut by the stores. */
    public static final int MAX_TITLE_CHARS = 200;

    public ChatSession {
        settings = settings == null ? ChatSettings.NONE : settings;
    }

    /** A session with a title someone gave it and no settings of its own. */
    public ChatSession(String id, String title, String model, Instant createdAt, Instant updatedAt, int messageCount,
            String activeLeafId) {
        this(id, title, model, createdAt, updatedAt, messageCount, activeLeafId, ChatSettings.NONE, false);
    }

    /** A session whose active leaf is the last message appended. */
    public ChatSession(String id, String title, String model, Instant createdAt, Instant updatedAt, int messageCount) {
        this(id, title, model, createdAt, updatedAt, messageCount, null);
    }

    /** Named by a user: {@code autoTitle} becomes false. */
    public ChatSession withTitle(String newTitle, Instant now) {
        return new ChatSession(id, newTitle, model, createdAt, now, messageCount, activeLeafId, settings, false);
    }

    /**
     * Titled by Neutron: only while {@code autoTitle} is true; a session a user named is returned unchanged.
     * @since 2.2
     */
    public ChatSession withAutoTitle(String newTitle, Instant now) {
        return autoTitle ? new ChatSession(id, newTitle, model, createdAt, now, messageCount, activeLeafId, settings, true)
                : this;
    }

    public ChatSession withModel(String newModel, Instant now) {
        return new ChatSession(id, title, newModel, createdAt, now, messageCount, activeLeafId, settings, autoTitle);
    }

    public ChatSession withMessageAdded(Instant now) {
        return new ChatSession(id, title, model, createdAt, now, messageCount + 1, activeLeafId, settings, autoTitle);
    }

    /** This session showing the branch that ends at {@code leafId}. @since 2.2 */
    public ChatSession withActiveLeaf(String leafId) {
        return new ChatSession(id, title, model, createdAt, updatedAt, messageCount, leafId, settings, autoTitle);
    }

    /** @since 2.2 */
    public ChatSession withSettings(ChatSettings newSettings, Instant now) {
        return new ChatSession(id, title, model, createdAt, now, messageCount, activeLeafId, newSettings, autoTitle);
    }
}
