package dev.neutron.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The bytes of one Server-Sent Event: {@code id:}, {@code event:} and one {@code data:} line of JSON. A text delta
 * ({@code {"text": …}}, one per token) is written with Jackson's string escaping straight into the frame; anything
 * else goes through {@link Json#MAPPER}. Both give the same bytes for the same data; Jackson escapes newlines inside
 * strings, so the JSON is always one data line.
 */
final class SseFrame {
    private SseFrame() {
    }

    static byte[] of(long id, String type, Object data) {
        StringBuilder frame = new StringBuilder(64);
        frame.append("id: ").append(id).append('\n');
        frame.append("event: ").append(type).append('\n');
        frame.append("data: ");
        String text = onlyText(data);
        if (text != null) {
            frame.append("{\"text\":\"");
            JsonStringEncoder.getInstance().quoteAsString(text, frame);
            frame.append("\"}");
        } else {
            try {
                frame.append(Json.MAPPER.writeValueAsString(data));
            } catch (IOException e) {
                frame.append("{}");
            }
        }
        frame.append("\n\n");
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The text when {@code data} is a map of {@code text} alone to a string, else null. */
    private static String onlyText(Object data) {
        if (data instanceof Map<?, ?> map && map.size() == 1 && map.get("text") instanceof String text) {
            return text;
        }
        return null;
    }
}
