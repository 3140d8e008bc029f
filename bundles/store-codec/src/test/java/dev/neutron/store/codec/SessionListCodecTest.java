package dev.neutron.store.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionListCodecTest {
    private static final byte[] SESSIONS = Fixtures.bytes("sessions.json");

    @Test
    void aSessionsFileWrittenBeforeReadsBackAndWritesByteForByteTheSame() throws IOException {
        List<ChatSession> sessions = SessionListCodec.read(SESSIONS);
        assertEquals(List.of(
                new ChatSession("chat_0123456789abcdef", "Trip plans ✓ 日本語 \"q\"", "smollm2:135m",
                        Instant.parse("2026-11-26T21:11:19.634170705Z"), Instant.parse("2026-11-26T21:11:21.100Z"), 5),
                new ChatSession("chat_fedcba9876543210", "New chat", null,
                        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), 0)), sessions);
        assertEquals(new String(SESSIONS, StandardCharsets.UTF_8),
                new String(SessionListCodec.write(sessions), StandardCharsets.UTF_8));
    }

    @Test
    void leavesOutNullEntriesAndUnknownFields() throws IOException {
        byte[] json = "[null,{\"id\":\"chat_0123456789abcdef\",\"title\":\"t\",\"pinned\":true}]".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(new ChatSession("chat_0123456789abcdef", "t", null, null, null, 0)), SessionListCodec.read(json));
    }

    @Test
    void aFileThatHoldsNoListIsUnreadable() {
        IOException nullDocument = assertThrows(IOException.class,
                () -> SessionListCodec.read("null".getBytes(StandardCharsets.UTF_8)));
        assertEquals("it holds null, not a list of sessions", nullDocument.getMessage());
        assertThrows(IOException.class, () -> SessionListCodec.read("{\"id\":1".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEmptyListIsAnEmptyArray() throws IOException {
        assertEquals("[ ]", new String(SessionListCodec.write(List.of()), StandardCharsets.UTF_8));
    }

    @Test
    void anActiveLeafIsWrittenWhenThereIsOneAndReadBack() throws IOException {
        ChatSession session = new ChatSession("chat_0123456789abcdef", "t", null, Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"), 3, "msg_b");
        String json = new String(SessionListCodec.write(List.of(session)), StandardCharsets.UTF_8);
        assertEquals(true, json.contains("\"activeLeafId\" : \"msg_b\""), json);
        assertEquals(List.of(session), SessionListCodec.read(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(false, new String(SessionListCodec.write(List.of(session.withActiveLeaf(null))),
                StandardCharsets.UTF_8).contains("activeLeafId"));
    }
}
