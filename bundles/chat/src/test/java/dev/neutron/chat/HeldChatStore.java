package dev.neutron.chat;

import dev.neutron.store.contract.InMemoryChatStore;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test double of a slow chat store: the next {@link #appendMessage} waits until the test lets it go on (or fail), so
 * a test can act while a message is being stored. Everything else goes straight to an {@link InMemoryChatStore}.
 */
final class HeldChatStore implements ChatStore {
    private final InMemoryChatStore delegate;
    private volatile Hold hold;
    private volatile RuntimeException setActiveLeafFailure;

    /** One held append: {@link #awaitHeld()} until it is waiting, then {@link #release} or {@link #fail}. */
    static final class Hold {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CompletableFuture<Void> outcome = new CompletableFuture<>();

        void awaitHeld() throws InterruptedException {
            if (!held.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("no message was stored");
            }
        }

        void release() {
            outcome.complete(null);
        }

        void fail(RuntimeException failure) {
            outcome.completeExceptionally(failure);
        }
    }

    HeldChatStore(InMemoryChatStore delegate) {
        this.delegate = delegate;
    }

    /** Holds the next append. */
    Hold holdNextAppend() {
        Hold next = new Hold();
        hold = next;
        return next;
    }

    @Override
    public ChatMessage appendMessage(String sessionId, ChatMessage message) {
        Hold current = hold;
        if (current != null) {
            hold = null;
            current.held.countDown();
            try {
                current.outcome.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw (RuntimeException) e.getCause();
            } catch (Exception e) {
                throw new AssertionError("the held append was never let go", e);
            }
        }
        return delegate.appendMessage(sessionId, message);
    }

    @Override
    public ChatSession createSession(NewSession request) {
        return delegate.createSession(request);
    }

    @Override
    public List<ChatSession> listSessions() {
        return delegate.listSessions();
    }

    @Override
    public Optional<ChatSession> findSession(String sessionId) {
        return delegate.findSession(sessionId);
    }

    @Override
    public ChatSession updateSession(String sessionId, SessionPatch patch) {
        return delegate.updateSession(sessionId, patch);
    }

    @Override
    public boolean deleteSession(String sessionId) {
        return delegate.deleteSession(sessionId);
    }

    @Override
    public List<ChatMessage> messages(String sessionId) {
        return delegate.messages(sessionId);
    }

    @Override
    public List<ChatMessage> allMessages(String sessionId) {
        return delegate.allMessages(sessionId);
    }

    /** From now on, switching the active leaf fails with {@code failure}, as in a store without branches. */
    void failSetActiveLeaf(RuntimeException failure) {
        setActiveLeafFailure = failure;
    }

    @Override
    public ChatSession setActiveLeaf(String sessionId, String messageId) {
        RuntimeException failure = setActiveLeafFailure;
        if (failure != null) {
            throw failure;
        }
        return delegate.setActiveLeaf(sessionId, messageId);
    }
}
