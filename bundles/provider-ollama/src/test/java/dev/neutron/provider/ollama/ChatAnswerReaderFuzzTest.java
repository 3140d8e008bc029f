package dev.neutron.provider.ollama;

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

/**
 * Coverage-guided fuzzing of the NDJSON reader of Ollama's {@code /api/chat} answers. Any byte stream either ends as an
 * answer or fails with a {@link NeutronException} (the error the chat reports), never anything else; and an answer
 * written by Ollama's rules, cut into network reads anywhere (even inside a UTF-8 character), reads back delta for
 * delta. Regression inputs: {@code ChatAnswerReaderFuzzTestInputs/}.
 */
class ChatAnswerReaderFuzzTest {
    @FuzzTest
    void readsAnyStreamAsAnAnswerOrAChatError(byte[] input) throws IOException {
        try {
            new ChatAnswerReader(new TokenRecorder()).read(new ByteArrayInputStream(input));
        } catch (NeutronException expected) {
            // the documented failure: shown to the user as the answer's error
        }

        List<String> deltas = deltasOf(input);
        TokenRecorder tokens = new TokenRecorder();
        ChatResult result = new ChatAnswerReader(tokens).read(inReadsOf(ndjson(deltas), input));
        assertEquals(deltas.stream().filter(d -> !d.isEmpty()).toList(), tokens.deltas());
        assertEquals("stop", result.finishReason());
        assertEquals(deltas.size(), result.completionTokens());
    }

    /** The input's text split at NUL: each piece one delta. */
    static List<String> deltasOf(byte[] input) {
        return List.of(new String(input, StandardCharsets.UTF_8).split("\0", -1));
    }

    private static byte[] ndjson(List<String> deltas) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String delta : deltas) {
            ObjectNode line = OllamaClient.JSON.createObjectNode().put("model", "m").put("done", false);
            line.putObject("message").put("role", "assistant").put("content", delta);
            out.write(OllamaClient.JSON.writeValueAsBytes(line));
            out.write('\n');
        }
        ObjectNode done = OllamaClient.JSON.createObjectNode().put("model", "m").put("done", true)
                .put("done_reason", "stop").put("eval_count", deltas.size());
        out.write(OllamaClient.JSON.writeValueAsBytes(done));
        out.write('\n');
        return out.toByteArray();
    }

    /** A stream that hands out {@code bytes} in reads of 1 to 16 bytes, the sizes taken from {@code sizes}. */
    static InputStream inReadsOf(byte[] bytes, byte[] sizes) {
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
