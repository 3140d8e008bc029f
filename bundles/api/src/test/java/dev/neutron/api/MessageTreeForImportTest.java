package dev.neutron.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MessageTree#forImport}: the form of a chat that {@link ChatStore#importMessages} reads back as the same tree. */
class MessageTreeForImportTest {
    private static ChatMessage message(String id, String parentId) {
        return new ChatMessage(id, MessageRole.user, id, "m", Instant.EPOCH, MessageStatus.complete, List.of(), null,
                null).withParentId(parentId);
    }

    @Test
    void everyRootAfterTheFirstMessageIsMarkedAsANewRoot() {
        List<ChatMessage> all = List.of(message("q1", null), message("a1", "q1"), message("q1b", null),
                message("a1b", "q1b"), message("q1c", null));
        List<ChatMessage> forImport = MessageTree.of(all).forImport();
        assertEquals(Arrays.asList(null, "q1", "", "q1b", ""), forImport.stream().map(ChatMessage::parentId).toList());
        assertEquals(all, forImport.stream().map(m -> m.parentId() == null || m.parentId().isEmpty()
                ? m.withParentId(null) : m).toList(), "nothing else changes");
    }

    @Test
    void aChatWithOneRootIsGivenAsItIs() {
        List<ChatMessage> all = List.of(message("q1", null), message("a1", "q1"), message("a1b", "q1"));
        assertEquals(all, MessageTree.of(all).forImport());
        assertEquals(List.of(), MessageTree.of(List.of()).forImport());
    }
}
