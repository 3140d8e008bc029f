package dev.neutron.chat;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.NeutronException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The event log of one answer. Every event is kept until the run is forgotten, so a client that reattaches gets
 * exactly the events it missed and then the live rest; text deltas are kept as places in the text so far (see
 * {@link ReplayLog}). Publishing and subscribing are serialised on one lock, so
 * no event is delivered twice or skipped during the hand-over from replay to live.
 */
final class GenerationRun implements LiveGeneration {
    private static final System.Logger LOG = System.getLogger(GenerationRun.class.getName());

    private final String sessionId;
    private final String messageId;
    private final String userMessageId;
    private final String model;
    private final ReplayLog events = new ReplayLog();
    private final List<Consumer<ChatEvent>> listeners = new CopyOnWriteArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private volatile boolean finished;
    private volatile long finishedAtMillis;
    private volatile Runnable whenAbandoned = () -> { };

    GenerationRun(String sessionId, String messageId, String userMessageId, String model) {
        this.sessionId = sessionId;
        this.messageId = messageId;
        this.userMessageId = userMessageId;
        this.model = model;
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public String messageId() {
        return messageId;
    }

    @Override
    public String userMessageId() {
        return userMessageId;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean finished() {
        return finished;
    }

    long finishedAtMillis() {
        return finishedAtMillis;
    }

    /**
     * Runs {@code action} whenever the last watcher leaves before the end (its client disconnected). It may be called
     * with this run locked, so it must hand work off rather than wait for it.
     */
    void whenAbandoned(Runnable action) {
        whenAbandoned = action;
    }

    synchronized String textSoFar() {
        return text.toString();
    }

    /** Appends a delta of the answer's text and publishes it as a {@code token} event; false once the run has ended. */
    synchronized boolean publishText(String delta) {
        if (finished) {
            return false;
        }
        text.append(delta);
        ChatEvent event = ReplayLog.delta(events.nextId(), ChatEventType.token, delta);
        events.addText(text.length());
        deliver(event);
        return true;
    }

    /** The model's thinking so far; null when it did not think. */
    synchronized String thinkingSoFar() {
        return thinking.isEmpty() ? null : thinking.toString();
    }

    /** Appends a delta of the model's thinking and publishes it as a {@code thinking} event; false once ended. */
    synchronized boolean publishThinking(String delta) {
        if (finished) {
            return false;
        }
        thinking.append(delta);
        ChatEvent event = ReplayLog.delta(events.nextId(), ChatEventType.thinking, delta);
        events.addThinking(thinking.length());
        deliver(event);
        return true;
    }

    /** How many events are kept whole (the deltas are kept as places in the text). */
    synchronized int wholeEvents() {
        return events.wholeEvents();
    }

    /** Records and delivers an event; returns false once the run has ended (a terminal event was published). */
    boolean publish(ChatEventType type, Object data) {
        ChatEvent event;
        synchronized (this) {
            if (finished) {
                return false;
            }
            event = new ChatEvent(events.nextId(), type, data);
            events.add(event);
            if (event.terminal()) {
                finished = true;
                finishedAtMillis = System.currentTimeMillis();
            }
            deliver(event);
        }
        if (event.terminal()) {
            listeners.clear();
        }
        return true;
    }

    /** Publishes the end: {@code done} with the stored answer, or {@code error} with the reason and the answer. */
    void end(ChatMessage answer, NeutronException error) {
        if (error == null) {
            publish(ChatEventType.done, Map.of("message", answer));
        } else {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("error", Map.of("code", error.code().code(), "message", error.getMessage()));
            data.put("message", answer);
            publish(ChatEventType.error, data);
        }
    }

    private void deliver(ChatEvent event) {
        for (Consumer<ChatEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "An event listener failed; detaching it", e);
                detach(listener);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(long afterEventId, Consumer<ChatEvent> listener) {
        synchronized (this) {
            events.replay(afterEventId, text, thinking, listener);
            if (!finished) {
                listeners.add(listener);
            }
        }
        return () -> detach(listener);
    }

    private void detach(Consumer<ChatEvent> listener) {
        if (listeners.remove(listener) && listeners.isEmpty() && !finished) {
            whenAbandoned.run();
        }
    }
}
