package dev.neutron.store.codec;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.MessageTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What deleting a branch does to a chat, the same in every store ({@code ChatStore.deleteBranch}): which messages go,
 * how each remaining one must be stored, and which leaf is active afterwards.
 *
 * @param deleted the ids of the message and everything under it
 * @param kept    the other messages in append order, each as it must be stored so that it keeps its parent once the
 *                deleted ones are gone: with its parent written out (a message stored without one follows the message
 *                before it, which may be gone), a root other than the first as {@link ChatMessage#NEW_ROOT}
 * @param activeLeaf the leaf to show afterwards; null when nothing is left
 */
public record BranchDeletion(Set<String> deleted, List<ChatMessage> kept, String activeLeaf) {

    /**
     * @param appendOrder the messages as stored, in the order they were appended
     * @param storedLeaf  the session's stored active leaf (may be null or stale: {@link ConversationTree#activeLeaf})
     * @return empty when no message has the id {@code messageId}
     */
    public static Optional<BranchDeletion> plan(List<ChatMessage> appendOrder, String storedLeaf, String messageId) {
        List<ChatMessage> withParents = ConversationTree.withParents(appendOrder);
        MessageTree tree = MessageTree.of(withParents);
        if (!tree.contains(messageId)) {
            return Optional.empty();
        }
        Set<String> deleted = tree.branch(messageId);
        List<ChatMessage> kept = new ArrayList<>();
        for (ChatMessage message : withParents) {
            if (message.id() == null || !deleted.contains(message.id())) {
                kept.add(message.parentId() == null && !kept.isEmpty() ? message.withParentId(ChatMessage.NEW_ROOT) : message);
            }
        }
        String leaf = ConversationTree.activeLeaf(withParents, storedLeaf);
        if (deleted.contains(leaf)) {
            leaf = MessageTree.of(kept).newestLeaf(tree.find(messageId).map(ChatMessage::parentId).orElse(null))
                    .orElse(null);
        }
        return Optional.of(new BranchDeletion(Set.copyOf(deleted), List.copyOf(kept), leaf));
    }

    /** Whether {@code kept} must be stored differently from how it was: its parent was implied and now is written. */
    public static boolean rewritten(ChatMessage stored, ChatMessage kept) {
        return !Objects.equals(stored.parentId(), kept.parentId());
    }
}
