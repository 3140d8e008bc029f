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
}
