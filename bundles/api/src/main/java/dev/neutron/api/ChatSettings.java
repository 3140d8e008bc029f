package dev.neutron.api;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A chat's own model settings. Each one left unset ({@code null}, or an option not in {@code options}) comes from the
 * defaults in {@link Settings}, then from the model.
 *
 * @param systemPrompt the system prompt of this chat; {@code null}: the default one. An empty string: none at all.
 * @param options      model options by Ollama's names ({@link ModelOptions}), already validated; never null
 * @param think        {@code null}: the default; {@code "true"}/{@code "false"}: thinking on or off; {@code "low"},
 *                     {@code "medium"}, {@code "high"}: a thinking level, for models that take one ({@link #THINK_VALUES})
 * @since 2.2
 */
public record ChatSettings(String systemPrompt, Map<String, Object> options, String think) {
    public static final ChatSettings NONE = new ChatSettings(null, Map.of(), null);
    public static final List<String> THINK_VALUES = List.of("true", "false", "low", "medium", "high");

    public ChatSettings {
        options = ModelOptions.canonical(options);
    }

    /** These settings over {@code defaults}: each value set here wins, options merged key by key. */
    public ChatSettings over(ChatSettings defaults) {
        Map<String, Object> merged = new TreeMap<>(defaults.options());
        merged.putAll(options);
        return new ChatSettings(systemPrompt != null ? systemPrompt : defaults.systemPrompt(), merged,
                think != null ? think : defaults.think());
    }
}
