package dev.neutron.http;

import dev.neutron.api.LiveGeneration;
import java.util.function.Consumer;

/** Something whose events an {@link SseStream} follows: the buffered ones after an id, then the live ones. */
@FunctionalInterface
interface SseSource {

    /** One SSE frame: {@code id:}, {@code event:} and the JSON of {@code data}; the stream ends after a terminal one. */
    record Event(long id, String type, Object data, boolean terminal) {
    }

    AutoCloseable subscribe(long afterEventId, Consumer<Event> listener);

    static SseSource of(LiveGeneration generation) {
        return (after, listener) -> generation.subscribe(after,
                event -> listener.accept(new Event(event.id(), event.type(), event.data(), event.terminal())));
    }
}
