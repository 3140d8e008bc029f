package dev.neutron.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ModelOptions;
import dev.neutron.api.NeutronException;
import java.util.Map;

/**
 * The defaults of every chat, as the engine's configuration holds them (the settings feed it): the system prompt, the
 * default options as one JSON object, and the default thinking. Values that cannot be read are left out (and logged),
 * so a broken default never stops a chat.
 */
final class ChatDefaults {
    private static final System.Logger LOG = System.getLogger(ChatDefaults.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OPTIONS = new TypeReference<>() {
    };

    private ChatDefaults() {
    }

    static ChatSettings of(ChatConfig cfg) {
        return new ChatSettings(blankToNull(cfg.systemPrompt()), options(cfg.defaultOptions()), think(cfg.defaultThink()));
    }

    private static Map<String, Object> options(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return ModelOptions.validate(JSON.readValue(json, OPTIONS));
        } catch (JsonProcessingException | NeutronException e) {
            LOG.log(System.Logger.Level.WARNING, "Ignoring the default model options " + json + ": " + e.getMessage());
            return Map.of();
        }
    }

    private static String think(String think) {
        String value = blankToNull(think);
        try {
            return ModelOptions.validateThink(value == null ? null : value.strip());
        } catch (NeutronException e) {
            LOG.log(System.Logger.Level.WARNING, "Ignoring the default thinking: " + e.getMessage());
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
