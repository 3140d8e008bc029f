package dev.neutron.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where sessions and their messages live. Implementations must be safe under concurrent calls, must make an appended
 * message durable before returning, and must validate session ids ({@link ChatSession#ID_PATTERN}) on every call.
 */
@ConsumerType
public interface ChatStore {

    ChatSession createSession(NewSession request);

    /** All sessions, most recently updated first. */
    List<ChatSession> listSessions();

    Optional<ChatSession> findSession(String sessionId);

    /** @throws NeutronException {@code session_not_found} */
    ChatSession updateSession(String sessionId, SessionPatch patch);

    /** @return false if there was no such session */
    boolean deleteSession(String sessionId);

    /** Appends durably. @throws NeutronException {@code session_not_found} */
    ChatMessage appendMessage(String sessionId, ChatMessage message);

    /** The session's history in order. @throws NeutronException {@code session_not_found} */
    List<ChatMessage> messages(String sessionId);

    /**
     * Adds a session exactly as given (id, title, model, timestamps; a title is capped like any other), with no
     * messages yet: for backups and moves between stores. Its {@code messageCount} grows as
     * {@link #importMessages} adds messages, which leave its {@code updatedAt} as given.
     *
     * @return false, changing nothing, when a session with this id exists already
     * @throws NeutronException {@code invalid_session_id}; {@code service_unavailable} from a store that cannot import
     * @since 1.1
     */
    default boolean importSession(ChatSession session) {
        throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE,
                "The active chat store (" + getClass().getSimpleName() + ") cannot import chats.");
    }

    /**
     * Appends, durably and in order, those of {@code messages} whose id the session does not hold yet (each message
     * must have an id), without changing the session's {@code updatedAt}. Importing the same messages twice adds
     * them once.
     *
     * @return how many messages were added
     * @throws NeutronException {@code session_not_found}; {@code service_unavailable} from a store that cannot import
     * @since 1.1
     */
    default int importMessages(String sessionId, List<ChatMessage> messages) {
        throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE,
                "The active chat store (" + getClass().getSimpleName() + ") cannot import chats.");
    }
}
