package dev.neutron.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.neutron.api.ChatResult;
import dev.neutron.api.NeutronException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the SSE reader of streamed {@code /chat/completions} answers. Any byte stream either ends
 * as an answer or fails with a {@link NeutronException}, never anything else; and an answer framed by the SSE rules
 * (any of LF, CRLF or CR, comments, multi-line data) and cut into network reads anywhere reads back delta for delta.
 * Regression inputs: {@code SseStreamFuzzTestInputs/}.
 */
class SseStreamFuzzTest {
    private static final OpenAiErrors ERRORS = new OpenAiErrors(OpenAiSettings.from(TestConfigs.config(
            Map.of("baseUrl", "http://127.0.0.1:8080/v1", "displayPrefix", "local")), Map.of()));
    private static final String[] LINE_ENDS = {"\n", "\r\n", "\r"};

    @FuzzTest
    void readsAnyStreamAsAnAnswerOrAChatError(byte[] input) throws IOException {
        try {
            new ChatCompletionReader(new RecordingListener(), ERRORS)
                    .read(new SseEventReader(new ByteArrayInputStream(input), () -> { }), System.nanoTime());
        } catch (NeutronException expected) {
            // the documented failure: shown to the user as the answer's error
        }

        List<String> deltas = List.of(new String(input, StandardCharsets.UTF_8).split("\0", -1));
        RecordingListener tokens = new RecordingListener();
        ChatResult result = new ChatCompletionReader(tokens, ERRORS)
                .read(new SseEventReader(inReadsOf(sse(deltas, input), input), () -> { }), System.nanoTime());
        assertEquals(deltas.stream().filter(d -> !d.isEmpty()).toList(), tokens.deltas());
        assertEquals("stop", result.finishReason());
    }

    /** Each delta one event; the line ends, comments and data split over two lines vary with the input's bytes. */
    private static byte[] sse(List<String> deltas, byte[] input) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < deltas.size(); i++) {
            int choice = input.length == 0 ? 0 : input[i % input.length] & 0xff;
            String end = LINE_ENDS[choice % 3];
            ObjectNode chunk = OpenAiClient.JSON.createObjectNode();
            chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", deltas.get(i));
            String json = OpenAiClient.JSON.writeValueAsString(chunk);
            if ((choice & 4) != 0) {
                out.append(": keep-alive").append(end);
            }
            if ((choice & 8) != 0) {
                // JSON allows a line break between tokens; data lines of one event are joined with LF
                int cut = json.indexOf(",\"delta\"");
                out.append("data: ").append(json, 0, cut).append(end).append("data:").append(json.substring(cut)).append(end);
            } else {
                out.append("data: ").append(json).append(end);
            }
            out.append(end);
        }
        out.append("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A stream that hands out {@code bytes} in reads of 1 to 16 bytes, the sizes taken from {@code sizes}. */
    private static InputStream inReadsOf(byte[] bytes, byte[] sizes) {
        return new InputStream() {
            private int position;
            private int read;

            @Override
            public int read() {
                return position < bytes.length ? bytes[position++] & 0xff : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (position >= bytes.length) {
                    return -1;
                }
                int size = sizes.length == 0 ? length : 1 + (sizes[read++ % sizes.length] & 0x0f);
                int n = Math.min(Math.min(size, length), bytes.length - position);
                System.arraycopy(bytes, position, buffer, offset, n);
                position += n;
                return n;
            }
        };
    }
}
