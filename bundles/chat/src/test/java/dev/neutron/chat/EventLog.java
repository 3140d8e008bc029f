package dev.neutron.chat;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.LiveGeneration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Watches one generation the way an SSE client does, and lets a test wait for its next event. */
final class EventLog implements AutoCloseable {
    private final BlockingQueue<ChatEvent> events = new LinkedBlockingQueue<>();
    private final List<ChatEvent> seen = new ArrayList<>();
    private final AutoCloseable subscription;

    EventLog(LiveGeneration generation) {
        subscription = generation.subscribe(0, events::add);
    }

    /** The next event, waiting for it (a safety net of 10 s keeps a broken test from hanging). */
    ChatEvent next() throws InterruptedException {
        ChatEvent event = events.poll(10, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no further event after " + seen);
        }
        seen.add(event);
        return event;
    }

    /** Events delivered but not taken by {@link #next()} yet. */
    List<ChatEvent> pending() {
        return List.copyOf(events);
    }

    /** The client goes away. */
    @Override
    public void close() throws Exception {
        subscription.close();
    }
}
