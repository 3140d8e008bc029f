package dev.neutron.chat;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A test double of the chat store: sessions and messages in memory. */
final class InMemoryChatStore implements ChatStore {
    private final Map<String, ChatSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, List<ChatMessage>> messages = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public ChatSession createSession(NewSession request) {
        String id = String.format("chat_%012d", ids.incrementAndGet());
        ChatSession session = new ChatSession(id, "test", request.model(), Instant.now(), Instant.now(), 0);
        sessions.put(id, session);
        messages.put(id, new ArrayList<>());
        return session;
    }

    String newSession() {
        return createSession(new NewSession("test", null)).id();
    }

    @Override
    public List<ChatSession> listSessions() {
        return List.copyOf(sessions.values());
    }

    @Override
    public Optional<ChatSession> findSession(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public ChatSession updateSession(String sessionId, SessionPatch patch) {
        ChatSession session = require(sessionId);
        ChatSession updated = patch.model() == null ? session : session.withModel(patch.model(), Instant.now());
        sessions.put(sessionId, updated);
        return updated;
    }

    @Override
    public boolean deleteSession(String sessionId) {
        messages.remove(sessionId);
        return sessions.remove(sessionId) != null;
    }

    @Override
    public ChatMessage appendMessage(String sessionId, ChatMessage message) {
        require(sessionId);
        synchronized (messages.get(sessionId)) {
            messages.get(sessionId).add(message);
        }
        return message;
    }

    @Override
    public List<ChatMessage> messages(String sessionId) {
        require(sessionId);
        synchronized (messages.get(sessionId)) {
            return List.copyOf(messages.get(sessionId));
        }
    }

    private ChatSession require(String sessionId) {
        ChatSession session = sessions.get(sessionId);
        if (session == null) {
            throw new NeutronException(ErrorCode.SESSION_NOT_FOUND, "No session " + sessionId);
        }
        return session;
    }
}
