package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonLinesTest {
    private static final String STREAM = "{\"a\":\"héllo 🌍\"}\n{\"b\":2}\r\n\n{\"c\":\"\\n\"}\r{\"d\":4}";
    private static final List<String> LINES = List.of("{\"a\":\"héllo 🌍\"}", "{\"b\":2}", "{\"c\":\"\\n\"}",
            "{\"d\":4}");

    @Test
    void cutsLinesAtEveryLineBreakAndHandsOnTheLastAtTheEnd() {
        assertEquals(LINES, linesOf(List.of(heap(STREAM.getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void gathersLinesAndCharactersSplitAcrossBuffersCutAnywhere() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int size = 1; size <= bytes.length; size++) {
            List<ByteBuffer> buffers = new ArrayList<>();
            for (int at = 0; at < bytes.length; at += size) {
                ByteBuffer buffer = size % 2 == 0 ? ByteBuffer.allocateDirect(Math.min(size, bytes.length - at))
                        : ByteBuffer.allocate(Math.min(size, bytes.length - at) + 3).position(2);
                buffer.put(bytes, at, Math.min(size, bytes.length - at)).flip();
                if (size % 2 != 0) {
                    buffer.position(2);
                }
                buffers.add(size % 3 == 0 ? buffer.asReadOnlyBuffer() : buffer);
            }
            assertEquals(LINES, linesOf(buffers), "buffers of " + size + " bytes");
            buffers.forEach(buffer -> assertEquals(0, buffer.remaining(), "every buffer is consumed"));
        }
    }

    @Test
    void aLongLineGrowsItsBuffer() {
        String line = "{\"text\":\"" + "x".repeat(100_000) + "\"}";
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += 4096) {
            buffers.add(ByteBuffer.wrap(bytes, at, Math.min(4096, bytes.length - at)).slice());
        }
        assertEquals(List.of(line), linesOf(buffers));
    }

    private static ByteBuffer heap(byte[] bytes) {
        return ByteBuffer.wrap(bytes);
    }

    private static List<String> linesOf(List<ByteBuffer> buffers) {
        List<String> lines = new ArrayList<>();
        NdjsonLines split = new NdjsonLines((bytes, offset, length) ->
                lines.add(new String(bytes, offset, length, StandardCharsets.UTF_8)));
        buffers.forEach(split::accept);
        split.finish();
        return lines;
    }
}
