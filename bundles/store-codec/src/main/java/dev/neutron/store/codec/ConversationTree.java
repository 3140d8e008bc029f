package dev.neutron.store.codec;

import dev.neutron.api.ChatMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tree rule of every store. The messages of a chat, in the order they were appended, form a tree by
 * {@link ChatMessage#parentId()}; the conversation shown and sent to the model is the walk from a leaf up to the first
 * message.
 *
 * <p>Records written before trees existed have no {@code parentId}. The rule that reads them: the first message is the
 * root, and every later message without a parent is the child of the message appended just before it. A store never
 * writes a second root without saying so (an append without a parent follows the active leaf; a later root, an edit
 * of the first question, is stored with the parent {@link ChatMessage#NEW_ROOT}), so this rule is exact for old and
 * new records alike, and an old chat reads as one straight branch with nothing rewritten.
 */
public final class ConversationTree {
    private ConversationTree() {
    }

    /** The messages with every parent set by the rule above; those that have one are returned as they are. */
    public static List<ChatMessage> withParents(List<ChatMessage> appendOrder) {
        List<ChatMessage> result = new ArrayList<>(appendOrder.size());
        ChatMessage previous = null;
        for (ChatMessage message : appendOrder) {
            if (ChatMessage.NEW_ROOT.equals(message.parentId())) {
                result.add(message.withParentId(null));
            } else {
                result.add(message.parentId() == null && previous != null && previous.id() != null
                        ? message.withParentId(previous.id()) : message);
            }
            previous = message;
        }
        return result;
    }

    /**
     * The leaf a session shows: {@code storedLeaf} if it names one of the messages, else the last message appended
     * (a session from before trees, or one whose stored leaf lags behind its history after a crash); null when there
     * are no messages.
     */
    public static String activeLeaf(List<ChatMessage> appendOrder, String storedLeaf) {
        if (appendOrder.isEmpty()) {
            return null;
        }
        if (storedLeaf != null && appendOrder.stream().anyMatch(m -> storedLeaf.equals(m.id()))) {
            return storedLeaf;
        }
        return appendOrder.get(appendOrder.size() - 1).id();
    }

    /**
     * The branch that ends at {@code leafId}, from its root down, of messages whose parents are set
     * ({@link #withParents}). A parent that is not among the messages ends the walk, as does a loop (neither is
     * written by a store). Empty if no message has the id.
     */
    public static List<ChatMessage> path(List<ChatMessage> withParents, String leafId) {
        Map<String, ChatMessage> byId = new HashMap<>();
        for (ChatMessage message : withParents) {
            if (message.id() != null) {
                byId.putIfAbsent(message.id(), message);
            }
        }
        List<ChatMessage> branch = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ChatMessage at = leafId == null ? null : byId.get(leafId); at != null && seen.add(at.id());
                at = at.parentId() == null ? null : byId.get(at.parentId())) {
            branch.add(at);
        }
        Collections.reverse(branch);
        return branch;
    }

    /** The active branch of a session: {@link #path} to its {@link #activeLeaf}, parents set. */
    public static List<ChatMessage> activePath(List<ChatMessage> appendOrder, String storedLeaf) {
        List<ChatMessage> tree = withParents(appendOrder);
        // messages without id (only hand-written files have them) are on no path: a chat of those shows them all
        String leaf = activeLeaf(tree, storedLeaf);
        return leaf == null ? tree : path(tree, leaf);
    }
}
