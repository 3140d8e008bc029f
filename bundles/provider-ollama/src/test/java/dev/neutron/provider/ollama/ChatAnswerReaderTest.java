package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatResult;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatAnswerReaderTest {
    private static final String HELLO = "{\"message\":{\"role\":\"assistant\",\"content\":\"Héllo \"},\"done\":false}";
    private static final String WORLD = "{\"message\":{\"role\":\"assistant\",\"content\":\"wörld 🌍\"},\"done\":false}";
    private static final String DONE = "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
            + "\"done_reason\":\"length\",\"total_duration\":1039517916,\"prompt_eval_count\":33,\"eval_count\":31}";

    @Test
    void assemblesLinesAndCharactersDeliveredOneByteAtATime() {
        TokenRecorder tokens = new TokenRecorder();

        ChatResult result = new ChatAnswerReader(tokens).read(oneByteAtATime(HELLO + "\n" + WORLD + "\n" + DONE + "\n"));

        assertEquals(List.of("Héllo ", "wörld 🌍"), tokens.deltas());
        assertEquals(new ChatResult("length", 33, 31, 1039517916L), result);
    }

    @Test
    void finalLineWithoutReasonOrCountsEndsAsStopWithUnknownCounts() {
        ChatResult result = new ChatAnswerReader(new TokenRecorder()).read(bytes("{\"done\":true}\n"));

        assertEquals(new ChatResult("stop", null, null, null), result);
    }

    @Test
    void skipsBlankLinesAndEmptyDeltas() {
        TokenRecorder tokens = new TokenRecorder();
        String empty = "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":false}";

        new ChatAnswerReader(tokens).read(bytes("\n" + empty + "\n\r\n" + HELLO + "\n\n" + DONE));

        assertEquals(List.of("Héllo "), tokens.deltas());
    }

    @Test
    void errorLineBeforeAnyOutputSaysSo() {
        NeutronException error = assertThrows(NeutronException.class,
                () -> new ChatAnswerReader(new TokenRecorder()).read(bytes("{\"error\":\"out of memory\"}\n")));

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertEquals("Ollama reported an error instead of an answer: out of memory", error.getMessage());
    }

    @Test
    void endWithoutFinalLineIsAnError() {
        NeutronException error = assertThrows(NeutronException.class,
                () -> new ChatAnswerReader(new TokenRecorder()).read(bytes(HELLO + "\n")));

        assertEquals("The connection to Ollama closed before the answer was complete.", error.getMessage());
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream oneByteAtATime(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(length, 1));
            }
        };
    }
}
