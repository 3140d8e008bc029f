package dev.neutron.store.jsonl;

import dev.neutron.api.ChatMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages of the chats opened last, in append order, so that opening a chat again reads no file: least recently
 * used first out once their history files together pass a byte budget. Kept in step by the store's writes (an append
 * adds to a cached chat; a rewrite or a failed write drops it), each made under the chat's lock; the lists handed
 * out are copies. An entry is used only while the file has the size the entry says.
 */
final class HistoryCache {
    private record Entry(List<ChatMessage> messages, long bytes) {
    }

    private final long budgetBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    HistoryCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /**
     * A copy of the cached messages of the chat, or null if it is not cached or its history file no longer has the
     * size it had (changed by something other than this store: read it again).
     */
    synchronized List<ChatMessage> get(String sessionId, long fileBytes) {
        Entry entry = entries.get(sessionId);
        if (entry == null) {
            return null;
        }
        if (entry.bytes() != fileBytes) {
            remove(sessionId);
            return null;
        }
        return List.copyOf(entry.messages());
    }

    /** Caches what the chat's history file of {@code fileBytes} bytes holds; a file over the budget is not kept. */
    synchronized void put(String sessionId, List<ChatMessage> messages, long fileBytes) {
        remove(sessionId);
        if (fileBytes > budgetBytes) {
            return;
        }
        entries.put(sessionId, new Entry(new ArrayList<>(messages), fileBytes));
        bytes += fileBytes;
        evict();
    }

    /** The chat's history file got {@code added}, {@code lineBytes} long; a chat not cached stays so. */
    synchronized void appended(String sessionId, List<ChatMessage> added, long lineBytes) {
        Entry entry = entries.get(sessionId);
        if (entry == null) {
            return;
        }
        entry.messages().addAll(added);
        entries.put(sessionId, new Entry(entry.messages(), entry.bytes() + lineBytes));
        bytes += lineBytes;
        evict();
    }

    synchronized void remove(String sessionId) {
        Entry entry = entries.remove(sessionId);
        if (entry != null) {
            bytes -= entry.bytes();
        }
    }

    synchronized boolean contains(String sessionId) {
        return entries.containsKey(sessionId);
    }

    private void evict() {
        Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
        while (bytes > budgetBytes && oldest.hasNext()) {
            bytes -= oldest.next().getValue().bytes();
            oldest.remove();
        }
    }
}
