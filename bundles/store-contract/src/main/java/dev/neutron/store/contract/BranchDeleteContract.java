package dev.neutron.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.NewSession;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatStore} must do with later first questions ({@link ChatMessage#NEW_ROOT}) and
 * {@link ChatStore#deleteBranch}. Run by subclassing {@link ChatStoreContract}.
 */
public abstract class BranchDeleteContract extends ConversationTreeContract {

    /** q1 a1 q2 a2, then a1b under q1 and a2b under q2: the leaf is a2b. */
    private ChatSession branchedChat() {
        ChatSession session = straightChat();
        store.appendMessage(session.id(), reply("a1b", "q1"));
        store.appendMessage(session.id(), reply("a2b", "q2"));
        return session;
    }

    private ChatSession session(String sessionId) {
        return store.findSession(sessionId).orElseThrow();
    }

    @Test
    void aNewRootIsALaterFirstQuestionThatBecomesTheLeaf() throws Exception {
        ChatSession session = straightChat();
        ChatMessage edit = message("q1b", MessageRole.user, "q1, edited").withParentId(ChatMessage.NEW_ROOT);
        ChatMessage stored = store.appendMessage(session.id(), edit);
        assertEquals(edit.withParentId(null), stored, "a root reads back with no parent");
        assertEquals("q1b", store.appendMessage(session.id(), message("a1c", MessageRole.assistant, "again")).parentId());

        assertEquals(List.of("q1b", "a1c"), ids(store.messages(session.id())));
        ChatStore reopened = restart();
        List<ChatMessage> all = reopened.allMessages(session.id());
        assertEquals(List.of("q1", "a1", "q2", "a2", "q1b", "a1c"), ids(all));
        assertEquals(Arrays.asList(null, "q1", "a1", "q2", null, "q1b"), parents(all));
        assertEquals(List.of("q1b", "a1c"), ids(reopened.messages(session.id())));
        assertEquals("a1c", session(session.id()).activeLeafId());
        assertEquals(6, session(session.id()).messageCount());
    }

    @Test
    void aNewRootMayAlsoBeTheFirstMessage() throws Exception {
        ChatSession session = store.createSession(new NewSession("fresh", null));
        ChatMessage first = message("f1", MessageRole.user, "hi").withParentId(ChatMessage.NEW_ROOT);
        assertNull(store.appendMessage(session.id(), first).parentId());
        assertEquals(List.of(first.withParentId(null)), restart().allMessages(session.id()));
        assertEquals("f1", session(session.id()).activeLeafId());
    }

    @Test
    void anImportKeepsLaterFirstQuestions() throws Exception {
        ChatSession copy = new ChatSession("chat_7ee0000000000003", "two roots", null, null, null, 0);
        store.importSession(copy);
        store.importMessages(copy.id(), List.of(message("x1", MessageRole.user, "q"),
                message("x2", MessageRole.assistant, "a"), message("y1", MessageRole.user, "q, edited")
                        .withParentId(ChatMessage.NEW_ROOT)));
        assertEquals(Arrays.asList(null, "x1", null), parents(restart().allMessages(copy.id())));
    }

    @Test
    void deletingTheBranchOfTheLeafMovesItToTheNewestLeafUnderTheParent() throws Exception {
        ChatSession session = branchedChat();
        ChatSession before = session(session.id());
        Thread.sleep(3); // a later updatedAt
        ChatSession after = store.deleteBranch(session.id(), "a1");

        assertEquals("a1b", after.activeLeafId());
        assertEquals(2, after.messageCount());
        assertTrue(after.updatedAt().isAfter(before.updatedAt()), "the chat changed");
        assertEquals(after, session(session.id()));
        assertEquals(List.of("q1", "a1b"), ids(store.messages(session.id())));
        assertEquals(List.of("q1", "a1b"), ids(store.allMessages(session.id())));

        ChatStore reopened = restart();
        assertEquals(after, reopened.findSession(session.id()).orElseThrow());
        assertEquals(Arrays.asList(null, "q1"), parents(reopened.allMessages(session.id())));
    }

    @Test
    void deletingALeafWithoutSiblingsMakesItsParentTheLeaf() {
        ChatSession session = straightChat();
        assertEquals("q2", store.deleteBranch(session.id(), "a2").activeLeafId());
        assertEquals(List.of("q1", "a1", "q2"), ids(store.messages(session.id())));
    }

    @Test
    void deletingAnotherBranchKeepsTheLeaf() throws Exception {
        ChatSession session = branchedChat();
        store.setActiveLeaf(session.id(), "a1b");
        ChatSession after = store.deleteBranch(session.id(), "q2");
        assertEquals("a1b", after.activeLeafId());
        assertEquals(3, after.messageCount());
        assertEquals(List.of("q1", "a1b"), ids(store.messages(session.id())));
        List<ChatMessage> all = restart().allMessages(session.id());
        assertEquals(List.of("q1", "a1", "a1b"), ids(all));
        assertEquals(Arrays.asList(null, "q1", "q1"), parents(all));
    }

    @Test
    void deletingARootGoesToTheNewestLeafOfTheChat() throws Exception {
        ChatSession session = straightChat();
        store.appendMessage(session.id(), message("r1", MessageRole.user, "again").withParentId(ChatMessage.NEW_ROOT));
        store.appendMessage(session.id(), message("r2", MessageRole.assistant, "answer"));
        store.setActiveLeaf(session.id(), "a1");

        ChatSession after = store.deleteBranch(session.id(), "q1");
        assertEquals("r2", after.activeLeafId(), "with no parent: the newest leaf of the chat");
        assertEquals(2, after.messageCount());
        List<ChatMessage> all = restart().allMessages(session.id());
        assertEquals(List.of("r1", "r2"), ids(all));
        assertEquals(Arrays.asList(null, "r1"), parents(all));

        store.appendMessage(session.id(), message("s1", MessageRole.user, "third").withParentId(ChatMessage.NEW_ROOT));
        assertEquals("r2", store.deleteBranch(session.id(), "s1").activeLeafId());
        assertEquals(List.of("r1", "r2"), ids(restart().messages(session.id())));
    }

    @Test
    void deletingEverythingLeavesAnEmptyChatThatTakesNewMessages() throws Exception {
        ChatSession session = straightChat();
        ChatSession after = store.deleteBranch(session.id(), "q1");
        assertNull(after.activeLeafId());
        assertEquals(0, after.messageCount());
        assertEquals(List.of(), store.messages(session.id()));

        ChatStore reopened = restart();
        assertEquals(after, reopened.findSession(session.id()).orElseThrow());
        assertEquals(List.of(), reopened.allMessages(session.id()));
        assertNull(reopened.appendMessage(session.id(), message("n1", MessageRole.user, "anew")).parentId());
        assertEquals(List.of("n1"), ids(restart().messages(session.id())));
    }

    @Test
    void anUnknownMessageOrSessionDeletesNothing() {
        ChatSession session = branchedChat();
        ChatSession before = session(session.id());
        assertCode(ErrorCode.MESSAGE_NOT_FOUND, () -> store.deleteBranch(session.id(), "nope"));
        assertCode(ErrorCode.MESSAGE_NOT_FOUND, () -> store.deleteBranch(session.id(), null));
        assertCode(ErrorCode.MESSAGE_NOT_FOUND, () -> store.deleteBranch(session.id(), ChatMessage.NEW_ROOT));
        assertCode(ErrorCode.MESSAGE_NOT_FOUND,
                () -> store.appendMessage(session.id(), reply("x", "nope").withParentId(" ")));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.deleteBranch("chat_0123456789abcdef", "q1"));
        assertCode(ErrorCode.INVALID_SESSION_ID, () -> store.deleteBranch("../etc", "q1"));
        assertEquals(before, session(session.id()));
        assertEquals(List.of("q1", "a1", "q2", "a2", "a1b", "a2b"), ids(store.allMessages(session.id())));
    }

    @Test
    void aChatWrittenBeforeTreesKeepsItsParentsWhenABranchGoes() throws Exception {
        ChatSession session = store.createSession(new NewSession("old", null));
        writeLegacyHistory(store, session.id(), List.of(message("o1", MessageRole.user, "q"),
                message("o2", MessageRole.assistant, "a"), message("o3", MessageRole.user, "q2"),
                message("o4", MessageRole.assistant, "a2"), message("o5", MessageRole.user, "q3")));
        ChatStore reopened = restart();
        reopened.appendMessage(session.id(), reply("n3", "o2"));
        reopened.appendMessage(session.id(), message("n4", MessageRole.user, "on n3"));

        ChatSession after = reopened.deleteBranch(session.id(), "o4");
        assertEquals("n4", after.activeLeafId());
        assertEquals(5, after.messageCount());
        List<ChatMessage> all = restart().allMessages(session.id());
        assertEquals(List.of("o1", "o2", "o3", "n3", "n4"), ids(all));
        assertEquals(Arrays.asList(null, "o1", "o2", "o2", "n3"), parents(all));

        store.deleteBranch(session.id(), "n3");
        List<ChatMessage> left = restart().allMessages(session.id());
        assertEquals(Arrays.asList(null, "o1", "o2"), parents(left));
        assertEquals(List.of("o1", "o2", "o3"), ids(store.messages(session.id())), "the newest leaf under o2");
    }
}
