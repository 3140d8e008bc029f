package dev.neutron.api;

/**
 * One event of a live answer, as sent over SSE: {@code queued} (its place in line for a slot, before {@code meta}),
 * {@code meta}, {@code token}, {@code done} or {@code error}. Ids grow by one from 1 within a generation, so a client
 * can resume after the last id it saw.
 *
 * @param type the SSE event name, always the {@link ChatEventType#name() wire name} of an {@link ChatEventType}; kept
 *             a String so that 1.x consumers and the record's JSON form stay as they were. Use {@link #eventType()}
 *             for the typed value.
 */
public record ChatEvent(long id, String type, Object data) {
    /** @throws IllegalArgumentException when {@code type} is not a {@link ChatEventType} wire name */
    public ChatEvent {
        ChatEventType.fromWire(type);
    }

    /** @since 1.3 */
    public ChatEvent(long id, ChatEventType type, Object data) {
        this(id, type.name(), data);
    }

    /** @since 1.3 */
    public ChatEventType eventType() {
        return ChatEventType.valueOf(type);
    }

    public boolean terminal() {
        return eventType().terminal();
    }
}
