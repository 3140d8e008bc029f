package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.store.codec.MessageCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedRecordsTest {
    private final List<String> parsedTexts = new ArrayList<>();

    private static MessageRow row(String id, String text) {
        return new MessageRow(id, null, MessageCodec.write(new ChatMessage(id, MessageRole.user, text, null,
                Instant.parse("2026-01-01T00:00:00Z"), MessageStatus.complete, List.of(), null, null)));
    }

    private List<String> read(ParsedRecords cache, String sessionId, MessageRow... rows) {
        return cache.read(sessionId, List.of(rows), record -> {
            ChatMessage message = new MessageRecords("test").read(record);
            parsedTexts.add(message.content());
            return message;
        }).stream().map(ChatMessage::content).toList();
    }

    @Test
    void aChatReadAgainParsesOnlyTheRecordsItHadNotSeenAndSeesARecordChangedInPlace() {
        ParsedRecords cache = new ParsedRecords(1_000_000);
        assertEquals(List.of("a", "b"), read(cache, "s", row("m1", "a"), row("m2", "b")));
        assertEquals(List.of("a", "b"), parsedTexts);

        parsedTexts.clear();
        assertEquals(List.of("a", "b", "c"), read(cache, "s", row("m1", "a"), row("m2", "b"), row("m3", "c")));
        assertEquals(List.of("c"), parsedTexts);

        parsedTexts.clear();
        assertEquals(List.of("a", "B", "c"), read(cache, "s", row("m1", "a"), row("m2", "B"), row("m3", "c")));
        assertEquals(List.of("B"), parsedTexts, "changed in place (e.g. by another Neutron): parsed again");

        parsedTexts.clear();
        assertEquals(List.of("a", "c"), read(cache, "s", row("m1", "a"), row("m3", "c")));
        assertEquals(List.of(), parsedTexts);

        cache.forget("s");
        assertEquals(List.of("a"), read(cache, "s", row("m1", "a")));
        assertEquals(List.of("a"), parsedTexts);
    }

    @Test
    void theChatReadLeastRecentlyGoesOnceTheBudgetIsPassed() {
        MessageRow one = row("m1", "one");
        ParsedRecords cache = new ParsedRecords(one.record().length() * 2L);
        read(cache, "first", one);
        read(cache, "second", one);
        read(cache, "first", one);
        read(cache, "third", one); // "second" read least recently: it goes
        parsedTexts.clear();
        read(cache, "first", one);
        read(cache, "third", one);
        assertEquals(List.of(), parsedTexts);
        read(cache, "second", one);
        assertEquals(List.of("one"), parsedTexts);
    }
}
