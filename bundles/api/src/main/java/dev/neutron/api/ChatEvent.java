package dev.neutron.api;

/**
 * One event of a live answer, as sent over SSE: {@code queued} (its place in line for a slot, before {@code meta}),
 * {@code meta}, {@code token}, {@code done} or {@code error}. Ids grow
 * by one from 1 within a generation, so a client can resume after the last id it saw.
 */
public record ChatEvent(long id, String type, Object data) {
    public boolean terminal() {
        return "done".equals(type) || "error".equals(type);
    }
}
