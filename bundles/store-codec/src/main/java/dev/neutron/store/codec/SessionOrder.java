package dev.neutron.store.codec;

import dev.neutron.api.ChatSession;
import java.util.Comparator;

/** The order of the session list in every store. */
public final class SessionOrder {
    /** Newest first: by last change, then by creation, then by id, so that no two sessions tie. */
    public static final Comparator<ChatSession> NEWEST_FIRST = Comparator.comparing(ChatSession::updatedAt)
            .thenComparing(ChatSession::createdAt).thenComparing(ChatSession::id).reversed();

    private SessionOrder() {
    }
}
