package dev.neutron.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelOptions;
import dev.neutron.api.NeutronException;
import java.util.Map;

/**
 * A chat's settings as the sessions API takes and shows them: {@code systemPrompt} (a string; {@code ""} for none),
 * {@code options} (an object of model options, checked by {@link ModelOptions}), and {@code think} ({@code true},
 * {@code false}, {@code "low"}, {@code "medium"}, {@code "high"}); {@code null} for each is the default.
 */
final class ChatSettingsFields {
    /** As long as the settings' default system prompt may be. */
    static final int MAX_SYSTEM_PROMPT_CHARS = 20_000;
    private static final TypeReference<Map<String, Object>> OPTIONS = new TypeReference<>() {
    };

    private ChatSettingsFields() {
    }

    /** The settings of a new chat; null when the request sets none. */
    static ChatSettings ofNew(JsonNode systemPrompt, JsonNode options, JsonNode think) {
        if (systemPrompt == null && options == null && think == null) {
            return null;
        }
        return patched(ChatSettings.NONE, systemPrompt, options, think);
    }

    /**
     * {@code current} with each field the request has ({@code null} in Java: left out) replaced, a JSON {@code null}
     * resetting it; null when the request changes no setting.
     */
    static ChatSettings patched(ChatSettings current, JsonNode systemPrompt, JsonNode options, JsonNode think) {
        if (systemPrompt == null && options == null && think == null) {
            return null;
        }
        return new ChatSettings(
                systemPrompt == null ? current.systemPrompt() : systemPrompt(systemPrompt),
                options == null ? current.options() : options(options),
                think == null ? current.think() : think(think));
    }

    /** {@code think} on the wire: {@code true}/{@code false} as booleans, a level as its name, none as {@code null}. */
    static Object thinkToWire(String think) {
        return "true".equals(think) || "false".equals(think) ? (Object) Boolean.valueOf(think) : think;
    }

    private static String systemPrompt(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("Field 'systemPrompt' is a string (\"\" for no system prompt), or null for the default.");
        }
        if (value.textValue().length() > MAX_SYSTEM_PROMPT_CHARS) {
            throw invalid("Field 'systemPrompt' is longer than " + MAX_SYSTEM_PROMPT_CHARS + " characters.");
        }
        return value.textValue();
    }

    private static Map<String, Object> options(JsonNode value) {
        if (value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw invalid("Field 'options' is an object of model options, e.g. {\"temperature\": 0.2}, or null for the"
                    + " defaults.");
        }
        try {
            return ModelOptions.validate(Json.MAPPER.convertValue(value, OPTIONS));
        } catch (NeutronException e) {
            throw invalid("Field 'options': " + e.getMessage());
        }
    }

    private static String think(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return Boolean.toString(value.booleanValue());
        }
        if (value.isTextual() && ChatSettings.THINK_VALUES.contains(value.textValue())) {
            return value.textValue();
        }
        throw invalid("Field 'think' is true, false, \"low\", \"medium\" or \"high\", or null for the default; not "
                + value + ".");
    }

    private static NeutronException invalid(String message) {
        return new NeutronException(ErrorCode.INVALID_REQUEST, message);
    }
}
