package dev.neutron.http;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Test double of a chat store, in memory; session ids are numbered. */
final class FakeChatStore implements ChatStore {
    private final Map<String, ChatSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, List<ChatMessage>> messages = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public ChatSession createSession(NewSession request) {
        String id = String.format("chat_%016d", next.incrementAndGet());
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        ChatSession session = new ChatSession(id, request.title() == null ? "New chat" : request.title(), request.model(),
                now, now, 0);
        sessions.put(id, session);
        messages.put(id, new ArrayList<>());
        return session;
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
        ChatSession old = findSession(sessionId).orElseThrow(() -> SessionServices.sessionNotFound(sessionId));
        ChatSession updated = new ChatSession(sessionId, patch.title() == null ? old.title() : patch.title(),
                patch.model() == null ? old.model() : patch.model(), old.createdAt(), old.updatedAt(), old.messageCount());
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
        messages.get(sessionId).add(message);
        return message;
    }

    @Override
    public List<ChatMessage> messages(String sessionId) {
        return List.copyOf(messages.getOrDefault(sessionId, List.of()));
    }
}
