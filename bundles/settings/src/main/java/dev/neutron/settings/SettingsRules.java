package dev.neutron.settings;

import dev.neutron.api.ChatSettings;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelOptions;
import dev.neutron.api.NeutronException;
import dev.neutron.api.Settings;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** What settings may hold; each refusal is {@code invalid_request} naming the field and what it takes. */
final class SettingsRules {
    static final int MAX_SYSTEM_PROMPT_CHARS = 20_000;
    private static final List<String> TITLES = List.of("", "on", "off");

    private SettingsRules() {
    }

    /** @param settings normalised ({@link Settings#normalised()}) */
    static void validate(Settings settings) {
        if (!settings.ollamaUrl().isEmpty()) {
            try {
                URI uri = URI.create(settings.ollamaUrl());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new NeutronException(ErrorCode.INVALID_REQUEST,
                        "Field 'ollamaUrl' must be an http(s) URL such as http://127.0.0.1:11434, or empty for the default.");
            }
        }
        if (settings.systemPrompt().length() > MAX_SYSTEM_PROMPT_CHARS) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST,
                    "Field 'systemPrompt' is longer than " + MAX_SYSTEM_PROMPT_CHARS + " characters.");
        }
        if (!settings.defaultThink().isEmpty() && !ChatSettings.THINK_VALUES.contains(settings.defaultThink())) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Field 'defaultThink' is one of "
                    + String.join(", ", ChatSettings.THINK_VALUES) + ", or empty for the model's default; not \""
                    + settings.defaultThink() + "\".");
        }
        if (!TITLES.contains(settings.titles())) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Field 'titles' is \"on\", \"off\" or empty (on); not \""
                    + settings.titles() + "\".");
        }
    }

    /** The options checked by the one rule of model options ({@link ModelOptions}), named as this field. */
    static Map<String, Object> validOptions(Map<String, Object> options) {
        try {
            return ModelOptions.validate(options);
        } catch (NeutronException e) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Field 'defaultOptions': " + e.getMessage(), e);
        }
    }
}
