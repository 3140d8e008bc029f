package dev.neutron.store.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.neutron.api.ChatSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The list of sessions as one JSON array, indented for people who open {@code sessions.json}. An entry may also say
 * how many bytes the session's history file had when the entry was written ({@code historyBytes}, since 1.5), so that
 * a start sees from the file's size alone that it holds what the entry counts; readers that do not know the field
 * ignore it.
 */
public final class SessionListCodec {
    static final String HISTORY_BYTES = "historyBytes";
    private static final ObjectReader SESSION = StoreMapper.JSON.readerFor(ChatSession.class);

    /** Line feeds on every platform, so the file is the same wherever it was written. */
    private static final ObjectWriter PRETTY = StoreMapper.JSON.writer(
            new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private SessionListCodec() {
    }

    /** A session with the size of its history file when it was written; {@code historyBytes} null: not known. */
    public record Entry(ChatSession session, Long historyBytes) {
    }

    public static byte[] write(Collection<ChatSession> sessions) throws JsonProcessingException {
        return PRETTY.writeValueAsBytes(new ArrayList<>(sessions));
    }

    /**
     * The sessions in the order written; {@code null} entries are left out.
     *
     * @throws IOException when the bytes are not a list of sessions
     */
    public static List<ChatSession> read(byte[] utf8) throws IOException {
        ChatSession[] stored = StoreMapper.JSON.readValue(utf8, ChatSession[].class);
        if (stored == null) {
            throw new IOException("it holds null, not a list of sessions");
        }
        return Arrays.stream(stored).filter(Objects::nonNull).toList();
    }

    /** The sessions with their history sizes, in the order given. */
    public static byte[] writeEntries(Collection<Entry> entries) throws JsonProcessingException {
        ArrayNode list = StoreMapper.JSON.createArrayNode();
        for (Entry entry : entries) {
            ObjectNode session = StoreMapper.JSON.valueToTree(entry.session());
            if (entry.historyBytes() != null) {
                session.put(HISTORY_BYTES, entry.historyBytes());
            }
            list.add(session);
        }
        return PRETTY.writeValueAsBytes(list);
    }

    /**
     * The sessions in the order written, each with its history size if the entry has one (a file of a version before
     * 1.5 has none); {@code null} entries are left out. Read in one pass, with no tree in between: a start reads
     * thousands of them.
     *
     * @throws IOException when the bytes are not a list of sessions
     */
    public static List<Entry> readEntries(byte[] utf8) throws IOException {
        try (JsonParser parser = StoreMapper.JSON.createParser(utf8)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw new IOException("it holds " + (first == null ? "nothing"
                        : first == JsonToken.VALUE_NULL ? "null" : "no array") + ", not a list of sessions");
            }
            HistoryBytesField historyBytes = new HistoryBytesField();
            ObjectReader reader = SESSION.withHandler(historyBytes);
            List<Entry> entries = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (!parser.hasCurrentToken()) {
                    throw new IOException("the list of sessions ends early");
                }
                historyBytes.value = null;
                ChatSession session = reader.readValue(parser);
                if (session != null) {
                    entries.add(new Entry(session, historyBytes.value));
                }
            }
            return entries;
        }
    }

    /** Catches the {@code historyBytes} of the entry being read, a field {@link ChatSession} does not have. */
    private static final class HistoryBytesField extends DeserializationProblemHandler {
        private Long value;

        @Override
        public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
                JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
            if (HISTORY_BYTES.equals(propertyName) && parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                value = parser.getLongValue();
                return true;
            }
            return false;
        }
    }
}
