package dev.neutron.http;

import dev.neutron.api.ChatSession;
import java.time.Instant;
import java.util.Map;

/**
 * A session as the API shows it: the stored metadata plus whether an answer is being generated. {@code activeLeafId}
 * is the last message of the branch shown ({@code null} for an empty chat, and in lists for a chat stored before trees
 * existed, whose leaf is its last message). The chat's own settings: {@code systemPrompt} and {@code think}
 * ({@link ChatSettingsFields#thinkToWire}) {@code null} and {@code options} empty where the defaults apply;
 * {@code autoTitle} is true while the title is Neutron's own.
 */
record SessionView(String id, String title, String model, Instant createdAt, Instant updatedAt, int messageCount,
        boolean generating, String activeLeafId, String systemPrompt, Map<String, Object> options, Object think,
        boolean autoTitle) {

    static SessionView of(ChatSession session, boolean generating) {
        return of(session, generating, session.activeLeafId());
    }

    /** With the leaf as read from the chat's messages. */
    static SessionView of(ChatSession session, boolean generating, String activeLeafId) {
        return new SessionView(session.id(), session.title(), session.model(), session.createdAt(), session.updatedAt(),
                session.messageCount(), generating, activeLeafId, session.settings().systemPrompt(),
                session.settings().options(), ChatSettingsFields.thinkToWire(session.settings().think()),
                session.autoTitle());
    }
}
