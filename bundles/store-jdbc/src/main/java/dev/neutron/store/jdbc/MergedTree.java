package dev.neutron.store.jdbc;

import dev.neutron.api.ChatMessage;
import dev.neutron.store.codec.ConversationTree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The tree rules of a {@link SessionMerge}: while a chat is moved, both stores may append to the same message (a
 * question stored in the source just before the switch, its answer here just after). Such appends were meant as one
 * line, so they become one, in the merged order; a branch made on one side stays a branch.
 */
final class MergedTree {
    private MergedTree() {
    }

    /**
     * The merged rows, parents set, where a message whose parent already has an earlier child from the other side
     * (one side: only in the source; other side: only here) follows the message before it in the merged order.
     */
    static List<MessageRow> chain(List<MessageRow> merged, Set<String> sourceOnly, Set<String> hereOnly,
            MessageRecords records) {
        List<ChatMessage> messages = new ArrayList<>(
                ConversationTree.withParents(merged.stream().map(r -> records.read(r.record())).toList()));
        Map<String, List<String>> childrenSoFar = new HashMap<>();
        List<MessageRow> result = new ArrayList<>(merged.size());
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            String id = message.id();
            if (message.parentId() != null && i > 0 && childrenSoFar.getOrDefault(message.parentId(), List.of()).stream()
                    .anyMatch(sibling -> fromOtherSide(sibling, id, sourceOnly, hereOnly))) {
                message = message.withParentId(messages.get(i - 1).id());
                messages.set(i, message);
            }
            if (message.parentId() != null) {
                childrenSoFar.computeIfAbsent(message.parentId(), p -> new ArrayList<>()).add(message.id());
            }
            MessageRow row = merged.get(i);
            result.add(Objects.equals(row.parentId(), message.parentId()) ? row : records.row(message));
        }
        return result;
    }

    private static boolean fromOtherSide(String a, String b, Set<String> sourceOnly, Set<String> hereOnly) {
        return sourceOnly.contains(a) && hereOnly.contains(b) || hereOnly.contains(a) && sourceOnly.contains(b);
    }

    /**
     * The leaf after a merge: of the two leaves, the one whose branch holds the other (the one that went further);
     * when they are on different branches, the newer message (the last one written to), the one here if that is not
     * known.
     */
    static String leaf(List<ChatMessage> tree, String here, String source) {
        if (here == null || source == null) {
            return here == null ? source : here;
        }
        List<ChatMessage> sourceBranch = ConversationTree.path(tree, source);
        if (sourceBranch.isEmpty()) {
            return here;
        }
        if (sourceBranch.stream().anyMatch(m -> here.equals(m.id()))) {
            return source;
        }
        Instant sourceAt = sourceBranch.get(sourceBranch.size() - 1).createdAt();
        Instant hereAt = tree.stream().filter(m -> here.equals(m.id())).findFirst().map(ChatMessage::createdAt).orElse(null);
        return sourceAt != null && hereAt != null && sourceAt.isAfter(hereAt)
                && ConversationTree.path(tree, here).stream().noneMatch(m -> source.equals(m.id())) ? source : here;
    }
}
