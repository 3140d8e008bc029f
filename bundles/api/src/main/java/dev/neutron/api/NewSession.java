package dev.neutron.api;

/**
 * What a client may set when it creates a session; every field is optional. A session created without a title gets
 * Neutron's own ({@link ChatSession#autoTitle()}).
 *
 * @param settings the chat's own settings; {@code null}: none (the defaults apply)
 */
public record NewSession(String title, String model, ChatSettings settings) {
    public NewSession(String title, String model) {
        this(title, model, null);
    }
}
