package dev.neutron.provider.ollama;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts a byte stream into its lines as the bytes arrive, without decoding them: a line that arrives whole in one buffer
 * is handed on where it lies, one split across buffers is gathered first. A line ends at {@code \n} or {@code \r}
 * (so {@code \r\n} leaves an empty line, which is not handed on); the last one may end with the stream instead.
 * Neither byte occurs inside a UTF-8 character, so a character split across buffers arrives whole.
 */
final class NdjsonLines {
    /** Gets each non-empty line; the bytes are only valid during the call. */
    @FunctionalInterface
    interface Sink {
        void line(byte[] bytes, int offset, int length);
    }

    private final Sink sink;
    /** The start of a line whose end has not arrived yet. */
    private byte[] partial = new byte[0];
    private int partialLength;
    private byte[] scratch = new byte[0];

    NdjsonLines(Sink sink) {
        this.sink = sink;
    }

    void accept(ByteBuffer buffer) {
        byte[] bytes;
        int from;
        int to;
        if (buffer.hasArray()) {
            bytes = buffer.array();
            from = buffer.arrayOffset() + buffer.position();
            to = buffer.arrayOffset() + buffer.limit();
        } else {
            int length = buffer.remaining();
            if (scratch.length < length) {
                scratch = new byte[length];
            }
            buffer.duplicate().get(scratch, 0, length);
            bytes = scratch;
            from = 0;
            to = length;
        }
        buffer.position(buffer.limit());
        int start = from;
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                if (partialLength > 0) {
                    keep(bytes, start, i);
                    emitPartial();
                } else if (i > start) {
                    sink.line(bytes, start, i - start);
                }
                start = i + 1;
            }
        }
        keep(bytes, start, to);
    }

    /** The stream ended: a last line without a line break is handed on. */
    void finish() {
        emitPartial();
    }

    private void keep(byte[] bytes, int from, int to) {
        int length = to - from;
        if (length == 0) {
            return;
        }
        if (partial.length < partialLength + length) {
            partial = Arrays.copyOf(partial, Math.max(partialLength + length, partial.length * 2));
        }
        System.arraycopy(bytes, from, partial, partialLength, length);
        partialLength += length;
    }

    private void emitPartial() {
        if (partialLength > 0) {
            int length = partialLength;
            partialLength = 0;
            sink.line(partial, 0, length);
        }
    }
}
