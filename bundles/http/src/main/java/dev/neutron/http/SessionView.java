package dev.neutron.http;

import dev.neutron.api.ChatSession;
import java.time.Instant;

/** A session as the API shows it: the stored metadata plus whether an answer is being generated. */
record SessionView(String id, String title, String model, Instant createdAt, Instant updatedAt, int messageCount,
        boolean generating) {

    static SessionView of(ChatSession session, boolean generating) {
        return new SessionView(session.id(), session.title(), session.model(), session.createdAt(), session.updatedAt(),
                session.messageCount(), generating);
    }
}
