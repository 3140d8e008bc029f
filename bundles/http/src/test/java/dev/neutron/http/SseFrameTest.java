package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A text delta's frame, written without Jackson's mapper, has the bytes the mapper gives. */
class SseFrameTest {
    private static final List<String> TEXTS = List.of("", "Hi", "Hi\nthere", "quote \" and \\ backslash / slash",
            "tab\t cr\r ff\f bs\b nul\u0000 unit\u001f del\u007f", "héllo wörld", "🌍 emoji and \ud83d alone",
            "line\u2028sep\u2029para", "<script>&amp;</script>", "x".repeat(5000));

    @Test
    void writesATokenFrameExactly() {
        assertEquals("id: 42\nevent: token\ndata: {\"text\":\"a \\\"b\\\"\\n\\u0001é🌍\"}\n\n",
                new String(SseFrame.of(42, "token", Map.of("text", "a \"b\"\n\u0001é🌍")), StandardCharsets.UTF_8));
    }

    @Test
    void aTextDeltaHasTheBytesTheMapperWrites() throws Exception {
        for (String text : TEXTS) {
            for (String type : List.of("token", "thinking")) {
                assertEquals(new String(viaMapper(7, type, Map.of("text", text)), StandardCharsets.UTF_8),
                        new String(SseFrame.of(7, type, Map.of("text", text)), StandardCharsets.UTF_8), text);
            }
        }
    }

    @Test
    void otherDataGoesThroughTheMapper() throws Exception {
        Map<String, Object> two = new LinkedHashMap<>();
        two.put("text", "a");
        two.put("more", 1);
        List<Object> data = List.of(Map.of(), Map.of("text", 5), Map.of("reason", "stop"), two, List.of("text"));
        for (Object each : data) {
            assertEquals(new String(viaMapper(3, "done", each), StandardCharsets.UTF_8),
                    new String(SseFrame.of(3, "done", each), StandardCharsets.UTF_8));
        }
        assertEquals("id: 3\nevent: done\ndata: {\"text\":\"a\",\"more\":1}\n\n",
                new String(SseFrame.of(3, "done", two), StandardCharsets.UTF_8));
    }

    /** How every frame was written before: the mapper's JSON as one data line. */
    private static byte[] viaMapper(long id, String type, Object data) throws Exception {
        return ("id: " + id + "\nevent: " + type + "\ndata: " + Json.MAPPER.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
