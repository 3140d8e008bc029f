package dev.neutron.api;

/**
 * The type of a {@link ChatEvent}: the SSE {@code event:} name. The constants are spelt as on the wire (lowercase), so
 * {@link #name()} is the wire name and Jackson writes them unchanged.
 *
 * @since 1.3
 */
public enum ChatEventType {
    /** The answer waits in line for a slot; data {@code {"position"}}. Only before {@link #meta}. */
    queued,
    /** The answer starts: session, model, context window. */
    meta,
    /** The next piece of the answer; data {@code {"text"}}. */
    token,
    /**
     * The next piece of a thinking model's reasoning, before (or between) its answer's tokens; data {@code {"text"}}.
     * Kept apart from the answer. @since 2.2
     */
    thinking,
    /** The answer ended and is stored (complete or stopped); data {@code {"message"}}. Terminal. */
    done,
    /** The answer failed; what there is of it is stored with status {@code error}. Terminal. */
    error;

    /** True for the last event of an answer. */
    public boolean terminal() {
        return this == done || this == error;
    }

    /**
     * The type with this wire name.
     *
     * @throws IllegalArgumentException for a name that is not an event type
     */
    public static ChatEventType fromWire(String name) {
        for (ChatEventType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Not a chat event type: '" + name + "'. Expected one of queued, meta, token,"
                + " done, error.");
    }
}
