package dev.neutron.api;

/**
 * Who wrote a message: of a stored {@link ChatMessage}, and of a {@link PromptMessage} sent to a model. The constants
 * are spelt as on the wire (lowercase), so {@link #name()} is the JSON value and the role model APIs expect.
 */
public enum MessageRole {
    system, user, assistant
}
