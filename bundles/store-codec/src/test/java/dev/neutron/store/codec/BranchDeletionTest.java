package dev.neutron.store.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BranchDeletionTest {
    private static ChatMessage message(String id, String parentId) {
        return new ChatMessage(id, MessageRole.user, id, "m", Instant.EPOCH, MessageStatus.complete, List.of(), null,
                null).withParentId(parentId);
    }

    private static List<String> parents(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::parentId).toList();
    }

    @Test
    void keptMessagesNameTheirParentsAndLaterRootsAreMarked() {
        // legacy o1 o2 o3 (no parents), then n1 under o1, then a second root r1 with its answer
        List<ChatMessage> stored = List.of(message("o1", null), message("o2", null), message("o3", null),
                message("n1", "o1"), message("r1", ChatMessage.NEW_ROOT), message("r2", null));
        BranchDeletion deletion = BranchDeletion.plan(stored, "r2", "o2").orElseThrow();
        assertEquals(Set.of("o2", "o3"), deletion.deleted());
        assertEquals(List.of("o1", "n1", "r1", "r2"), deletion.kept().stream().map(ChatMessage::id).toList());
        assertEquals(Arrays.asList(null, "o1", "", "r1"), parents(deletion.kept()));
        assertEquals("r2", deletion.activeLeaf(), "the leaf was not in the branch");
        assertFalse(BranchDeletion.rewritten(stored.get(0), deletion.kept().get(0)));
        assertTrue(BranchDeletion.rewritten(stored.get(5), deletion.kept().get(3)), "an implied parent is written out");
    }

    @Test
    void theLeafMovesToTheNewestLeafUnderTheParentOrOfTheChat() {
        List<ChatMessage> stored = List.of(message("q1", null), message("a1", "q1"), message("a1b", "q1"),
                message("a1c", "q1"), message("r1", ChatMessage.NEW_ROOT));
        assertEquals("a1b", BranchDeletion.plan(stored, "a1c", "a1c").orElseThrow().activeLeaf());
        assertEquals("q1", BranchDeletion.plan(List.of(message("q1", null), message("a1", null)), "a1", "a1")
                .orElseThrow().activeLeaf());
        assertEquals("a1c", BranchDeletion.plan(stored, "r1", "r1").orElseThrow().activeLeaf());
        BranchDeletion firstRoot = BranchDeletion.plan(stored, "a1", "q1").orElseThrow();
        assertEquals("r1", firstRoot.activeLeaf());
        assertEquals(List.of(message("r1", null)), firstRoot.kept(), "the first message left is the first root");
        assertEquals(Set.of("a1", "a1b", "a1c", "q1"), firstRoot.deleted());
    }

    @Test
    void aStaleOrMissingStoredLeafMeansTheLastMessageAndNothingLeftMeansNoLeaf() {
        List<ChatMessage> stored = List.of(message("q1", null), message("a1", null), message("a1b", "q1"));
        assertEquals("a1", BranchDeletion.plan(stored, null, "a1b").orElseThrow().activeLeaf());
        assertEquals("a1b", BranchDeletion.plan(stored, "gone", "a1").orElseThrow().activeLeaf());
        BranchDeletion everything = BranchDeletion.plan(stored, "a1", "q1").orElseThrow();
        assertNull(everything.activeLeaf());
        assertEquals(List.of(), everything.kept());
        assertEquals(Optional.empty(), BranchDeletion.plan(stored, "a1", "nope"));
        assertEquals(Optional.empty(), BranchDeletion.plan(stored, "a1", null));
    }
}
