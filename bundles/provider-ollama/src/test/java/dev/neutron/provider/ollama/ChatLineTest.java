package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.ChatResult;
import dev.neutron.api.NeutronException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming read of an answer's line gives what reading it as a tree gave, field for field. */
class ChatLineTest {
    private static final List<String> LINES = List.of(
            "{\"model\":\"m\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"Hé \\\"quoted\\\" \\\\ back\\nslash \\u00e9 \\ud83c\\udf0d 🌍\\t\\u0001\"},\"done\":false}",
            "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"let me \\\"think\\\"\\n\"},\"done\":false}",
            "{\"message\":{\"role\":\"assistant\",\"thinking\":\"both\",\"content\":\"at once\"},\"done\":false}",
            "{\"message\":{\"content\":\"x\",\"images\":[{\"a\":[1,2,{\"content\":\"nested\"}]}],\"tool_calls\":[]},\"done\":false}",
            "{\"done\":true,\"done_reason\":\"length\",\"total_duration\":1039517916123,\"load_duration\":1,"
                    + "\"prompt_eval_count\":33,\"prompt_eval_duration\":2,\"eval_count\":31,\"eval_duration\":3,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"\"}}",
            "{\"done\":true}",
            "{\"done\":\"true\",\"done_reason\":null,\"eval_count\":\"12\",\"prompt_eval_count\":7.9,\"total_duration\":\"x\"}",
            "{\"done\":1,\"done_reason\":5,\"eval_count\":true,\"prompt_eval_count\":{\"a\":1},\"total_duration\":12.5}",
            "{\"done\":0.5,\"eval_count\":99999999999}",
            "{\"done\":false,\"message\":{\"content\":\"first\"},\"message\":{\"thinking\":\"second\"}}",
            "{\"message\":{\"content\":\"a\",\"content\":\"b\"},\"done\":false,\"done\":true}",
            "{\"message\":\"not an object\",\"done\":false}",
            "{\"message\":null,\"done\":null}",
            "{\"message\":{\"content\":null,\"thinking\":null}}",
            "{\"message\":{\"content\":42,\"thinking\":true}}",
            "{\"message\":{\"content\":[\"a\"],\"thinking\":{\"b\":1}}}",
            "{\"error\":\"out of memory\"}",
            "{\"error\":null,\"message\":{\"content\":\"fine\"}}",
            "{\"error\":404}",
            "{\"error\":{\"message\":\"nested\"}}",
            "[1,2,{\"done\":true}]",
            "\"just a string\"",
            "42",
            "{}",
            "{\"message\":{\"content\":\"trailing\"}} {\"done\":true}");

    @Test
    void readsEveryFieldAsTheTreeDid() throws Exception {
        for (String line : LINES) {
            assertEquals(readAsTree(line), readStreaming(line), line);
        }
    }

    @Test
    void handsOnTheExactDeltasOfTextAndThinking() {
        TokenRecorder tokens = new TokenRecorder();
        ChatAnswerReader reader = new ChatAnswerReader(tokens);

        reader.line(LINES.get(0));
        reader.line(LINES.get(1));
        reader.line(LINES.get(2));
        ChatResult end = reader.line(LINES.get(4));

        assertEquals(List.of("Hé \"quoted\" \\ back\nslash é 🌍 🌍\t\u0001", "at once"), tokens.deltas());
        assertEquals(List.of("let me \"think\"\n", "both"), tokens.thinkingDeltas());
        assertEquals(new ChatResult("length", 33, 31, 1039517916123L), end);
    }

    @Test
    void aLineThatIsNotJsonFailsAsBefore() {
        for (String line : List.of("{\"message\":{\"content\":\"cut", "{\"done\":tru}", "nonsense", "{\"a\":1,}",
                "[1,2", "{\"message\":{\"content\":\"x\"}")) {
            NeutronException error = assertThrows(NeutronException.class,
                    () -> new ChatAnswerReader(new TokenRecorder()).line(line), line);
            assertEquals("Ollama sent a line that is not JSON: " + line, error.getMessage());
        }
    }

    @Test
    void aLineInBytesReadsAsTheSameLineInText() {
        List<String> lines = new ArrayList<>(LINES);
        lines.addAll(List.of("   ", "\t\u000b\f", "{\"message\":{\"content\":\"é\"}}", "{\"done\":tru}"));
        for (String line : lines) {
            assertEquals(outcome(line.getBytes(StandardCharsets.UTF_8)), outcome(line), line);
        }
        byte[] malformed = "{\"message\":{\"content\":\"a\u0000\"}}".getBytes(StandardCharsets.UTF_8);
        malformed[malformed.length - 4] = (byte) 0xC0; // a lead byte without its continuation: U+FFFD in the text
        assertEquals(outcome(new String(malformed, StandardCharsets.UTF_8)), outcome(malformed));
        assertEquals("[[a\ufffd], [], null]", outcome(malformed));
        byte[] overlong = "{\"message\":{\"content\":\"a..\"}}".getBytes(StandardCharsets.UTF_8);
        overlong[overlong.length - 5] = (byte) 0xC0;
        overlong[overlong.length - 4] = (byte) 0xAE; // an overlong '.': two U+FFFD, as the text decoder has it
        assertEquals("[[a\ufffd\ufffd], [], null]", outcome(overlong));
    }

    /** The deltas, thinking deltas and end of a line, or the error it fails with. */
    private static String outcome(Object line) {
        TokenRecorder tokens = new TokenRecorder();
        try {
            ChatAnswerReader reader = new ChatAnswerReader(tokens);
            ChatResult end = line instanceof byte[] bytes ? reader.line(bytes, 0, bytes.length)
                    : reader.line((String) line);
            return List.of(tokens.deltas(), tokens.thinkingDeltas(), String.valueOf(end)).toString();
        } catch (NeutronException error) {
            return error.getMessage();
        }
    }

    /** What the line gave before: the deltas, the error and the end, read from its tree. */
    private static List<Object> readAsTree(String line) throws Exception {
        JsonNode event = OllamaClient.JSON.readTree(line);
        JsonNode message = event.path("message");
        List<Object> read = new ArrayList<>();
        read.add(event.hasNonNull("error") ? event.get("error").asText() : null);
        read.add(message.path("thinking").asText(""));
        read.add(message.path("content").asText(""));
        boolean done = event.path("done").asBoolean(false);
        read.add(done);
        read.add(done ? new ChatResult(event.path("done_reason").asText("stop"),
                event.hasNonNull("prompt_eval_count") ? event.get("prompt_eval_count").asInt() : null,
                event.hasNonNull("eval_count") ? event.get("eval_count").asInt() : null,
                event.hasNonNull("total_duration") ? event.get("total_duration").asLong() : null) : null);
        return read;
    }

    /** The same through {@link ChatAnswerReader}, which reads the line with {@link ChatLine}. */
    private static List<Object> readStreaming(String line) {
        TokenRecorder tokens = new TokenRecorder();
        List<Object> read = new ArrayList<>();
        ChatResult end;
        try {
            end = new ChatAnswerReader(tokens).line(line);
            read.add(null);
        } catch (NeutronException error) {
            String prefix = "Ollama reported an error instead of an answer: ";
            read.add(error.getMessage().substring(prefix.length()));
            end = null;
        }
        read.add(String.join("", tokens.thinkingDeltas()));
        read.add(String.join("", tokens.deltas()));
        read.add(end != null);
        read.add(end);
        return read;
    }
}
