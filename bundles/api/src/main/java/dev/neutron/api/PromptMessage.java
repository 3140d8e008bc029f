package dev.neutron.api;

import java.util.List;

/**
 * A message as sent to a model. {@code images} are base64-encoded, for vision models.
 *
 * @param role {@code system}, {@code user} or {@code assistant}: always the name of a {@link MessageRole}, as model
 *             APIs spell it. Kept a String so that providers built against 1.x and the record's JSON form stay as
 *             they were. Use {@link #messageRole()} for the typed value.
 */
public record PromptMessage(String role, String content, List<String> images) {
    /** @throws IllegalArgumentException when {@code role} is not a {@link MessageRole} name */
    public PromptMessage {
        MessageRole.valueOf(role);
        images = images == null ? List.of() : List.copyOf(images);
    }

    public PromptMessage(String role, String content) {
        this(role, content, List.of());
    }

    /** @since 1.3 */
    public PromptMessage(MessageRole role, String content, List<String> images) {
        this(role.name(), content, images);
    }

    /** @since 1.3 */
    public PromptMessage(MessageRole role, String content) {
        this(role.name(), content, List.of());
    }

    /** @since 1.3 */
    public MessageRole messageRole() {
        return MessageRole.valueOf(role);
    }
}
