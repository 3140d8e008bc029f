package dev.neutron.store.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;

/**
 * A {@link ChatMessage} as the JSON text both stores keep: a line of a JSONL history, the {@code record} column of a
 * PostgreSQL row. One line (a newline in the content is escaped), and it reads back as the same message.
 */
public final class MessageCodec {
    /** Resolved once: a chat of thousands of lines is read without looking the deserializer up per line. */
    private static final ObjectReader MESSAGE = StoreMapper.JSON.readerFor(ChatMessage.class);
    private MessageCodec() {
    }

    /** @throws NeutronException {@code internal_error} if the message cannot be written (a bug) */
    public static String write(ChatMessage message) {
        try {
            return StoreMapper.JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new NeutronException(ErrorCode.INTERNAL_ERROR, "Cannot serialise message " + message.id(), e);
        }
    }

    /** @throws JsonProcessingException when the text is not a message; the store says where it was */
    public static ChatMessage read(String json) throws JsonProcessingException {
        return present(MESSAGE.readValue(json));
    }

    /**
     * Reads a message from UTF-8 bytes, e.g. one line of a file read whole.
     *
     * @throws IOException when the bytes are not a message, malformed UTF-8 (a line cut inside a character) included
     */
    public static ChatMessage read(byte[] utf8, int offset, int length) throws IOException {
        return present(MESSAGE.readValue(utf8, offset, length));
    }

    /** Jackson reads the JSON literal {@code null} as a null value; it is no message either. */
    private static ChatMessage present(ChatMessage message) throws JsonMappingException {
        if (message == null) {
            throw new JsonMappingException(null, "The JSON is null, not a message object.");
        }
        return message;
    }
}
