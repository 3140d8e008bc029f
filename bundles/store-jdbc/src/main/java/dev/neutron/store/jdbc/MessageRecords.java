package dev.neutron.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;

/**
 * A {@link ChatMessage} as the JSON text of its {@code record} column (text, not {@code jsonb}, which cannot hold
 * {@code \u0000} and would re-format the record), so a message reads back exactly as it was appended, nanoseconds
 * included.
 */
final class MessageRecords {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String displayUrl;

    /** @param displayUrl where the rows are, as it may be shown (no password): named when a row is unreadable */
    MessageRecords(String displayUrl) {
        this.displayUrl = displayUrl;
    }

    String write(ChatMessage message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new NeutronException(ErrorCode.INTERNAL_ERROR, "Cannot serialise message " + message.id(), e);
        }
    }

    MessageRow row(ChatMessage message) {
        return new MessageRow(message.id(), write(message));
    }

    /** @throws NeutronException {@code storage_error} naming the database when the record is not a message */
    ChatMessage read(String record) {
        try {
            return JSON.readValue(record, ChatMessage.class);
        } catch (JsonProcessingException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "A message row in " + displayUrl
                    + " is not a readable message: " + e.getOriginalMessage(), e);
        }
    }
}
