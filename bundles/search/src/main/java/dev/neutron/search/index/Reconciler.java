package dev.neutron.search.index;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentContent;
import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Brings the index in step with the store, one pass at a time: chats whose stamp (updated time, message count, title)
 * differs from the one indexed are indexed again, chats the store no longer has are dropped. The same pass catches up
 * at start, after a rebuild and after a store swap, newest chats first, publishing as it goes so that search answers
 * from what it has. A chat whose answer is being generated waits until it ends: its question and answer are then
 * indexed together, and indexing takes no CPU from the model and the relay while they stream.
 */
public final class Reconciler {
    private static final System.Logger LOG = System.getLogger(Reconciler.class.getName());
    private static final long PUBLISH_EVERY_NANOS = 1_000_000_000L;
    /**
     * Changes are made durable at most this often. Each commit fsyncs the index's new files on the disk where the
     * chats' own fsyncs wait; a crash loses only the commits not made, and the next start indexes those chats again,
     * since the stamps the index kept are older than the chats'.
     */
    static final long COMMIT_EVERY_NANOS = 10_000_000_000L;

    private final SearchIndex index;
    private final Supplier<ChatStore> store;
    private final Supplier<AttachmentStore> attachments;
    private final int maxAttachmentChars;
    private final Predicate<String> answering;
    private final BooleanSupplier stopping;
    private final LongSupplier nanoTime;
    /** The store whose chats a whole pass has brought into the index; until then search reports catching up. */
    private volatile ChatStore caughtUpWith;
    /** Whether the index holds changes not yet committed; both used by the pass's thread only. */
    private boolean uncommitted;
    private long lastCommitNanos;

    /** @param answering whether an answer is being generated in the chat of this id */
    public Reconciler(SearchIndex index, Supplier<ChatStore> store, Supplier<AttachmentStore> attachments,
            int maxAttachmentChars, Predicate<String> answering, BooleanSupplier stopping) {
        this(index, store, attachments, maxAttachmentChars, answering, stopping, System::nanoTime);
    }

    Reconciler(SearchIndex index, Supplier<ChatStore> store, Supplier<AttachmentStore> attachments,
            int maxAttachmentChars, Predicate<String> answering, BooleanSupplier stopping, LongSupplier nanoTime) {
        this.index = index;
        this.store = store;
        this.attachments = attachments;
        this.maxAttachmentChars = maxAttachmentChars;
        this.answering = answering;
        this.stopping = stopping;
        this.nanoTime = nanoTime;
        this.lastCommitNanos = nanoTime.getAsLong();
    }

    /**
     * True until a whole pass has completed against the current store: at start, after a rebuild (a new reconciler)
     * and after a store swap. The few chats a routine pass indexes again do not count; they are in within a pass.
     */
    public boolean catchingUp() {
        ChatStore current = store.get();
        return current == null || current != caughtUpWith;
    }

    /**
     * One pass. @return how many chats were indexed or dropped
     */
    public int pass() throws IOException {
        ChatStore chats = store.get();
        if (chats == null) {
            return 0;
        }
        Map<String, String> indexed = index.stamps();
        List<ChatSession> stale = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (ChatSession session : chats.listSessions()) {
            listed.add(session.id());
            if (!ChatDocuments.stamp(session).equals(indexed.get(session.id())) && !answering.test(session.id())) {
                stale.add(session);
            }
        }
        List<String> gone = indexed.keySet().stream().filter(id -> !listed.contains(id)).toList();
        int changed = 0;
        long lastPublish = nanoTime.getAsLong();
        for (String sessionId : gone) {
            index.delete(sessionId);
            uncommitted = true;
            changed++;
        }
        for (ChatSession session : stale) {
            if (stopping.getAsBoolean()) {
                break;
            }
            reindex(chats, session);
            uncommitted = true;
            changed++;
            if (nanoTime.getAsLong() - lastPublish > PUBLISH_EVERY_NANOS) {
                index.publish();
                lastPublish = nanoTime.getAsLong();
                commitIfDue();
            }
        }
        if (changed > 0) {
            index.publish();
        }
        commitIfDue();
        if (!stopping.getAsBoolean()) {
            caughtUpWith = chats;
        }
        return changed;
    }

    private void commitIfDue() throws IOException {
        long now = nanoTime.getAsLong();
        if (uncommitted && now - lastCommitNanos >= COMMIT_EVERY_NANOS) {
            index.commit();
            uncommitted = false;
            lastCommitNanos = now;
        }
    }

    private void reindex(ChatStore chats, ChatSession session) throws IOException {
        List<ChatMessage> messages;
        try {
            messages = chats.allMessages(session.id());
        } catch (NeutronException e) {
            if (e.code() == ErrorCode.SESSION_NOT_FOUND) {
                index.delete(session.id());
                return;
            }
            throw e;
        }
        AttachmentStore files = attachments.get();
        List<Attachment> attached = files == null ? List.of() : files.list(session.id());
        Set<String> messageIds = new HashSet<>();
        messages.forEach(message -> messageIds.add(message.id()));
        Set<String> attachmentIds = new HashSet<>();
        attached.forEach(attachment -> attachmentIds.add(attachment.id()));
        SearchIndex.IndexedChat now = new SearchIndex.IndexedChat(ChatDocuments.stamp(session), session.title(),
                messageIds, attachmentIds);
        SearchIndex.IndexedChat before = index.indexed(session.id()).orElse(null);
        Set<String> known = before == null || before.messageIds() == null ? Set.of() : before.messageIds();
        List<ChatMessage> added = messages.stream().filter(message -> !known.contains(message.id())).toList();
        Set<String> gone = new HashSet<>(known);
        gone.removeAll(messageIds);
        if (before == null || before.messageIds() == null || attachmentsMove(before, attachmentIds, added, gone)) {
            index.replace(session.id(), now,
                    ChatDocuments.of(session, messages, attached, attachment -> attachmentText(files, attachment)));
        } else {
            // messages are never changed, only added or deleted: a long chat's new message costs one message's work
            index.update(session.id(), now, ChatDocuments.title(session), ChatDocuments.messages(session, added), gone);
        }
    }

    /**
     * Whether an attachment's documents change: one came or went, a new message carries one, or a message that may
     * have carried one is gone.
     */
    private static boolean attachmentsMove(SearchIndex.IndexedChat before, Set<String> attachmentIds,
            List<ChatMessage> added, Set<String> gone) {
        return !attachmentIds.equals(before.attachmentIds())
                || added.stream().anyMatch(message -> !message.attachments().isEmpty())
                || !gone.isEmpty() && !attachmentIds.isEmpty();
    }

    private String attachmentText(AttachmentStore files, Attachment attachment) {
        try {
            Optional<String> known = index.attachmentText(attachment.sessionId(), attachment.id());
            if (known.isPresent()) {
                return known.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = attachment.fileName() == null ? "" : attachment.fileName();
        try {
            AttachmentContent content = files.extract(attachment.sessionId(), attachment.id(), maxAttachmentChars);
            return content.text() == null ? "" : content.text();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "The text of attachment " + attachment.id() + " (" + name
                    + ") cannot be extracted for search: " + e.getMessage());
            return "";
        }
    }
}
