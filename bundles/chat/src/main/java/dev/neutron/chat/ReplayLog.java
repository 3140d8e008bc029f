package dev.neutron.chat;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatEventType;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The events of one answer in order, for a client that reattaches. An answer has an event per token, and thousands of
 * answers may stream at once, so a text delta ({@code token} or {@code thinking}) is kept only as where it ends in the
 * answer's text or thinking: on replay its text is the slice since the delta of its kind before it. Other events are
 * kept whole. Not thread-safe: its {@link GenerationRun} guards it.
 */
final class ReplayLog {
    /** The event at each place, or null where a delta is. */
    private ChatEvent[] whole = new ChatEvent[16];
    /** For a delta: where it ends in the text, or {@code -(end + 1)} where it ends in the thinking. */
    private int[] deltaEnds = new int[16];
    private int size;

    /** The id the next event gets: ids count from 1. */
    long nextId() {
        return size + 1L;
    }

    void add(ChatEvent event) {
        makeRoom();
        whole[size++] = event;
    }

    /** A {@code token} delta that ends at {@code end} in the text. */
    void addText(int end) {
        makeRoom();
        deltaEnds[size++] = end;
    }

    /** A {@code thinking} delta that ends at {@code end} in the thinking. */
    void addThinking(int end) {
        makeRoom();
        deltaEnds[size++] = -(end + 1);
    }

    /** Delivers the events with an id above {@code afterEventId}, deltas cut from {@code text} and {@code thinking}. */
    void replay(long afterEventId, CharSequence text, CharSequence thinking, Consumer<ChatEvent> listener) {
        int textAt = 0;
        int thinkingAt = 0;
        for (int i = 0; i < size; i++) {
            long id = i + 1L;
            ChatEvent event = whole[i];
            if (event != null) {
                if (id > afterEventId) {
                    listener.accept(event);
                }
                continue;
            }
            int end = deltaEnds[i];
            if (end >= 0) {
                if (id > afterEventId) {
                    listener.accept(delta(id, ChatEventType.token, text.subSequence(textAt, end)));
                }
                textAt = end;
            } else {
                end = -end - 1;
                if (id > afterEventId) {
                    listener.accept(delta(id, ChatEventType.thinking, thinking.subSequence(thinkingAt, end)));
                }
                thinkingAt = end;
            }
        }
    }

    /** The event a delta is sent as, live or replayed. */
    static ChatEvent delta(long id, ChatEventType type, CharSequence text) {
        return new ChatEvent(id, type, Map.of("text", text.toString()));
    }

    /** How many events are kept whole (not deltas). */
    int wholeEvents() {
        int count = 0;
        for (int i = 0; i < size; i++) {
            count += whole[i] == null ? 0 : 1;
        }
        return count;
    }

    private void makeRoom() {
        if (size == whole.length) {
            whole = Arrays.copyOf(whole, size * 2);
            deltaEnds = Arrays.copyOf(deltaEnds, size * 2);
        }
    }
}
