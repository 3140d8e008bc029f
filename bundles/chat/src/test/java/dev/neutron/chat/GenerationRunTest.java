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
        run.publishText("Hello");
        run.publishText(", world");

        assertEquals("Hello, world", run.textSoFar());
    }

    @Test
    void aReattachingClientGetsEveryDeltaItMissedAsItWasSentLive() {
        List<ChatEvent> live = new ArrayList<>();
        run.subscribe(0, live::add);
        run.publish(ChatEventType.meta, Map.of("model", "m"));
        run.publishThinking("Let me ");
        run.publishThinking("think.");
        run.publishText("Hel");
        run.publishThinking(" More.");
        run.publishText("lo");
        run.publishText("");
        run.publishText(", world");
        run.publish(ChatEventType.done, Map.of("message", "stored"));

        for (long after = 0; after <= live.size(); after++) {
            List<ChatEvent> replayed = new ArrayList<>();
            run.subscribe(after, replayed::add);
            assertEquals(live.subList((int) after, live.size()), replayed, "replay after event " + after);
        }
        assertEquals(new ChatEvent(5, ChatEventType.thinking, Map.of("text", " More.")), live.get(4));
        assertEquals(new ChatEvent(8, ChatEventType.token, Map.of("text", ", world")), live.get(7));
        assertEquals("Hello, world", run.textSoFar());
        assertEquals("Let me think. More.", run.thinkingSoFar());
    }

    @Test
    void aLongAnswerKeepsOnlyItsTextNotAnEventPerToken() {
        run.publish(ChatEventType.meta, Map.of());
        for (int i = 0; i < 10_000; i++) {
            run.publishText("t" + i + " ");
        }
        List<ChatEvent> replayed = new ArrayList<>();

        run.subscribe(9_990, replayed::add);

        assertEquals(1, run.wholeEvents(), "only meta is kept as an event; the tokens are places in the text");
        assertEquals(new ChatEvent(10_001, ChatEventType.token, Map.of("text", "t9999 ")), replayed.get(replayed.size() - 1));
        assertEquals(11, replayed.size());
    }

    @Test
    void noDeltaIsPublishedAfterTheEnd() {
        run.publishText("a");
        run.publish(ChatEventType.done, Map.of());

        assertFalse(run.publishText("late"));
        assertFalse(run.publishThinking("late"));
        assertEquals("a", run.textSoFar());
    }
}
