package dev.neutron.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The messages of one chat as a tree, for walking it: what {@link ChatStore#allMessages} returns (append order,
 * parents set, {@code null} for every first question). Children are kept in append order, so "the newest" is "the
 * one appended last". Immutable.
 *
 * @since 2.2
 */
public final class MessageTree {
    private final Map<String, ChatMessage> byId = new LinkedHashMap<>();
    private final Map<String, Integer> appendIndex = new LinkedHashMap<>();
    private final Map<String, List<String>> children = new LinkedHashMap<>();
    private final List<String> roots = new ArrayList<>();

    private MessageTree(List<ChatMessage> appendOrder) {
        for (ChatMessage message : appendOrder) {
            if (message.id() == null || byId.putIfAbsent(message.id(), message) != null) {
                continue;
            }
            appendIndex.put(message.id(), appendIndex.size());
            String parent = message.parentId();
            if (parent == null || parent.isEmpty()) {
                roots.add(message.id());
            } else {
                children.computeIfAbsent(parent, p -> new ArrayList<>()).add(message.id());
            }
        }
    }

    /** @param appendOrder the messages of one chat in the order they were appended, parents set */
    public static MessageTree of(List<ChatMessage> appendOrder) {
        return new MessageTree(appendOrder);
    }

    public boolean contains(String messageId) {
        return messageId != null && byId.containsKey(messageId);
    }

    public Optional<ChatMessage> find(String messageId) {
        return Optional.ofNullable(messageId == null ? null : byId.get(messageId));
    }

    /** The children of {@code parentId} in append order; the first questions for {@code null}. */
    public List<String> children(String parentId) {
        return parentId == null ? List.copyOf(roots) : List.copyOf(children.getOrDefault(parentId, List.of()));
    }

    /** The message and its siblings (the children of its parent) in append order; empty for an unknown id. */
    public List<String> siblings(String messageId) {
        ChatMessage message = byId.get(messageId);
        return message == null ? List.of() : children(parentOf(message));
    }

    /** The message and everything under it, each before its children; empty for an unknown id. */
    public Set<String> branch(String messageId) {
        Set<String> branch = new LinkedHashSet<>();
        if (!contains(messageId)) {
            return branch;
        }
        List<String> toVisit = new ArrayList<>(List.of(messageId));
        for (int i = 0; i < toVisit.size(); i++) {
            String id = toVisit.get(i);
            if (branch.add(id)) {
                toVisit.addAll(children.getOrDefault(id, List.of()));
            }
        }
        return branch;
    }

    /**
     * The leaf appended last among the message and everything under it (the message itself when it has no children);
     * for {@code null}, the newest leaf of the whole chat. Empty for an unknown id or an empty chat.
     */
    public Optional<String> newestLeaf(String messageId) {
        Set<String> candidates = messageId == null ? byId.keySet() : branch(messageId);
        String newest = null;
        for (String id : candidates) {
            if (children.getOrDefault(id, List.of()).isEmpty()
                    && (newest == null || appendIndex.get(id) > appendIndex.get(newest))) {
                newest = id;
            }
        }
        return Optional.ofNullable(newest);
    }

    /** From the first question down to {@code leafId}; empty for an unknown id. A loop (never stored) ends the walk. */
    public List<ChatMessage> path(String leafId) {
        List<ChatMessage> path = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ChatMessage at = leafId == null ? null : byId.get(leafId); at != null && seen.add(at.id());
                at = at.parentId() == null ? null : byId.get(at.parentId())) {
            path.add(at);
        }
        Collections.reverse(path);
        return path;
    }

    /** Every message in append order. */
    public List<ChatMessage> messages() {
        return List.copyOf(byId.values());
    }

    /**
     * Every message in append order as {@link ChatStore#importMessages} must be given them to rebuild this tree: every
     * first question after the first message with the parent {@link ChatMessage#NEW_ROOT}, since a message without
     * parent is read there as following the message before it (an export made before trees).
     */
    public List<ChatMessage> forImport() {
        List<ChatMessage> result = new ArrayList<>(byId.size());
        for (ChatMessage message : byId.values()) {
            result.add(parentOf(message) == null && !result.isEmpty() ? message.withParentId(ChatMessage.NEW_ROOT) : message);
        }
        return result;
    }

    public int size() {
        return byId.size();
    }

    private static String parentOf(ChatMessage message) {
        return message.parentId() == null || message.parentId().isEmpty() ? null : message.parentId();
    }
}
