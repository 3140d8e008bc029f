package dev.neutron.http;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.LiveGeneration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Test double of an answer in flight: the test emits its events; subscribers get the replay after an id, then live ones. */
final class FakeLiveGeneration implements LiveGeneration {
    private final String sessionId;
    private final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    private final List<Consumer<ChatEvent>> listeners = new CopyOnWriteArrayList<>();
    final AtomicInteger closedSubscriptions = new AtomicInteger();
    volatile long subscribedAfter = -1;
    /** The question this answers, as the test sets it. */
    volatile String userMessageId;

    FakeLiveGeneration(String sessionId) {
        this.sessionId = sessionId;
    }

    synchronized void emit(String type, Object data) {
        ChatEvent event = new ChatEvent(events.size() + 1, type, data);
        events.add(event);
        for (Consumer<ChatEvent> listener : listeners) {
            listener.accept(event);
        }
    }

    int subscribers() {
        return listeners.size();
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public String messageId() {
        return "msg_1";
    }

    @Override
    public String userMessageId() {
        return userMessageId;
    }

    @Override
    public String model() {
        return "fake-model";
    }

    @Override
    public boolean finished() {
        return !events.isEmpty() && events.get(events.size() - 1).terminal();
    }

    @Override
    public synchronized AutoCloseable subscribe(long afterEventId, Consumer<ChatEvent> listener) {
        subscribedAfter = afterEventId;
        for (ChatEvent event : events) {
            if (event.id() > afterEventId) {
                listener.accept(event);
            }
        }
        listeners.add(listener);
        return () -> {
            if (listeners.remove(listener)) {
                closedSubscriptions.incrementAndGet();
            }
        };
    }
}
