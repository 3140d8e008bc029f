package dev.neutron.chat;

import dev.neutron.api.AttachmentContent;
import dev.neutron.api.AttachmentStore;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What attachments contribute to prompts, kept across sends so that a chat's files are read (and its PDFs parsed) once,
 * not on every message. An attachment never changes once stored, so an entry stays right until the attachment is
 * deleted; the caller checks that it still exists. Least recently used entries go first once the kept text and images
 * exceed {@code maxChars}. Failures are not kept.
 */
final class AttachmentCache {
    private record Key(String sessionId, String attachmentId, int maxChars) {
    }

    private final Map<Key, AttachmentContent> entries = new LinkedHashMap<>(16, 0.75f, true);
    private volatile long maxChars;
    private long chars;

    AttachmentCache(long maxChars) {
        this.maxChars = Math.max(0, maxChars);
    }

    /** The content of an attachment cut to {@code limit} characters, extracted by {@code store} on a miss. */
    AttachmentContent extract(AttachmentStore store, String sessionId, String attachmentId, int limit) {
        Key key = new Key(sessionId, attachmentId, limit);
        synchronized (this) {
            AttachmentContent cached = entries.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // outside the lock: one slow PDF must not hold up other chats
        AttachmentContent content = store.extract(sessionId, attachmentId, limit);
        put(key, content);
        return content;
    }

    /** Changes the bound; entries beyond it go at once. */
    synchronized void resize(long newMaxChars) {
        maxChars = Math.max(0, newMaxChars);
        evict();
    }

    /** Forgets everything, e.g. when the attachment store is replaced. */
    synchronized void clear() {
        entries.clear();
        chars = 0;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long chars() {
        return chars;
    }

    private synchronized void put(Key key, AttachmentContent content) {
        long size = size(content);
        if (size > maxChars) {
            return;
        }
        AttachmentContent previous = entries.put(key, content);
        chars += size - (previous == null ? 0 : size(previous));
        evict();
    }

    private void evict() {
        Iterator<AttachmentContent> eldestFirst = entries.values().iterator();
        while (chars > maxChars && eldestFirst.hasNext()) {
            chars -= size(eldestFirst.next());
            eldestFirst.remove();
        }
    }

    private static long size(AttachmentContent content) {
        long text = content.text() == null ? 0 : content.text().length();
        long image = content.imageBase64() == null ? 0 : content.imageBase64().length();
        return text + image;
    }
}
