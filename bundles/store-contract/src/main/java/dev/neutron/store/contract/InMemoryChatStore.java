package dev.neutron.store.contract;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageTree;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of the chat store for the tests of its users (the chat engine, the HTTP API): sessions and their
 * message trees in memory, following the {@link ChatStore} rules for parents, the active leaf, deleted branches and
 * titles. Session ids are numbered.
 */
public final class InMemoryChatStore implements ChatStore {
    private final Map<String, ChatSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, List<ChatMessage>> messages = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Clock clock;

    public InMemoryChatStore() {
        this(Clock.systemUTC());
    }

    /** @param clock the time of every change: a fixed clock gives the same times in every run */
    public InMemoryChatStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ChatSession createSession(NewSession request) {
        String id = String.format("chat_%016d", ids.incrementAndGet());
        boolean untitled = request.title() == null || request.title().isBlank();
        ChatSession session = new ChatSession(id, untitled ? "New chat" : request.title(), request.model(), clock.instant(),
                clock.instant(), 0, null, request.settings(), untitled);
        sessions.put(id, session);
        messages.put(id, new ArrayList<>());
        return session;
    }

    /** A store whose every change happens at 2026-01-01T00:00:00Z, so that answers that show times are the same in every run. */
    public static InMemoryChatStore atFixedTime() {
        return new InMemoryChatStore(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    /** A new session titled "test": its id. */
    public String newSession() {
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
        synchronized (history(sessionId)) {
            ChatSession session = require(sessionId);
            ChatSession updated = patch.model() == null ? session : session.withModel(patch.model(), clock.instant());
            if (patch.title() != null) {
                updated = patch.autoTitle() ? updated.withAutoTitle(patch.title(), clock.instant())
                        : updated.withTitle(patch.title(), clock.instant());
            }
            if (patch.settings() != null) {
                updated = updated.withSettings(patch.settings(), clock.instant());
            }
            sessions.put(sessionId, updated);
            return updated;
        }
    }

    @Override
    public boolean deleteSession(String sessionId) {
        messages.remove(sessionId);
        return sessions.remove(sessionId) != null;
    }

    @Override
    public ChatMessage appendMessage(String sessionId, ChatMessage message) {
        List<ChatMessage> history = history(sessionId);
        synchronized (history) {
            ChatSession session = require(sessionId);
            String parent = message.parentId();
            if (parent == null) {
                parent = history.isEmpty() ? null : session.activeLeafId();
            } else if (parent.equals(ChatMessage.NEW_ROOT)) {
                parent = null;
            } else if (history.stream().noneMatch(m -> m.id().equals(message.parentId()))) {
                throw new NeutronException(ErrorCode.MESSAGE_NOT_FOUND, "No message " + parent);
            }
            ChatMessage stored = message.withParentId(parent);
            history.add(stored);
            sessions.put(sessionId, session.withMessageAdded(clock.instant()).withActiveLeaf(stored.id()));
            return stored;
        }
    }

    @Override
    public List<ChatMessage> messages(String sessionId) {
        List<ChatMessage> history = history(sessionId);
        synchronized (history) {
            return MessageTree.of(history).path(require(sessionId).activeLeafId());
        }
    }

    @Override
    public List<ChatMessage> allMessages(String sessionId) {
        List<ChatMessage> history = history(sessionId);
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    @Override
    public ChatSession setActiveLeaf(String sessionId, String messageId) {
        List<ChatMessage> history = history(sessionId);
        synchronized (history) {
            ChatSession session = require(sessionId);
            if (!MessageTree.of(history).contains(messageId)) {
                throw new NeutronException(ErrorCode.MESSAGE_NOT_FOUND, "No message " + messageId);
            }
            ChatSession updated = session.withActiveLeaf(messageId);
            sessions.put(sessionId, updated);
            return updated;
        }
    }

    @Override
    public ChatSession deleteBranch(String sessionId, String messageId) {
        List<ChatMessage> history = history(sessionId);
        synchronized (history) {
            ChatSession session = require(sessionId);
            MessageTree tree = MessageTree.of(history);
            ChatMessage deleted = tree.find(messageId).orElseThrow(() -> new NeutronException(
                    ErrorCode.MESSAGE_NOT_FOUND, "No message " + messageId));
            Set<String> branch = tree.branch(messageId);
            history.removeIf(m -> branch.contains(m.id()));
            String leaf = session.activeLeafId();
            if (branch.contains(leaf)) {
                MessageTree rest = MessageTree.of(history);
                leaf = rest.newestLeaf(deleted.parentId()).orElse(rest.newestLeaf(null).orElse(null));
            }
            ChatSession updated = new ChatSession(sessionId, session.title(), session.model(), session.createdAt(),
                    session.updatedAt(), history.size(), leaf);
            sessions.put(sessionId, updated);
            return updated;
        }
    }

    private List<ChatMessage> history(String sessionId) {
        require(sessionId);
        return messages.get(sessionId);
    }

    private ChatSession require(String sessionId) {
        ChatSession session = sessions.get(sessionId);
        if (session == null || !messages.containsKey(sessionId)) {
            throw new NeutronException(ErrorCode.SESSION_NOT_FOUND, "No chat session with id " + sessionId + ".");
        }
        return session;
    }
}
