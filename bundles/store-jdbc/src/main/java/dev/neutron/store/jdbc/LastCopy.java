package dev.neutron.store.jdbc;

import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import java.util.Objects;

/**
 * What was last copied of one source session (a row of {@code neutron_migrated_sessions}). Rows written before
 * settings existed read with {@link ChatSettings#NONE} and {@code autoTitle} false, which is what their sessions had.
 */
record LastCopy(String sessionId, String title, String model, long updatedAtNanos, int messageCount,
        ChatSettings settings, boolean autoTitle) {
    LastCopy {
        settings = settings == null ? ChatSettings.NONE : settings;
    }

    static LastCopy of(ChatSession session) {
        return new LastCopy(session.id(), session.title() == null ? "" : session.title(), session.model(),
                EpochNanos.of(session.updatedAt()), session.messageCount(), session.settings(), session.autoTitle());
    }

    /** @return true if the session is as it was when it was copied: same title, model, settings, updatedAt and count */
    boolean matches(ChatSession session) {
        return Objects.equals(title, session.title()) && Objects.equals(model, session.model())
                && settings.equals(session.settings()) && autoTitle == session.autoTitle()
                && updatedAtNanos == EpochNanos.of(session.updatedAt()) && messageCount == session.messageCount();
    }
}
