package dev.neutron.store.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NewSession;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chat opened once is kept in memory: what it shows when opened again must be what its history file holds after
 * every write since, as a store just started reads it.
 */
class JsonlHistoryCacheTest {
    @TempDir
    Path dataDir;

    private JsonlChatStore newStore() {
        return new JsonlChatStore(dataDir, Clock.systemUTC());
    }

    private static ChatMessage message(String id, String parent) {
        return new ChatMessage(id, MessageRole.user, "text of " + id, "m", Instant.now(), MessageStatus.complete,
                List.of(), null, null, parent);
    }

    private static List<String> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    /** What the chat shows, the same from the running store and from a store started on its files. */
    private void assertShows(JsonlChatStore store, String id, List<String> activePath, List<String> all) {
        assertEquals(activePath, ids(store.messages(id)), "active path");
        assertEquals(all, ids(store.allMessages(id)), "every message");
        JsonlChatStore fresh = newStore();
        assertEquals(activePath, ids(fresh.messages(id)), "active path, read from disk");
        assertEquals(all, ids(fresh.allMessages(id)), "every message, read from disk");
    }

    @Test
    void anOpenedChatShowsEveryLaterAppendBranchSwitchAndDelete() {
        JsonlChatStore store = newStore();
        String id = store.createSession(new NewSession("Cached", null)).id();
        store.appendMessage(id, message("a", null));
        store.appendMessage(id, message("b", null));
        assertShows(store, id, List.of("a", "b"), List.of("a", "b"));

        store.appendMessage(id, message("c", null));
        assertShows(store, id, List.of("a", "b", "c"), List.of("a", "b", "c"));

        store.appendMessage(id, message("d", "a")); // an edit of b: a new branch
        assertShows(store, id, List.of("a", "d"), List.of("a", "b", "c", "d"));

        store.setActiveLeaf(id, "c");
        assertShows(store, id, List.of("a", "b", "c"), List.of("a", "b", "c", "d"));

        store.deleteBranch(id, "b");
        assertShows(store, id, List.of("a", "d"), List.of("a", "d"));

        store.importMessages(id, List.of(message("e", "d"), message("f", "e")));
        assertShows(store, id, List.of("a", "d"), List.of("a", "d", "e", "f"));
        store.appendMessage(id, message("g", "f"));
        assertShows(store, id, List.of("a", "d", "e", "f", "g"), List.of("a", "d", "e", "f", "g"));
    }

    @Test
    void aChatDeletedAndImportedAgainUnderItsIdShowsOnlyWhatWasImported() {
        JsonlChatStore store = newStore();
        ChatSession session = store.createSession(new NewSession("Gone", null));
        String id = session.id();
        store.appendMessage(id, message("old1", null));
        store.appendMessage(id, message("old2", null));
        assertEquals(List.of("old1", "old2"), ids(store.messages(id)));

        assertTrue(store.deleteSession(id));
        assertTrue(store.importSession(session));
        store.importMessages(id, List.of(message("new1", null)));

        assertShows(store, id, List.of("new1"), List.of("new1"));
    }

    @Test
    void theChatsOpenedLeastRecentlyLeaveOnceTheBudgetIsPassedAndAFileOfAnotherSizeIsNotServed() {
        HistoryCache cache = new HistoryCache(100);
        cache.put("one", List.of(message("x1", null)), 40);
        cache.put("two", List.of(message("y1", null)), 40);
        cache.get("one", 40); // used last: "two" goes first
        cache.put("three", List.of(message("z1", null)), 40);
        assertEquals(List.of("x1"), ids(cache.get("one", 40)));
        assertEquals(null, cache.get("two", 40));
        cache.appended("three", List.of(message("z2", null)), 30); // 110 bytes: the least recent, "one", goes
        assertEquals(null, cache.get("one", 40));
        assertEquals(List.of("z1", "z2"), ids(cache.get("three", 70)));
        assertEquals(null, cache.get("three", 71), "a file of another size is read again");
        assertEquals(null, cache.get("three", 70), "and forgotten");
        cache.put("big", List.of(message("b1", null)), 101);
        assertEquals(null, cache.get("big", 101), "over the budget alone: not kept");
    }
}
