package dev.neutron.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A chat with two first questions and a regenerated answer, as {@link ChatStore#allMessages} returns it:
 * <pre>
 * q1 ─ a1 ─ q2 ─ a2
 *         │    └ a2b
 *         └ q2b
 * q1b ─ a1b
 * </pre>
 */
class MessageTreeTest {
    private static final List<ChatMessage> APPEND_ORDER = List.of(
            message("q1", MessageRole.user, null), message("a1", MessageRole.assistant, "q1"),
            message("q2", MessageRole.user, "a1"), message("a2", MessageRole.assistant, "q2"),
            message("a2b", MessageRole.assistant, "q2"), message("q2b", MessageRole.user, "a1"),
            message("q1b", MessageRole.user, null), message("a1b", MessageRole.assistant, "q1b"));
    private final MessageTree tree = MessageTree.of(APPEND_ORDER);

    private static ChatMessage message(String id, MessageRole role, String parentId) {
        return new ChatMessage(id, role, id, "m", Instant.EPOCH, MessageStatus.complete, List.of(), null, null, parentId);
    }

    private static List<String> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    @Test
    void childrenAndSiblingsAreInAppendOrderWithTheFirstQuestionsUnderNull() {
        assertEquals(List.of("q1", "q1b"), tree.children(null));
        assertEquals(List.of("a2", "a2b"), tree.children("q2"));
        assertEquals(List.of("q2", "q2b"), tree.siblings("q2b"));
        assertEquals(List.of("q1", "q1b"), tree.siblings("q1b"));
        assertEquals(List.of("a1"), tree.siblings("a1"));
        assertEquals(List.of(), tree.children("a2"));
        assertEquals(List.of(), tree.siblings("nothing"));
    }

    @Test
    void aBranchIsTheMessageAndEverythingUnderIt() {
        assertEquals(Set.of("a1", "q2", "a2", "a2b", "q2b"), tree.branch("a1"));
        assertEquals(List.of("a1", "q2", "q2b", "a2", "a2b"), List.copyOf(tree.branch("a1")), "parents first");
        assertEquals(Set.of("a2b"), tree.branch("a2b"));
        assertTrue(tree.branch("nothing").isEmpty());
    }

    @Test
    void theNewestLeafIsTheLeafAppendedLastUnderTheMessage() {
        assertEquals(Optional.of("q2b"), tree.newestLeaf("q1"));
        assertEquals(Optional.of("a2b"), tree.newestLeaf("q2"));
        assertEquals(Optional.of("a2"), tree.newestLeaf("a2"), "a leaf is its own newest leaf");
        assertEquals(Optional.of("a1b"), tree.newestLeaf(null), "the newest leaf of the whole chat");
        assertEquals(Optional.empty(), tree.newestLeaf("nothing"));
        assertEquals(Optional.empty(), MessageTree.of(List.of()).newestLeaf(null));
    }

    @Test
    void aPathRunsFromTheFirstQuestionDownToTheLeaf() {
        assertEquals(List.of("q1", "a1", "q2", "a2b"), ids(tree.path("a2b")));
        assertEquals(List.of("q1b", "a1b"), ids(tree.path("a1b")));
        assertEquals(List.of(), tree.path("nothing"));
        assertEquals(List.of(), tree.path(null));
    }

    @Test
    void aLoopNeverStoredStillEndsTheWalk() {
        MessageTree looped = MessageTree.of(List.of(message("x", MessageRole.user, "y"),
                message("y", MessageRole.assistant, "x")));
        assertEquals(List.of("x", "y"), ids(looped.path("y")));
    }

    @Test
    void aNewRootParentCountsAsAFirstQuestionAndADuplicateIdIsIgnored() {
        MessageTree withMarker = MessageTree.of(List.of(message("q1", MessageRole.user, null),
                message("q1b", MessageRole.user, ChatMessage.NEW_ROOT), message("q1", MessageRole.user, "q1b")));
        assertEquals(List.of("q1", "q1b"), withMarker.children(null));
        assertEquals(2, withMarker.size());
        assertTrue(withMarker.contains("q1b"));
        assertFalse(withMarker.contains(null));
        assertEquals(List.of("q1", "q1b"), ids(withMarker.messages()));
    }
}
