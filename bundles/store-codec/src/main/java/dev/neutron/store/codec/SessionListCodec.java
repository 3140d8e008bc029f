package dev.neutron.store.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
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
     * 1.5 has none); {@code null} entries are left out.
     *
     * @throws IOException when the bytes are not a list of sessions
     */
    public static List<Entry> readEntries(byte[] utf8) throws IOException {
        JsonNode stored = StoreMapper.JSON.readTree(utf8);
        if (stored == null || !stored.isArray()) {
            throw new IOException("it holds " + (stored == null || stored.isMissingNode() ? "nothing"
                    : stored.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)) + ", not a list of sessions");
        }
        List<Entry> entries = new ArrayList<>(stored.size());
        for (JsonNode node : stored) {
            if (node.isNull()) {
                continue;
            }
            ChatSession session = StoreMapper.JSON.treeToValue(node, ChatSession.class);
            JsonNode size = node.get(HISTORY_BYTES);
            entries.add(new Entry(session, size != null && size.canConvertToLong() && size.isIntegralNumber()
                    ? size.longValue() : null));
        }
        return entries;
    }
}
