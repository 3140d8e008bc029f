package dev.neutron.http;

import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.MessageTree;
import dev.neutron.api.NeutronException;
import java.util.Optional;
import java.util.Set;

/**
 * Switching and deleting the branches of a chat, with the rule that protects the answer in flight: while a chat
 * answers, its shown branch stays put, and the branch holding the question or the answer cannot be deleted.
 */
final class SessionBranches {
    private final SessionServices services;

    SessionBranches(SessionServices services) {
        this.services = services;
    }

    /** What a deleted branch left: the session as it is now and how many messages went. */
    record Deleted(ChatSession session, int deleted) {
    }

    /**
     * Shows the branch through {@code messageId}: its newest leaf becomes the active leaf.
     *
     * @throws NeutronException {@code message_not_found}; {@code generation_in_progress}
     */
    ChatSession show(ChatStore store, String sessionId, String messageId) {
        String leaf = MessageTree.of(store.allMessages(sessionId)).newestLeaf(messageId)
                .orElseThrow(() -> messageNotFound(sessionId, messageId));
        if (services.generating(sessionId)) {
            throw new NeutronException(ErrorCode.GENERATION_IN_PROGRESS, "This chat is answering; switch branches once"
                    + " the answer is done, or stop it with POST /api/v1/chat/sessions/" + sessionId + "/stop.");
        }
        return store.setActiveLeaf(sessionId, leaf);
    }

    /**
     * Deletes {@code messageId} and everything under it. Uploads stay: they belong to the chat, not to a message.
     *
     * @throws NeutronException {@code message_not_found}; {@code generation_in_progress} when the answer in flight
     *                          is in the branch
     */
    Deleted delete(ChatStore store, String sessionId, String messageId) {
        Set<String> branch = MessageTree.of(store.allMessages(sessionId)).branch(messageId);
        if (branch.isEmpty()) {
            throw messageNotFound(sessionId, messageId);
        }
        Optional<LiveGeneration> running = Optional.ofNullable(services.engineIfRunning())
                .flatMap(engine -> engine.generation(sessionId)).filter(generation -> !generation.finished());
        if (running.filter(g -> branch.contains(g.messageId()) || branch.contains(g.userMessageId())).isPresent()) {
            throw new NeutronException(ErrorCode.GENERATION_IN_PROGRESS, "The answer being generated is in this"
                    + " branch. Wait for it, or stop it with POST /api/v1/chat/sessions/" + sessionId
                    + "/stop, then delete the branch.");
        }
        return new Deleted(store.deleteBranch(sessionId, messageId), branch.size());
    }

    static NeutronException messageNotFound(String sessionId, String messageId) {
        return new NeutronException(ErrorCode.MESSAGE_NOT_FOUND, "No message with id " + messageId + " in chat "
                + sessionId + ". GET /api/v1/chat/sessions/" + sessionId + "?tree=all lists every message.");
    }
}
