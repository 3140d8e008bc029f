package dev.neutron.store.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.GenerationStats;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final byte[] HISTORY = Fixtures.bytes("history.jsonl");

    private static List<ChatMessage> readLines(byte[] bytes) throws IOException {
        List<ChatMessage> messages = new ArrayList<>();
        for (int start = 0, end; start < bytes.length; start = end + 1) {
            end = indexOfNewline(bytes, start);
            messages.add(MessageCodec.read(bytes, start, end - start));
        }
        return messages;
    }

    private static int indexOfNewline(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        throw new AssertionError("the fixture's last line has no newline");
    }

    @Test
    void aNullLineIsNoMessage() {
        byte[] line = "null".getBytes(StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> MessageCodec.read(line, 0, line.length));
        assertThrows(IOException.class, () -> MessageCodec.read(" null "));
    }

    @Test
    void historyLinesWrittenBeforeReadBackAndWriteByteForByteTheSame() throws IOException {
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
        for (ChatMessage message : readLines(HISTORY)) {
            rewritten.writeBytes((MessageCodec.write(message) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(new String(HISTORY, StandardCharsets.UTF_8), rewritten.toString(StandardCharsets.UTF_8));
        assertEquals(Arrays.toString(HISTORY), Arrays.toString(rewritten.toByteArray()));
    }

    @Test
    void historyLinesWrittenBeforeReadAsTheMessagesTheyWere() throws IOException {
        List<ChatMessage> messages = readLines(HISTORY);
        assertEquals(5, messages.size());
        ChatMessage question = messages.get(0);
        assertEquals("msg_0586b93990814d0bb850b86422bd43e0", question.id());
        assertEquals(MessageRole.user, question.role());
        assertEquals("Hello ünïcödé ✓ 日本語 😀 👩‍👩‍👧 e\u0301 \"quotes\" \\backslash\\ tab\tnew\nline\r\n nul\u0000end "
                + "<b>&amp;</b> '/' \u2028\u2029 \u007f \u0007", question.content());
        assertEquals(Instant.parse("2026-11-26T21:11:19.634170705Z"), question.createdAt());
        assertEquals(List.of("att_0123456789abcdef"), question.attachments());
        assertEquals(new ChatMessage("msg_2a", MessageRole.assistant, "partial answer", "smollm2:135m",
                Instant.parse("2026-11-26T21:11:21.100Z"), MessageStatus.error,
                List.of("att_0123456789abcdef", "att_fedcba9876543210"),
                new ChatMessage.ErrorInfo("provider_timeout", "Ollama went silent for 120 s."),
                new GenerationStats(null, null, null, null, 4096, 2048, 3, null)), messages.get(2));
        assertEquals(new ChatMessage("m-bare", MessageRole.system, "", null, null, null, List.of(), null, null),
                messages.get(3));
    }

    @Test
    void textAndBytesReadAsTheSameMessage() throws IOException {
        String line = new String(HISTORY, StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        assertEquals(readLines(HISTORY).get(0), MessageCodec.read(line));
    }

    @Test
    void fieldsOfANewerVersionAreIgnored() throws IOException {
        ChatMessage read = MessageCodec.read("{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\",\"later\":{\"x\":1}}");
        assertEquals(new ChatMessage("m1", MessageRole.user, "hi", null, null, null, List.of(), null, null), read);
    }

    @Test
    void aLineCutInsideACharacterIsNotAMessage() {
        byte[] line = "{\"id\":\"m1\",\"content\":\"ü\"}".getBytes(StandardCharsets.UTF_8);
        int cut = new String(line, StandardCharsets.UTF_8).indexOf('ü') + 1; // after the first of its two bytes
        byte[] torn = Arrays.copyOf(line, cut);
        assertThrows(IOException.class, () -> MessageCodec.read(torn, 0, torn.length));
    }

    @Test
    void aParentIsWrittenLastAndReadBackAndAFirstMessageHasNoParentField() throws IOException {
        ChatMessage child = new ChatMessage("m2", MessageRole.assistant, "hi", null, null, null, List.of(), null, null, "m1");
        String json = MessageCodec.write(child);
        assertEquals("{\"id\":\"m2\",\"role\":\"assistant\",\"content\":\"hi\",\"model\":null,\"createdAt\":null,"
                + "\"status\":null,\"attachments\":[],\"error\":null,\"stats\":null,\"parentId\":\"m1\"}", json);
        assertEquals(child, MessageCodec.read(json));
        ChatMessage root = new ChatMessage("m1", MessageRole.user, "q", null, null, null, List.of(), null, null);
        assertEquals(false, MessageCodec.write(root).contains("parentId"));
    }

    @Test
    void thinkingAndTheOptionsSentAreWrittenAfterTheOldFieldsAndReadBack() throws IOException {
        GenerationStats stats = new GenerationStats(10, 20, 300L, 40L, 8192, 9, 0, "stop",
                Map.of("temperature", 0.0, "seed", 42L, "num_ctx", 8192L, "stop", List.of("</s>")), 1500L);
        ChatMessage answer = new ChatMessage("m2", MessageRole.assistant, "42", "qwen3", null, MessageStatus.complete,
                List.of(), null, stats, "m1", "Let me think.\nSix times seven.");
        String json = MessageCodec.write(answer);
        assertEquals("{\"id\":\"m2\",\"role\":\"assistant\",\"content\":\"42\",\"model\":\"qwen3\",\"createdAt\":null,"
                + "\"status\":\"complete\",\"attachments\":[],\"error\":null,\"stats\":{\"promptTokens\":10,"
                + "\"completionTokens\":20,\"totalDurationMs\":300,\"firstTokenMs\":40,\"contextWindow\":8192,"
                + "\"promptTokenEstimate\":9,\"droppedMessages\":0,\"finishReason\":\"stop\",\"options\":{\"num_ctx\":8192,"
                + "\"seed\":42,\"stop\":[\"</s>\"],\"temperature\":0.0},\"thinkingMs\":1500},\"parentId\":\"m1\","
                + "\"thinking\":\"Let me think.\\nSix times seven.\"}", json);
        assertEquals(answer, MessageCodec.read(json));
        assertEquals(answer, MessageCodec.read(json.getBytes(StandardCharsets.UTF_8), 0, json.length()));
    }

    @Test
    void oldLinesReadWithoutThinkingAndWithNoOptions() throws IOException {
        for (ChatMessage message : readLines(HISTORY)) {
            assertEquals(null, message.thinking());
            if (message.stats() != null) {
                assertEquals(Map.of(), message.stats().options());
                assertEquals(null, message.stats().thinkingMs());
            }
        }
        assertEquals(Map.of(), readLines(HISTORY).get(1).stats().options());
    }
}
