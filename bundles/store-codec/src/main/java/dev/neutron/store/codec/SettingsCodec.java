package dev.neutron.store.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;

/**
 * A chat's {@link ChatSettings} as one JSON text, as the PostgreSQL store keeps it in a column (text, not
 * {@code jsonb}, like the message records: a system prompt may hold {@code \u0000}). No settings of its own is no text
 * at all, so rows written before settings existed read as {@link ChatSettings#NONE}.
 */
public final class SettingsCodec {
    private SettingsCodec() {
    }

    /** @return null for {@link ChatSettings#NONE} (or null) */
    public static String write(ChatSettings settings) {
        if (settings == null || settings.equals(ChatSettings.NONE)) {
            return null;
        }
        try {
            return StoreMapper.JSON.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new NeutronException(ErrorCode.INTERNAL_ERROR, "Cannot serialise chat settings", e);
        }
    }

    /** @throws JsonProcessingException when the text is not settings; the store says where it was */
    public static ChatSettings read(String json) throws JsonProcessingException {
        if (json == null || json.isBlank()) {
            return ChatSettings.NONE;
        }
        ChatSettings settings = StoreMapper.JSON.readValue(json, ChatSettings.class);
        return settings == null ? ChatSettings.NONE : settings;
    }
}
