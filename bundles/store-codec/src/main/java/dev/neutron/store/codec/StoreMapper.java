package dev.neutron.store.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;

/**
 * The one Jackson configuration of stored chats: times as ISO-8601 text to the nanosecond, every field written (nulls
 * too, except the tree fields added later, so that what was written before reads and writes back byte for byte), fields
 * of a newer version ignored on reading. Changing it changes what is on disk and in the database.
 */
final class StoreMapper {
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(ChatMessage.class, MessageFields.class)
            .addMixIn(ChatSession.class, SessionFields.class);

    /** {@code parentId} is written only when there is one: a first message looks as it did before trees. */
    private abstract static class MessageFields {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String parentId();
    }

    /** {@code activeLeafId} is written only when there is one. */
    private abstract static class SessionFields {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String activeLeafId();
    }

    private StoreMapper() {
    }
}
