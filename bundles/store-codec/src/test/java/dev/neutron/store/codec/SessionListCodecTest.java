package dev.neutron.store.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    @Test
    void settingsAndAutoTitleAreWrittenWhenSetAndReadBack() throws IOException {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        ChatSettings settings = new ChatSettings("Be a pirate.", Map.of("temperature", 0.2, "seed", 7L), "high");
        ChatSession session = new ChatSession("chat_0123456789abcdef", "New chat", null, t, t, 0, null, settings, true);
        String json = new String(SessionListCodec.write(List.of(session)), StandardCharsets.UTF_8);
        assertEquals("""
                [ {
                  "id" : "chat_0123456789abcdef",
                  "title" : "New chat",
                  "model" : null,
                  "createdAt" : "2026-01-01T00:00:00Z",
                  "updatedAt" : "2026-01-01T00:00:00Z",
                  "messageCount" : 0,
                  "settings" : {
                    "systemPrompt" : "Be a pirate.",
                    "options" : {
                      "seed" : 7,
                      "temperature" : 0.2
                    },
                    "think" : "high"
                  },
                  "autoTitle" : true
                } ]""", json);
        assertEquals(List.of(session), SessionListCodec.read(json.getBytes(StandardCharsets.UTF_8)));
        ChatSession plain = new ChatSession("chat_0123456789abcdef", "t", null, t, t, 0, null,
                new ChatSettings("", Map.of(), null), false);
        String noOptions = new String(SessionListCodec.write(List.of(plain)), StandardCharsets.UTF_8);
        assertEquals(true, noOptions.contains("\"settings\" : {\n    \"systemPrompt\" : \"\"\n  }"), noOptions);
        assertEquals(false, noOptions.contains("autoTitle"), noOptions);
        assertEquals(List.of(plain), SessionListCodec.read(noOptions.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sessionsWrittenBeforeHaveNoSettingsAndATitleAUserGave() throws IOException {
        for (ChatSession session : SessionListCodec.read(SESSIONS)) {
            assertEquals(ChatSettings.NONE, session.settings());
            assertEquals(false, session.autoTitle());
        }
    }

    @Test
    void entriesCarryTheirHistorySizeWhichReadersOfTheSessionsAloneIgnore() throws IOException {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        ChatSession sized = new ChatSession("chat_0123456789abcdef", "t", null, t, t, 3, "msg_c");
        ChatSession unsized = new ChatSession("chat_fedcba9876543210", "u", null, t, t, 0);
        byte[] json = SessionListCodec.writeEntries(List.of(new SessionListCodec.Entry(sized, 1234L),
                new SessionListCodec.Entry(unsized, null)));
        assertEquals("""
                [ {
                  "id" : "chat_0123456789abcdef",
                  "title" : "t",
                  "model" : null,
                  "createdAt" : "2026-01-01T00:00:00Z",
                  "updatedAt" : "2026-01-01T00:00:00Z",
                  "messageCount" : 3,
                  "activeLeafId" : "msg_c",
                  "historyBytes" : 1234
                }, {
                  "id" : "chat_fedcba9876543210",
                  "title" : "u",
                  "model" : null,
                  "createdAt" : "2026-01-01T00:00:00Z",
                  "updatedAt" : "2026-01-01T00:00:00Z",
                  "messageCount" : 0
                } ]""", new String(json, StandardCharsets.UTF_8));
        assertEquals(List.of(new SessionListCodec.Entry(sized, 1234L), new SessionListCodec.Entry(unsized, null)),
                SessionListCodec.readEntries(json));
        assertEquals(List.of(sized, unsized), SessionListCodec.read(json), "as a version before 1.5 reads it");
    }

    @Test
    void aSessionsFileWrittenBeforeReadsAsEntriesWithoutSizes() throws IOException {
        assertEquals(SessionListCodec.read(SESSIONS).stream().map(s -> new SessionListCodec.Entry(s, null)).toList(),
                SessionListCodec.readEntries(SESSIONS));
        byte[] odd = "[null,{\"id\":\"chat_0123456789abcdef\",\"title\":\"t\",\"historyBytes\":\"12\",\"pinned\":{\"a\":[1]}}]"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(new SessionListCodec.Entry(new ChatSession("chat_0123456789abcdef", "t", null, null, null, 0),
                null)), SessionListCodec.readEntries(odd), "null entries left out, a size that is no number is none");
    }

    @Test
    void entriesThatAreNoListAreUnreadable() {
        assertEquals("it holds null, not a list of sessions", assertThrows(IOException.class,
                () -> SessionListCodec.readEntries("null".getBytes(StandardCharsets.UTF_8))).getMessage());
        assertThrows(IOException.class, () -> SessionListCodec.readEntries("[{\"id\":1".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> SessionListCodec.readEntries("[{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> SessionListCodec.readEntries("".getBytes(StandardCharsets.UTF_8)));
    }
}
