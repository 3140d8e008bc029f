package dev.neutron.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.store.codec.MessageCodec;

/**
 * A {@link ChatMessage} as the JSON text of its {@code record} column ({@link MessageCodec}: the same text as a line of
 * the JSONL store), text and not {@code jsonb}, which cannot hold {@code \u0000} and would re-format the record; so a
 * message reads back exactly as it was appended, nanoseconds included.
 */
final class MessageRecords {
    private final String displayUrl;

    /** @param displayUrl where the rows are, as it may be shown (no password): named when a row is unreadable */
    MessageRecords(String displayUrl) {
        this.displayUrl = displayUrl;
    }

    MessageRow row(ChatMessage message) {
        return new MessageRow(message.id(), message.parentId(), MessageCodec.write(message));
    }

    /** @throws NeutronException {@code storage_error} naming the database when the record is not a message */
    ChatMessage read(String record) {
        try {
            return MessageCodec.read(record);
        } catch (JsonProcessingException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "A message row in " + displayUrl
                    + " is not a readable message: " + e.getOriginalMessage(), e);
        }
    }
}
