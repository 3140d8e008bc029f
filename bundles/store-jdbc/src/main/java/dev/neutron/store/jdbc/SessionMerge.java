package dev.neutron.store.jdbc;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import dev.neutron.store.codec.ConversationTree;
import dev.neutron.store.codec.SessionTitles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what one sync pass of {@link StoreMigration} changes in the PostgreSQL store for one session, from the
 * session as the source has it, as it was last copied ({@link LastCopy}) and as it is here. No SQL: the migration
 * reads the inputs and applies the {@link Plan} in one transaction.
 */
final class SessionMerge {
    private final MessageRecords records;

    SessionMerge(MessageRecords records) {
        this.records = records;
    }

    /** What to do with the session here. */
    sealed interface Plan {
    }

    /** It was deleted here after it was copied: it stays deleted (only the last copy is brought up to date). */
    record StaysDeleted() implements Plan {
    }

    /** New here: insert the session and all its messages. */
    record Copy(ChatSession session, List<MessageRow> messages) implements Plan {
    }

    /**
     * Present here: write title, autoTitle, model, settings, updatedAt, messageCount and activeLeafId if
     * {@code writeSession}; replace the messages by {@code messages} unless it is null ({@code added} of them are new).
     * {@code changed}: anything but updatedAt.
     */
    record Update(String title, boolean autoTitle, String model, ChatSettings settings, Instant updatedAt,
            int messageCount, String activeLeafId, List<MessageRow> messages, int added, boolean changed,
            boolean writeSession) implements Plan {
    }

    /** A session unchanged in the source since it was last copied needs no pass (its messages are not even read). */
    static boolean needsSync(ChatSession source, LastCopy lastCopy) {
        return lastCopy == null || !lastCopy.matches(source);
    }

    /** A session gone from the source goes here too, unless it changed here since it was copied. */
    static boolean deleteHere(LastCopy lastCopy, Optional<ChatSession> here) {
        return here.isPresent() && lastCopy.matches(here.get());
    }

    /**
     * @param from the session in the source; @param history all its messages there, every branch, in append order
     * @param lastCopy what was copied of it before, or null; @param here the session in this store, if any
     * @param present the rows of its messages here, in order (empty if it is not here)
     */
    Plan plan(ChatSession from, List<ChatMessage> sourceHistory, LastCopy lastCopy, Optional<ChatSession> here,
            List<MessageRow> present) {
        List<ChatMessage> history = ConversationTree.withParents(sourceHistory);
        if (here.isEmpty() && lastCopy != null) {
            return new StaysDeleted();
        }
        if (here.isEmpty()) {
            List<MessageRow> rows = history.stream().map(records::row).toList();
            return new Copy(new ChatSession(from.id(), SessionTitles.clean(from.title()), JdbcChatStore.cleanModel(from.model()),
                    from.createdAt(), from.updatedAt(), rows.size(), from.activeLeafId(), from.settings(),
                    from.autoTitle()), rows);
        }
        ChatSession current = here.get();
        String title = current.title();
        boolean autoTitle = current.autoTitle();
        String model = current.model();
        ChatSettings settings = current.settings();
        if (lastCopy == null) {
            if (from.updatedAt().isAfter(current.updatedAt())) { // same id from elsewhere (an import): newer wins
                title = SessionTitles.clean(from.title());
                autoTitle = from.autoTitle();
                model = JdbcChatStore.cleanModel(from.model());
                settings = from.settings();
            }
        } else {
            // changed in the source since the copy, and not here: taken over; changed on both sides: this one stays.
            // A title goes with whose it is (a user's or Neutron's).
            if (!titleOf(from).equals(titleOf(lastCopy)) && titleOf(current).equals(titleOf(lastCopy))) {
                title = SessionTitles.clean(from.title());
                autoTitle = from.autoTitle();
            }
            if (!Objects.equals(from.model(), lastCopy.model()) && Objects.equals(current.model(), lastCopy.model())) {
                model = JdbcChatStore.cleanModel(from.model());
            }
            if (!from.settings().equals(lastCopy.settings()) && current.settings().equals(lastCopy.settings())) {
                settings = from.settings();
            }
        }
        boolean changed = !title.equals(current.title()) || autoTitle != current.autoTitle()
                || !Objects.equals(model, current.model()) || !settings.equals(current.settings());
        Set<String> presentIds = new HashSet<>();
        present.forEach(row -> presentIds.add(row.id()));
        int missing = (int) history.stream().filter(m -> m.id() != null && !presentIds.contains(m.id())).count();
        List<MessageRow> messages = null;
        int count = current.messageCount();
        if (missing > 0) {
            messages = merge(present, history);
            count = messages.size();
            changed = true;
        }
        List<ChatMessage> tree = ConversationTree.withParents(
                (messages == null ? present : messages).stream().map(row -> records.read(row.record())).toList());
        String hereLeaf = ConversationTree.activeLeaf(tree, current.activeLeafId());
        String leaf = MergedTree.leaf(tree, hereLeaf, ConversationTree.activeLeaf(history, from.activeLeafId()));
        if (Objects.equals(leaf, hereLeaf) && (current.activeLeafId() != null || from.activeLeafId() == null)) {
            leaf = current.activeLeafId(); // unchanged: as stored, null ("the last message") included
        }
        Instant updated = from.updatedAt().isAfter(current.updatedAt()) ? from.updatedAt() : current.updatedAt();
        return new Update(title, autoTitle, model, settings, updated, count, leaf, messages, missing, changed,
                changed || !updated.equals(current.updatedAt()) || !Objects.equals(leaf, current.activeLeafId()));
    }

    private record Title(String title, boolean autoTitle) {
    }

    private static Title titleOf(ChatSession session) {
        return new Title(session.title(), session.autoTitle());
    }

    private static Title titleOf(LastCopy lastCopy) {
        return new Title(lastCopy.title(), lastCopy.autoTitle());
    }

    /**
     * The history here plus the source's messages it lacks. Each missing message goes right after the message that
     * precedes it in the source, then past messages that exist only here and are not newer than it; so a question
     * written to the source just before the switch stays ahead of its answer written here just after. A source
     * message without id cannot be matched, so it is left out (the engine always sets ids). Rows here written before
     * trees get their parent written out first, so that the new order does not give them another one; appends to
     * the same message made on both sides become one line ({@link MergedTree}).
     */
    List<MessageRow> merge(List<MessageRow> present, List<ChatMessage> history) {
        Set<String> sourceIds = new HashSet<>();
        history.forEach(m -> sourceIds.add(m.id()));
        List<ChatMessage> presentMessages = present.stream().map(row -> records.read(row.record())).toList();
        List<ChatMessage> resolved = ConversationTree.withParents(presentMessages);
        List<MessageRow> result = new ArrayList<>(present.size());
        List<Instant> created = new ArrayList<>();
        for (int i = 0; i < present.size(); i++) {
            result.add(resolved.get(i) == presentMessages.get(i) ? present.get(i) : records.row(resolved.get(i)));
            created.add(presentMessages.get(i).createdAt());
        }
        Set<String> ids = new HashSet<>();
        present.forEach(row -> ids.add(row.id()));
        int after = 0; // insertion point: just after the previous source message
        for (ChatMessage message : history) {
            if (message.id() == null) {
                continue;
            }
            if (ids.contains(message.id())) {
                after = indexOf(result, message.id()) + 1;
                continue;
            }
            int position = after;
            while (position < result.size() && !sourceIds.contains(result.get(position).id())
                    && created.get(position) != null && message.createdAt() != null
                    && !created.get(position).isAfter(message.createdAt())) {
                position++;
            }
            result.add(position, records.row(message));
            created.add(position, message.createdAt());
            ids.add(message.id());
            after = position + 1;
        }
        Set<String> sourceOnly = new HashSet<>(sourceIds);
        Set<String> hereOnly = new HashSet<>();
        present.forEach(row -> {
            sourceOnly.remove(row.id());
            if (!sourceIds.contains(row.id())) {
                hereOnly.add(row.id());
            }
        });
        return MergedTree.chain(result, sourceOnly, hereOnly, records);
    }

    private static int indexOf(List<MessageRow> rows, String id) {
        for (int i = 0; i < rows.size(); i++) {
            if (id.equals(rows.get(i).id())) {
                return i;
            }
        }
        return -1;
    }
}
