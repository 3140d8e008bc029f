package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neutron.api.AttachmentContent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attachment cache keeps what was read, least recently used out first, within its bound in characters. */
class AttachmentCacheTest {
    private final TextAttachments files = new TextAttachments();

    @Test
    void readsEachAttachmentAndLimitOnce() {
        AttachmentCache cache = new AttachmentCache(1_000);
        String a = files.add("chat_1", "a.txt", "aaaa");

        AttachmentContent first = cache.extract(files, "chat_1", a, 100);
        AttachmentContent second = cache.extract(files, "chat_1", a, 100);
        AttachmentContent cut = cache.extract(files, "chat_1", a, 2);

        assertEquals(first, second);
        assertEquals("aa", cut.text());
        assertEquals(2, files.extractions(a), "once per limit");
        assertEquals(6, cache.chars());
    }

    @Test
    void dropsTheLeastRecentlyUsedBeyondItsBound() {
        AttachmentCache cache = new AttachmentCache(10);
        String a = files.add("chat_1", "a.txt", "aaaa");
        String b = files.add("chat_1", "b.txt", "bbbb");
        String c = files.add("chat_1", "c.txt", "cccc");
        cache.extract(files, "chat_1", a, 100);
        cache.extract(files, "chat_1", b, 100);
        cache.extract(files, "chat_1", a, 100); // a is now the most recently used

        cache.extract(files, "chat_1", c, 100); // 12 chars: b goes
        cache.extract(files, "chat_1", a, 100);
        cache.extract(files, "chat_1", b, 100);

        assertEquals(List.of(1, 2, 1), List.of(files.extractions(a), files.extractions(b), files.extractions(c)));
        assertEquals(2, cache.size());
        assertEquals(8, cache.chars());
    }

    @Test
    void keepsNothingLargerThanItsBound() {
        AttachmentCache cache = new AttachmentCache(3);
        String a = files.add("chat_1", "a.txt", "aaaa");

        cache.extract(files, "chat_1", a, 100);
        cache.extract(files, "chat_1", a, 100);

        assertEquals(2, files.extractions(a));
        assertEquals(0, cache.size());
    }

    @Test
    void aSmallerBoundDropsEntriesAtOnce() {
        AttachmentCache cache = new AttachmentCache(100);
        cache.extract(files, "chat_1", files.add("chat_1", "a.txt", "aaaa"), 100);
        cache.extract(files, "chat_1", files.add("chat_1", "b.txt", "bbbb"), 100);

        cache.resize(5);

        assertEquals(1, cache.size());
        assertEquals(4, cache.chars());
    }
}
