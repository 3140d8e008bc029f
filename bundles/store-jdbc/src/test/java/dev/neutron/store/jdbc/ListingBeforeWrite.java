package dev.neutron.store.jdbc;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.util.List;
import java.util.Optional;

/**
 * A real store whose listing is taken just before a write lands in it: the race of a migration pass that lists the
 * sessions while clients go on writing. The write runs once, right after the first listing.
 */
final class ListingBeforeWrite implements ChatStore {
    private final ChatStore store;
    private Runnable write;

    ListingBeforeWrite(ChatStore store, Runnable write) {
        this.store = store;
        this.write = write;
    }

    @Override
    public List<ChatSession> listSessions() {
        List<ChatSession> listed = store.listSessions();
        if (write != null) {
            write.run();
            write = null;
        }
        return listed;
    }

    @Override
    public ChatSession createSession(NewSession request) {
        return store.createSession(request);
    }

    @Override
    public Optional<ChatSession> findSession(String sessionId) {
        return store.findSession(sessionId);
    }

    @Override
    public ChatSession updateSession(String sessionId, SessionPatch patch) {
        return store.updateSession(sessionId, patch);
    }

    @Override
    public boolean deleteSession(String sessionId) {
        return store.deleteSession(sessionId);
    }

    @Override
    public ChatMessage appendMessage(String sessionId, ChatMessage message) {
        return store.appendMessage(sessionId, message);
    }

    @Override
    public List<ChatMessage> messages(String sessionId) {
        return store.messages(sessionId);
    }

    @Override
    public List<ChatMessage> allMessages(String sessionId) {
        return store.allMessages(sessionId);
    }
}
