package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An answer's event log: numbered events, replay then live, an end after which nothing more is published. */
class GenerationRunTest {
    private final GenerationRun run = new GenerationRun("chat_1", "msg_1", "msg_0", "m");

    private static List<Long> ids(List<ChatEvent> events) {
        return events.stream().map(ChatEvent::id).toList();
    }

    @Test
    void numbersEventsFromOneAndDeliversThemLive() {
        List<ChatEvent> seen = new ArrayList<>();
        run.subscribe(0, seen::add);

        run.publish(ChatEventType.meta, Map.of());
        run.publish(ChatEventType.token, Map.of("text", "a"));

        assertEquals(List.of(new ChatEvent(1, ChatEventType.meta, Map.of()),
                new ChatEvent(2, ChatEventType.token, Map.of("text", "a"))), seen);
    }

    @Test
    void aLateSubscriberGetsWhatItMissedThenTheRestOnce() {
        run.publish(ChatEventType.meta, Map.of());
        run.publish(ChatEventType.token, Map.of("text", "a"));
        run.publish(ChatEventType.token, Map.of("text", "b"));
        List<ChatEvent> seen = new ArrayList<>();

        run.subscribe(1, seen::add);
        run.publish(ChatEventType.done, Map.of());

        assertEquals(List.of(2L, 3L, 4L), ids(seen));
    }

    @Test
    void nothingIsPublishedAfterTheEnd() {
        run.publish(ChatEventType.meta, Map.of());
        assertTrue(run.publish(ChatEventType.error, Map.of()));

        assertFalse(run.publish(ChatEventType.token, Map.of("text", "late")));
        assertTrue(run.finished());
        List<ChatEvent> seen = new ArrayList<>();
        run.subscribe(0, seen::add);
        assertEquals(List.of(ChatEventType.meta, ChatEventType.error), seen.stream().map(ChatEvent::eventType).toList());
    }

    @Test
    void theLastWatcherLeavingBeforeTheEndCallsTheAbandonAction() throws Exception {
        AtomicInteger abandoned = new AtomicInteger();
        run.whenAbandoned(abandoned::incrementAndGet);
        AutoCloseable first = run.subscribe(0, event -> { });
        AutoCloseable second = run.subscribe(0, event -> { });

        first.close();
        assertEquals(0, abandoned.get(), "one watcher is left");
        second.close();
        assertEquals(1, abandoned.get());
    }

    @Test
    void watchersLeavingAfterTheEndAbandonNothing() throws Exception {
        AtomicInteger abandoned = new AtomicInteger();
        run.whenAbandoned(abandoned::incrementAndGet);
        AutoCloseable watcher = run.subscribe(0, event -> { });
        run.publish(ChatEventType.done, Map.of());

        watcher.close();

        assertEquals(0, abandoned.get());
    }

    @Test
    void aFailingListenerIsDetachedAndOthersStillHearEverything() {
        List<ChatEvent> seen = new ArrayList<>();
        run.subscribe(0, event -> {
            throw new IllegalStateException("client gone");
        });
        run.subscribe(0, seen::add);

        run.publish(ChatEventType.token, Map.of("text", "a"));
        run.publish(ChatEventType.token, Map.of("text", "b"));

        assertEquals(List.of(1L, 2L), ids(seen));
    }

    @Test
    void keepsTheTextSoFar() {
        run.appendText("Hello");
        run.appendText(", world");

        assertEquals("Hello, world", run.textSoFar());
    }
}
