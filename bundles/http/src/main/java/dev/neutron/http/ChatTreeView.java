package dev.neutron.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageTree;
import dev.neutron.api.NeutronException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * The messages of a chat as {@code GET …/sessions/{id}} and {@code …/messages} show them: the active branch, each
 * message with {@code siblingIds} (it and the other children of its parent, in append order) and {@code siblingIndex}
 * (its place among them); with {@code ?tree=all} also every message of every branch.
 *
 * @param messages the active branch, from the first message down to the leaf
 * @param tree     every message in append order; {@code null} unless asked for
 * @param leafId   the last message of the active branch; {@code null} for an empty chat
 */
record ChatTreeView(List<ObjectNode> messages, List<ChatMessage> tree, String leafId) {

    /** @throws NeutronException {@code invalid_request} for a {@code tree} parameter other than {@code all} */
    static boolean wantsTree(HttpServletRequest request) {
        String tree = request.getParameter("tree");
        if (tree != null && !"all".equals(tree)) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Query parameter 'tree' can only be 'all' (every"
                    + " message of every branch); leave it out for the active branch alone.");
        }
        return tree != null;
    }

    static ChatTreeView of(ChatStore store, String sessionId, boolean withTree) {
        List<ChatMessage> path = store.messages(sessionId);
        List<ChatMessage> all = store.allMessages(sessionId);
        MessageTree tree = MessageTree.of(all);
        List<ObjectNode> shown = path.stream().map(message -> withSiblings(message, tree)).toList();
        return new ChatTreeView(shown, withTree ? all : null, path.isEmpty() ? null : path.get(path.size() - 1).id());
    }

    private static ObjectNode withSiblings(ChatMessage message, MessageTree tree) {
        List<String> siblings = tree.siblings(message.id());
        if (!siblings.contains(message.id())) { // appended between the two reads
            siblings = List.of(message.id());
        }
        ObjectNode node = Json.MAPPER.valueToTree(message);
        node.set("siblingIds", Json.MAPPER.valueToTree(siblings));
        node.put("siblingIndex", siblings.indexOf(message.id()));
        return node;
    }
}
