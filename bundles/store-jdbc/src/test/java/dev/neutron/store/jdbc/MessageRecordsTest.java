package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.GenerationStats;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.store.codec.MessageCodec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageRecordsTest {
    private final MessageRecords records = new MessageRecords("jdbc:postgresql://db/chats");

    @Test
    void aMessageReadsBackExactlyNanosecondsAndNulIncluded() {
        ChatMessage message = new ChatMessage("a1", MessageRole.assistant, "nul \u0000 ünï ✓", "m",
                Instant.parse("2026-01-02T03:04:05.123456789Z"), MessageStatus.error, List.of("att_0123456789abcdef"),
                new ChatMessage.ErrorInfo("provider_timeout", "silent"), new GenerationStats(1, 2, 3L, 4L, 8192, 5, 0, "stop"));
        MessageRow row = records.row(message);
        assertEquals(new MessageRow("a1", null, MessageCodec.write(message)), row);
        ChatMessage child = message.withParentId("q1");
        assertEquals(new MessageRow("a1", "q1", MessageCodec.write(child)), records.row(child));
        assertEquals(child, records.read(records.row(child).record()));
        assertTrue(row.record().contains("\"createdAt\":\"2026-01-02T03:04:05.123456789Z\""), row.record());
        assertEquals(message, records.read(row.record()));
    }

    @Test
    void aRecordWrittenBeforeTheSharedCodecReadsBackAndWritesAsTheSameText() {
        // a record column as the store wrote it before dev.neutron.store.codec existed
        String record = "{\"id\":\"msg_2a\",\"role\":\"assistant\",\"content\":\"partial \\u0000 answer\",\"model\":"
                + "\"smollm2:135m\",\"createdAt\":\"2026-11-26T21:11:21.100Z\",\"status\":\"error\",\"attachments\":"
                + "[\"att_0123456789abcdef\",\"att_fedcba9876543210\"],\"error\":{\"code\":\"provider_timeout\",\"message\":"
                + "\"Ollama went silent for 120 s.\"},\"stats\":{\"promptTokens\":null,\"completionTokens\":null,"
                + "\"totalDurationMs\":null,\"firstTokenMs\":null,\"contextWindow\":4096,\"promptTokenEstimate\":2048,"
                + "\"droppedMessages\":3,\"finishReason\":null}}";
        ChatMessage read = records.read(record);
        assertEquals("partial \u0000 answer", read.content());
        assertEquals(Instant.parse("2026-11-26T21:11:21.100Z"), read.createdAt());
        assertEquals(record, records.row(read).record());
    }

    @Test
    void fieldsOfANewerVersionAreIgnored() {
        ChatMessage read = records.read("{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\",\"later\":true}");
        assertEquals("m1", read.id());
        assertEquals("hi", read.content());
    }

    @Test
    void anUnreadableRowIsAStorageErrorThatNamesTheDatabase() {
        NeutronException e = assertThrows(NeutronException.class, () -> records.read("{not json"));
        assertEquals(ErrorCode.STORAGE_ERROR, e.code());
        assertTrue(e.getMessage().startsWith("A message row in jdbc:postgresql://db/chats is not a readable message: "),
                e.getMessage());
    }
}
