package dev.neutron.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageTree;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What every {@link ChatStore} must do with conversation trees: messages point to their parent, the session's active
 * leaf picks the branch {@link ChatStore#messages} returns, chats written before trees read as one straight branch,
 * and an export imported elsewhere keeps the tree. Run by subclassing {@link ChatStoreContract}.
 */
public abstract class ConversationTreeContract {
    /** A store over fresh, empty storage. Called once before each test. */
    protected abstract ChatStore newStore() throws Exception;

    /** A new store instance over the storage of {@code previous}, which the caller no longer uses. */
    protected abstract ChatStore reopen(ChatStore previous) throws Exception;

    /** Releases a store made by {@link #newStore()} or {@link #reopen(ChatStore)}; by default nothing. */
    protected void close(ChatStore store) throws Exception {
    }

    /**
     * Puts {@code messages} into the storage of {@code store} as a store written before trees existed left them: in
     * this order, without {@code parentId}, under the existing (empty) session {@code sessionId}, its count and active
     * leaf not updated (a store of that version had no leaf). The test reopens the store afterwards.
     */
    protected abstract void writeLegacyHistory(ChatStore store, String sessionId, List<ChatMessage> messages)
            throws Exception;

    protected ChatStore store;
    private final List<ChatStore> opened = new ArrayList<>();

    @BeforeEach
    void openStore() throws Exception {
        store = track(newStore());
    }

    @AfterEach
    void closeStores() throws Exception {
        for (ChatStore each : opened) {
            close(each);
        }
        opened.clear();
    }

    private ChatStore track(ChatStore opened) {
        this.opened.add(opened);
        return opened;
    }

    protected ChatStore restart() throws Exception {
        store = track(reopen(store));
        return store;
    }

    protected static ChatMessage message(String id, MessageRole role, String content) {
        return new ChatMessage(id, role, content, "model-a", Instant.now(), MessageStatus.complete, List.of(), null, null);
    }

    protected static List<String> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    protected static void assertCode(ErrorCode expected, Executable call) {
        NeutronException e = assertThrows(NeutronException.class, call);
        assertEquals(expected, e.code(), e.getMessage());
    }

    protected static List<String> parents(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::parentId).toList();
    }

    protected static ChatMessage reply(String id, String parentId) {
        return message(id, MessageRole.assistant, "reply " + id).withParentId(parentId);
    }

    /** q1 a1 q2 a2 appended in a line: the chat a tree starts as. */
    protected ChatSession straightChat() {
        ChatSession session = store.createSession(new NewSession("tree", null));
        for (String id : List.of("q1", "a1", "q2", "a2")) {
            store.appendMessage(session.id(), message(id, id.startsWith("q") ? MessageRole.user : MessageRole.assistant, id));
        }
        return session;
    }

    @Test
    void appendsInALineFormOneBranchWhoseLeafIsTheLastMessage() {
        ChatSession session = straightChat();
        List<ChatMessage> all = store.allMessages(session.id());
        assertEquals(List.of("q1", "a1", "q2", "a2"), ids(all));
        assertEquals(Arrays.asList(null, "q1", "a1", "q2"), parents(all));
        assertEquals(all, store.messages(session.id()));
        ChatSession after = store.findSession(session.id()).orElseThrow();
        assertEquals("a2", after.activeLeafId());
        assertEquals(4, after.messageCount());
    }

    @Test
    void aBranchFromAMiddleMessageBecomesTheActivePathAndKeepsTheOldOne() throws Exception {
        ChatSession session = straightChat();
        ChatMessage edited = message("q2b", MessageRole.user, "q2, edited").withParentId("a1");
        assertEquals(edited, store.appendMessage(session.id(), edited));
        ChatMessage answer = store.appendMessage(session.id(), message("a2b", MessageRole.assistant, "new answer"));
        assertEquals("q2b", answer.parentId(), "a message without parent follows the active leaf");

        assertEquals(List.of("q1", "a1", "q2b", "a2b"), ids(store.messages(session.id())));
        List<ChatMessage> all = store.allMessages(session.id());
        assertEquals(List.of("q1", "a1", "q2", "a2", "q2b", "a2b"), ids(all));
        assertEquals(Arrays.asList(null, "q1", "a1", "q2", "a1", "q2b"), parents(all));
        ChatSession after = store.findSession(session.id()).orElseThrow();
        assertEquals("a2b", after.activeLeafId());
        assertEquals(6, after.messageCount(), "the count is of the whole tree");

        ChatStore reopened = restart();
        assertEquals(all, reopened.allMessages(session.id()));
        assertEquals(List.of("q1", "a1", "q2b", "a2b"), ids(reopened.messages(session.id())));
        assertEquals(after, reopened.findSession(session.id()).orElseThrow());
    }

    @Test
    void switchingTheLeafShowsItsBranchAndNewMessagesGoThere() throws Exception {
        ChatSession session = straightChat();
        store.appendMessage(session.id(), reply("a1b", "q1"));
        ChatSession before = store.findSession(session.id()).orElseThrow();

        ChatSession switched = store.setActiveLeaf(session.id(), "a2");
        assertEquals(before.withActiveLeaf("a2"), switched, "only the leaf changes, updatedAt included");
        assertEquals(List.of("q1", "a1", "q2", "a2"), ids(store.messages(session.id())));
        assertEquals(switched, store.findSession(session.id()).orElseThrow());

        store.setActiveLeaf(session.id(), "a1");
        assertEquals(List.of("q1", "a1"), ids(store.messages(session.id())), "a leaf may be a message with children");
        assertEquals("a1", store.appendMessage(session.id(), message("q3", MessageRole.user, "on a1")).parentId());
        assertEquals(List.of("q1", "a1", "q3"), ids(restart().messages(session.id())));
        assertEquals(List.of("q1", "a1", "q2", "a2", "a1b", "q3"), ids(store.allMessages(session.id())));
        assertEquals("q3", store.findSession(session.id()).orElseThrow().activeLeafId());
    }

    @Test
    void anUnknownMessageOrSessionIsRefusedAndChangesNothing() {
        ChatSession session = straightChat();
        ChatSession before = store.findSession(session.id()).orElseThrow();
        assertCode(ErrorCode.MESSAGE_NOT_FOUND, () -> store.setActiveLeaf(session.id(), "nope"));
        assertCode(ErrorCode.MESSAGE_NOT_FOUND, () -> store.setActiveLeaf(session.id(), null));
        assertCode(ErrorCode.MESSAGE_NOT_FOUND, () -> store.appendMessage(session.id(), reply("x", "nope")));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.setActiveLeaf("chat_0123456789abcdef", "a1"));
        assertCode(ErrorCode.INVALID_SESSION_ID, () -> store.setActiveLeaf("../etc", "a1"));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.allMessages("chat_0123456789abcdef"));
        assertEquals(before, store.findSession(session.id()).orElseThrow());
        assertEquals(List.of("q1", "a1", "q2", "a2"), ids(store.allMessages(session.id())));
    }

    @Test
    void aChatWrittenBeforeTreesReadsAsOneStraightBranch() throws Exception {
        ChatSession session = store.createSession(new NewSession("old", null));
        List<ChatMessage> legacy = List.of(message("o1", MessageRole.user, "old question"),
                message("o2", MessageRole.assistant, "old answer"), message("o3", MessageRole.user, "old follow-up"));
        writeLegacyHistory(store, session.id(), legacy);

        ChatStore reopened = restart();
        List<ChatMessage> expected = List.of(legacy.get(0), legacy.get(1).withParentId("o1"), legacy.get(2).withParentId("o2"));
        assertEquals(expected, reopened.messages(session.id()));
        assertEquals(expected, reopened.allMessages(session.id()));
        assertEquals(3, reopened.findSession(session.id()).orElseThrow().messageCount());

        assertEquals("o3", reopened.appendMessage(session.id(), message("n4", MessageRole.assistant, "new")).parentId());
        reopened.appendMessage(session.id(), reply("n2", "o1"));
        assertEquals(List.of("o1", "n2"), ids(reopened.messages(session.id())));
        reopened.setActiveLeaf(session.id(), "n4");
        assertEquals(List.of("o1", "o2", "o3", "n4"), ids(restart().messages(session.id())));
    }

    @Test
    void anImportKeepsTheTreeItsOrderAndItsLeaf() throws Exception {
        ChatSession source = straightChat();
        store.appendMessage(source.id(), reply("a1b", "q1"));
        store.setActiveLeaf(source.id(), "a2");
        ChatSession exported = store.findSession(source.id()).orElseThrow();
        List<ChatMessage> all = store.allMessages(source.id());

        ChatSession copy = new ChatSession("chat_7ee0000000000001", exported.title(), exported.model(),
                exported.createdAt(), exported.updatedAt(), 0, exported.activeLeafId());
        store.importSession(copy);
        store.importMessages(copy.id(), all);
        ChatStore reopened = restart();
        assertEquals(all, reopened.allMessages(copy.id()));
        assertEquals(List.of("q1", "a1", "q2", "a2"), ids(reopened.messages(copy.id())));
        ChatSession imported = reopened.findSession(copy.id()).orElseThrow();
        assertEquals("a2", imported.activeLeafId());
        assertEquals(5, imported.messageCount());
    }

    /** What the backup export writes and its import gives to the store: {@link MessageTree#forImport}. */
    @Test
    void anExportOfTwoRootsWithBranchesImportsAsTheSameTree() throws Exception {
        ChatSession source = straightChat();
        store.appendMessage(source.id(), reply("a1b", "q1"));
        store.appendMessage(source.id(), message("r1", MessageRole.user, "q1, edited").withParentId(ChatMessage.NEW_ROOT));
        store.appendMessage(source.id(), message("r2", MessageRole.assistant, "a"));
        store.appendMessage(source.id(), reply("r2b", "r1"));
        store.setActiveLeaf(source.id(), "a2");
        ChatSession exported = store.findSession(source.id()).orElseThrow();
        List<ChatMessage> export = MessageTree.of(store.allMessages(source.id())).forImport();
        assertEquals(Arrays.asList(null, "q1", "a1", "q2", "q1", ChatMessage.NEW_ROOT, "r1", "r1"), parents(export));

        ChatSession copy = new ChatSession("chat_7ee0000000000004", exported.title(), exported.model(),
                exported.createdAt(), exported.updatedAt(), 0, exported.activeLeafId());
        store.importSession(copy);
        store.importMessages(copy.id(), export);
        ChatStore reopened = restart();
        assertEquals(store.allMessages(source.id()), reopened.allMessages(copy.id()));
        assertEquals(export, MessageTree.of(reopened.allMessages(copy.id())).forImport(), "export, import, export");
        assertEquals(List.of("q1", "a1", "q2", "a2"), ids(reopened.messages(copy.id())));
        assertEquals(8, reopened.findSession(copy.id()).orElseThrow().messageCount());
    }

    @Test
    void anExportMadeBeforeTreesImportsAsOneStraightBranch() throws Exception {
        ChatSession old = new ChatSession("chat_7ee0000000000002", "old export", null,
                Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-02T00:00:00Z"), 0);
        store.importSession(old);
        assertNull(store.findSession(old.id()).orElseThrow().activeLeafId());
        List<ChatMessage> messages = List.of(message("e1", MessageRole.user, "q"), message("e2", MessageRole.assistant, "a"));
        store.importMessages(old.id(), messages);
        store.importMessages(old.id(), List.of(message("e3", MessageRole.user, "q again")));
        List<ChatMessage> expected = List.of(messages.get(0), messages.get(1).withParentId("e1"),
                message("e3", MessageRole.user, "q again").withParentId("e2"));
        assertEquals(ids(expected), ids(restart().messages(old.id())));
        assertEquals(parents(expected), parents(store.allMessages(old.id())));
        assertEquals(parents(expected), parents(store.messages(old.id())));
    }
}
