package dev.neutron.api;

import java.util.Map;

/**
 * The user's settings ({@code <data>/settings.json}). An empty string (or map) means the component's own default.
 * Names are those of the JSON fields.
 *
 * @param systemPrompt   the system prompt of chats that have none of their own
 * @param defaultOptions model options of chats that do not set them ({@link ModelOptions}); since 2.2
 * @param defaultThink   thinking of chats that do not set it ({@link ChatSettings#THINK_VALUES}, or empty: the
 *                       model's default); since 2.2
 * @param titles         {@code "on"} (also empty) or {@code "off"}: whether a model writes a chat's title after its
 *                       first answer; since 2.2
 * @param titleModel     the model that writes titles; empty: the chat's own model; since 2.2
 */
public record Settings(String ollamaUrl, String defaultModel, String systemPrompt, Map<String, Object> defaultOptions,
        String defaultThink, String titles, String titleModel) {
    public static final String OLLAMA_URL = "ollamaUrl";
    public static final String DEFAULT_MODEL = "defaultModel";
    public static final String SYSTEM_PROMPT = "systemPrompt";
    public static final String DEFAULT_OPTIONS = "defaultOptions";
    public static final String DEFAULT_THINK = "defaultThink";
    public static final String TITLES = "titles";
    public static final String TITLE_MODEL = "titleModel";
    public static final Settings EMPTY = new Settings("", "", "");

    public Settings {
        defaultOptions = ModelOptions.canonical(defaultOptions);
    }

    public Settings(String ollamaUrl, String defaultModel, String systemPrompt) {
        this(ollamaUrl, defaultModel, systemPrompt, Map.of(), "", "", "");
    }

    /** Nulls become empty strings; the URL and the models lose surrounding blanks. */
    public Settings normalised() {
        return new Settings(strip(ollamaUrl), strip(defaultModel), systemPrompt == null ? "" : systemPrompt,
                defaultOptions, strip(defaultThink), strip(titles), strip(titleModel));
    }

    /** The defaults of every chat, as {@link ChatSettings}: empty values unset. */
    public ChatSettings chatDefaults() {
        return new ChatSettings(systemPrompt == null || systemPrompt.isEmpty() ? null : systemPrompt, defaultOptions,
                defaultThink == null || defaultThink.isBlank() ? null : defaultThink.strip());
    }

    /** Whether a model writes the titles of new chats. */
    public boolean titlesOn() {
        return !"off".equals(strip(titles));
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }
}
