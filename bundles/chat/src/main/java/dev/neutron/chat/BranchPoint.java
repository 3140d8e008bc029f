package dev.neutron.chat;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageTree;
import dev.neutron.api.NeutronException;
import dev.neutron.api.SendMessage;
import java.util.List;

/**
 * Where a question goes in a chat's tree, checked before anything is stored: the parent a new user message is appended
 * with, or the stored question a regeneration answers again, and the history its prompt carries (the branch from the
 * first message down to the question's parent).
 *
 * @param parentId the parent to append a new question with: {@code null} follows the active leaf,
 *                 {@link ChatMessage#NEW_ROOT} starts a new first question
 * @param history  the messages before the question, oldest first
 * @param question for a regeneration: the stored question; {@code null} for a new one
 */
record BranchPoint(String parentId, List<ChatMessage> history, ChatMessage question) {

    /**
     * A new user message: after the active leaf, after {@code parentId}, or beside {@code editOf}.
     *
     * @throws NeutronException {@code invalid_request} for both or an {@code editOf} that is no question;
     *                          {@code message_not_found}
     */
    static BranchPoint forMessage(ChatStore store, String sessionId, SendMessage message) {
        if (message.parentId() != null && message.editOf() != null) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Give either 'parentId' (continue after that message)"
                    + " or 'editOf' (replace that question), not both.");
        }
        if (message.parentId() == null && message.editOf() == null) {
            return new BranchPoint(null, store.messages(sessionId), null);
        }
        MessageTree tree = MessageTree.of(store.allMessages(sessionId));
        if (message.parentId() != null) {
            String parent = require(tree, sessionId, message.parentId()).id();
            return new BranchPoint(parent, tree.path(parent), null);
        }
        ChatMessage edited = require(tree, sessionId, message.editOf());
        if (edited.role() != MessageRole.user) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Message " + edited.id() + " is not a question, so it"
                    + " cannot be edited. To get another answer, use POST /api/v1/chat/sessions/" + sessionId
                    + "/messages/" + edited.id() + "/regenerate.");
        }
        return edited.parentId() == null ? new BranchPoint(ChatMessage.NEW_ROOT, List.of(), null)
                : new BranchPoint(edited.parentId(), tree.path(edited.parentId()), null);
    }

    /**
     * The question to answer again: {@code messageId} itself, or the question an answer answers.
     *
     * @throws NeutronException {@code message_not_found}; {@code invalid_request} when no question is found
     */
    static BranchPoint forRegeneration(ChatStore store, String sessionId, String messageId) {
        MessageTree tree = MessageTree.of(store.allMessages(sessionId));
        ChatMessage named = require(tree, sessionId, messageId);
        ChatMessage question = named.role() == MessageRole.user ? named
                : named.role() == MessageRole.assistant ? tree.find(named.parentId())
                        .filter(parent -> parent.role() == MessageRole.user).orElse(null)
                : null;
        if (question == null) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Message " + messageId + " is neither a question nor"
                    + " an answer to one, so there is nothing to answer again.");
        }
        List<ChatMessage> history = question.parentId() == null ? List.of() : tree.path(question.parentId());
        return new BranchPoint(question.parentId(), history, question);
    }

    private static ChatMessage require(MessageTree tree, String sessionId, String messageId) {
        return tree.find(messageId).orElseThrow(() -> new NeutronException(ErrorCode.MESSAGE_NOT_FOUND,
                "No message with id " + messageId + " in chat " + sessionId
                        + ". GET /api/v1/chat/sessions/" + sessionId + "?tree=all lists every message."));
    }
}
