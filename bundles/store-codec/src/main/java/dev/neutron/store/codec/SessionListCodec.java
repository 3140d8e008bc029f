package dev.neutron.store.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.neutron.api.ChatSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** The list of sessions as one JSON array, indented for people who open {@code sessions.json}. */
public final class SessionListCodec {
    /** Line feeds on every platform, so the file is the same wherever it was written. */
    private static final ObjectWriter PRETTY = StoreMapper.JSON.writer(
            new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private SessionListCodec() {
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
}
