package dev.neutron.store.jdbc;

import dev.neutron.api.ChatSession;
import java.util.Objects;

/** What was last copied of one source session (a row of {@code neutron_migrated_sessions}). */
record LastCopy(String sessionId, String title, String model, long updatedAtNanos, int messageCount) {
    static LastCopy of(ChatSession session) {
        return new LastCopy(session.id(), session.title() == null ? "" : session.title(), session.model(),
                EpochNanos.of(session.updatedAt()), session.messageCount());
    }

    /** @return true if the session is as it was when it was copied: same title, model, updatedAt and count */
    boolean matches(ChatSession session) {
        return Objects.equals(title, session.title()) && Objects.equals(model, session.model())
                && updatedAtNanos == EpochNanos.of(session.updatedAt()) && messageCount == session.messageCount();
    }
}
