package dev.neutron.store.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatSession;
import dev.neutron.store.codec.SessionChangeCodec.Change;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionChangeCodecTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final ChatSession SESSION = new ChatSession("chat_0123456789abcdef", "t", null, T, T, 2, "m2");

    private static Change read(String line) throws IOException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return SessionChangeCodec.read(bytes, 0, bytes.length);
    }

    @Test
    void aChangeWithTheHistorySizeReadsBackWithIt() throws IOException {
        String line = new String(SessionChangeCodec.write(new Change(SESSION.id(), SESSION, 640L)), StandardCharsets.UTF_8);
        assertEquals("{\"id\":\"chat_0123456789abcdef\",\"session\":{\"id\":\"chat_0123456789abcdef\",\"title\":\"t\","
                + "\"model\":null,\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\","
                + "\"messageCount\":2,\"activeLeafId\":\"m2\"},\"historyBytes\":640}", line);
        assertEquals(new Change(SESSION.id(), SESSION, 640L), read(line));
    }

    @Test
    void aChangeOfVersion14HasNoSizeAndARemovalNoSession() throws IOException {
        String line = new String(SessionChangeCodec.write(new Change(SESSION.id(), SESSION)), StandardCharsets.UTF_8);
        assertEquals(false, line.contains("historyBytes"), line);
        assertEquals(new Change(SESSION.id(), SESSION, null), read(line));
        assertEquals(new Change(SESSION.id(), null, null), read("{\"id\":\"chat_0123456789abcdef\",\"session\":null}"));
    }

    @Test
    void aLineCutShortOrOfAnotherSessionIsNoChange() {
        assertThrows(IOException.class, () -> read("{\"id\":\"chat_0123456789abcdef\",\"session\":{\"id\":\"chat_01"));
        assertThrows(IOException.class, () -> read("{\"id\":\"chat_0123456789abcdef\",\"session\":{\"id\":\"chat_x\"}}"));
        assertThrows(IOException.class, () -> read("null"));
    }
}
