package dev.neutron.store.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.GenerationStats;
import java.util.Map;

/**
 * The one Jackson configuration of stored chats: times as ISO-8601 text to the nanosecond, every field written (nulls
 * too, except the fields added later, so that what was written before reads and writes back byte for byte), fields
 * of a newer version ignored on reading. Changing it changes what is on disk and in the database.
 */
final class StoreMapper {
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(ChatMessage.class, MessageFields.class)
            .addMixIn(ChatSession.class, SessionFields.class)
            .addMixIn(GenerationStats.class, StatsFields.class)
            .addMixIn(ChatSettings.class, SettingsFields.class);

    /**
     * {@code parentId} and {@code thinking} are written only when there is one: a first message, and a message without
     * thinking, look as they did before.
     */
    private abstract static class MessageFields {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String parentId();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String thinking();
    }

    /** {@code activeLeafId}, {@code settings} and {@code autoTitle} are written only when set. */
    private abstract static class SessionFields {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String activeLeafId();

        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoSettings.class)
        abstract ChatSettings settings();

        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract boolean autoTitle();
    }

    /** {@code options}, {@code thinkingMs} and {@code contextReload} are written only when set (true). */
    private abstract static class StatsFields {
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract Map<String, Object> options();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract Long thinkingMs();

        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract boolean contextReload();
    }

    /** Only what a chat sets. */
    private abstract static class SettingsFields {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String systemPrompt();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract Map<String, Object> options();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String think();
    }

    /** Jackson's filter: a value equal to this one is left out. */
    static final class NoSettings {
        @Override
        public boolean equals(Object value) {
            return value == null || ChatSettings.NONE.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    private StoreMapper() {
    }
}
