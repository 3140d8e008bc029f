package dev.neutron.api;

/**
 * A partial update of a session: {@code null} fields are left as they are.
 *
 * @param settings  replaces the chat's settings as a whole ({@link ChatSettings#NONE}: back to the defaults)
 * @param autoTitle false: {@code title} is a user's (the chat is named for good); true: it is Neutron's own, and a
 *                  store applies it only while the session's {@link ChatSession#autoTitle()} is still true, in the same
 *                  step that checks it, so a name a user gave meanwhile is never overwritten
 */
public record SessionPatch(String title, String model, ChatSettings settings, boolean autoTitle) {
    public SessionPatch(String title, String model) {
        this(title, model, null, false);
    }

    /** Neutron's own title for the chat. @since 2.2 */
    public static SessionPatch autoTitle(String title) {
        return new SessionPatch(title, null, null, true);
    }

    /** New settings for the chat. @since 2.2 */
    public static SessionPatch settings(ChatSettings settings) {
        return new SessionPatch(null, null, settings, false);
    }
}
