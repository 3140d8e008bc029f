package dev.neutron.api;

/**
 * The user's settings ({@code <data>/settings.json}): Ollama's URL, the default model and the system prompt. An empty
 * string means the component's own default. Names are those of the JSON fields.
 */
public record Settings(String ollamaUrl, String defaultModel, String systemPrompt) {
    public static final String OLLAMA_URL = "ollamaUrl";
    public static final String DEFAULT_MODEL = "defaultModel";
    public static final String SYSTEM_PROMPT = "systemPrompt";
    public static final Settings EMPTY = new Settings("", "", "");

    /** Nulls become empty strings; the URL and the model lose surrounding blanks. */
    public Settings normalised() {
        return new Settings(ollamaUrl == null ? "" : ollamaUrl.strip(), defaultModel == null ? "" : defaultModel.strip(),
                systemPrompt == null ? "" : systemPrompt);
    }
}
