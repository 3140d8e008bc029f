package dev.neutron.store.jsonl;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import dev.neutron.store.codec.BranchDeletion;
import dev.neutron.store.codec.ConversationTree;
import dev.neutron.store.codec.MessageCodec;
import dev.neutron.store.codec.SessionListCodec;
import dev.neutron.store.codec.SessionOrder;
import dev.neutron.store.codec.SessionTitles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Sessions in {@code <data>/chats/sessions.json} (replaced atomically) plus what changed since, in
 * {@code sessions.journal} ({@link SessionJournal}); each session's messages in {@code <data>/chats/<id>.jsonl}
 * (created empty with the chat, appended and fsync'd). An append costs one fsync'd append to the history and one
 * short journal line, not a rewrite of every session; any other change costs one fsync'd journal line. Once the
 * journal holds more lines than there are sessions, sessions.json is written whole and the journal emptied. Both
 * record each history's size, so that a start reads only the histories of another size.
 *
 * <p>A write is either done on disk and then seen, or refused with nothing changed: a failed append is cut back, and
 * the in-memory list changes only once the journal holds the change. A delete first renames the history to a
 * tombstone {@code <id>.jsonl.deleted}, so a crash at any point never brings a deleted chat back. At start, the
 * history files of a size other than the one on record are read: they are the truth for message counts, and their
 * torn or unreadable lines are moved to a side file once. A chat's messages are read when it is opened, and the chats
 * opened last are kept ({@link HistoryCache}).
 *
 * <p>Messages form a tree ({@link ConversationTree}): a new branch is new lines, never a change to old ones. A
 * session's active leaf is kept in the session list ({@code activeLeafId}); if that lags behind the history after a
 * crash, the last line appended is the leaf.
 */
@Component(service = ChatStore.class, configurationPid = JsonlChatStore.PID,
        property = {"service.ranking:Integer=0", "neutron.store=jsonl"})
@Designate(ocd = JsonlStoreConfig.class)
public class JsonlChatStore implements ChatStore {
    public static final String PID = "dev.neutron.store.jsonl";
    private static final System.Logger LOG = System.getLogger(JsonlChatStore.class.getName());
    private static final Pattern SESSION_ID = Pattern.compile(ChatSession.ID_PATTERN);
    private static final String HISTORY = ".jsonl";
    private static final String TOMBSTONE = ".jsonl.deleted";
    private static final String SESSIONS_TEMP = "sessions.json.tmp";
    /** A change that finds more journal lines than this, and than sessions, writes sessions.json whole. */
    private static final int JOURNAL_MIN_ENTRIES = 1024;
    /** How many bytes of history files the chats opened last may hold in memory, parsed. */
    private static final long CACHE_BYTES = 32L << 20;

    private final int journalLimit;
    private final Path chatsDir;
    private final Path sessionsFile;
    private final Clock clock;
    private final StorageFailures failures;
    private final SecureRandom random = new SecureRandom();
    /** Changed only once the journal holds the change. Guarded by sessionsLock. */
    private Map<String, ChatSession> sessions = new LinkedHashMap<>();
    /** Guarded by sessionsLock. */
    private final SessionJournal journal;
    private final Object sessionsLock = new Object();
    private final Map<String, Object> sessionLocks = new ConcurrentHashMap<>();
    /**
     * The size of each session's history file as sessions.json and the journal record it (0: no file yet); a session
     * missing here has none on record. Changed with {@link #sessions}, under sessionsLock.
     */
    private final Map<String, Long> historyBytes = new ConcurrentHashMap<>();
    /** Of the histories appended to since the start; each used and changed under its session's lock. */
    private final Map<String, HistoryIndex> indexes = new ConcurrentHashMap<>();
    private final HistoryCache cache = new HistoryCache(CACHE_BYTES);
    private final List<String> recoveryReports = new ArrayList<>();
    /** Bad lines already reported (file@offset), so a chat read many times is reported once. */
    private final Set<String> reportedBadLines = ConcurrentHashMap.newKeySet();

    @Activate
    public JsonlChatStore(JsonlStoreConfig config) {
        this(dev.neutron.api.DataDirectory.resolve(config.dataDir()), Clock.systemUTC());
    }

    public JsonlChatStore(Path dataDir, Clock clock) {
        this(dataDir, clock, JOURNAL_MIN_ENTRIES);
    }

    /** @param journalLimit a change that finds more journal lines than this, and than sessions, writes sessions.json */
    JsonlChatStore(Path dataDir, Clock clock, int journalLimit) {
        this.journalLimit = journalLimit;
        this.chatsDir = dataDir.resolve("chats");
        this.sessionsFile = chatsDir.resolve("sessions.json");
        this.clock = clock;
        this.failures = new StorageFailures(dataDir);
        this.journal = new SessionJournal(chatsDir);
        try {
            Files.createDirectories(chatsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + chatsDir, e);
        }
        load();
    }

    /** Problems found and repaired, e.g. torn lines; empty when the data was clean. Each is reported once. */
    public List<String> recoveryReports() {
        synchronized (recoveryReports) {
            return List.copyOf(recoveryReports);
        }
    }

    @Override
    public ChatSession createSession(NewSession request) {
        Instant now = clock.instant();
        boolean untitled = request == null || SessionTitles.untitled(request.title());
        String title = SessionTitles.clean(untitled ? null : request.title());
        String model = request == null ? null : blankToNull(request.model());
        ChatSettings settings = request == null ? null : request.settings();
        String id = newHistoryFile();
        synchronized (sessionsLock) {
            ChatSession session = new ChatSession(id, title, model, now, now, 0, null, settings, untitled);
            try {
                commit("create the chat", id, s -> session, 0L);
            } catch (NeutronException e) {
                deleteEmptyOrphan(id, historyFile(id));
                throw e;
            }
            return session;
        }
    }

    /**
     * A new chat's id, with its empty history file created and durable, outside the sessions lock. A chat's first
     * question then costs one fdatasync like every later one, which overlaps the model's work on the prompt, instead
     * of also creating the file and syncing the folder before its answer may start. An empty file that no session
     * lists (a crash before the journal line) is removed at the next start.
     */
    private String newHistoryFile() {
        while (true) {
            byte[] bytes = new byte[8];
            random.nextBytes(bytes);
            String id = "chat_" + HexFormat.of().formatHex(bytes);
            boolean known;
            synchronized (sessionsLock) {
                known = sessions.containsKey(id);
            }
            if (known || Files.exists(tombstone(id))) {
                continue;
            }
            try {
                HistoryFile.create(historyFile(id));
                return id;
            } catch (FileAlreadyExistsException e) {
                // an id taken by a file of its own: draw another
            } catch (IOException e) {
                throw failures.of("create the chat", e);
            }
        }
    }

    @Override
    public List<ChatSession> listSessions() {
        synchronized (sessionsLock) {
            List<ChatSession> list = new ArrayList<>(sessions.values());
            list.sort(SessionOrder.NEWEST_FIRST);
            return list;
        }
    }

    @Override
    public Optional<ChatSession> findSession(String sessionId) {
        requireValidId(sessionId);
        synchronized (sessionsLock) {
            return Optional.ofNullable(sessions.get(sessionId));
        }
    }

    @Override
    public ChatSession updateSession(String sessionId, SessionPatch patch) {
        requireValidId(sessionId);
        synchronized (sessionsLock) {
            ChatSession stored = existing(sessionId);
            ChatSession session = stored;
            Instant now = clock.instant();
            if (patch.title() != null) {
                String title = SessionTitles.clean(patch.title());
                // an auto title only while the title is Neutron's: checked under the lock that writes it
                session = patch.autoTitle() ? session.withAutoTitle(title, now) : session.withTitle(title, now);
            }
            if (patch.model() != null) {
                session = session.withModel(blankToNull(patch.model()), now);
            }
            if (patch.settings() != null) {
                session = session.withSettings(patch.settings(), now);
            }
            if (session == stored) {
                return stored;
            }
            ChatSession updated = session;
            commit("change the chat " + sessionId, sessionId, s -> updated);
            return updated;
        }
    }

    @Override
    public boolean deleteSession(String sessionId) {
        requireValidId(sessionId);
        Path history = historyFile(sessionId);
        Path tombstone = tombstone(sessionId);
        synchronized (lockFor(sessionId)) {
            synchronized (sessionsLock) {
                if (!sessions.containsKey(sessionId)) {
                    return false;
                }
                boolean buried = false;
                try {
                    if (Files.exists(history)) {
                        Files.move(history, tombstone, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        buried = true;
                        // durable before the journal says deleted: else a power cut could bring the history back
                        DurableFiles.syncDirectory(chatsDir);
                    }
                } catch (IOException e) {
                    throw failures.of("delete the chat " + sessionId, e);
                }
                try {
                    commit("delete the chat " + sessionId, sessionId, s -> null);
                } catch (NeutronException e) {
                    if (buried) {
                        unbury(tombstone, history, e);
                    }
                    throw e;
                }
            }
            try {
                Files.deleteIfExists(tombstone);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Chat " + sessionId + " was deleted, but " + tombstone.getFileName()
                        + " could not be removed; it is removed at the next start", e);
            }
            indexes.remove(sessionId);
            cache.remove(sessionId);
            sessionLocks.remove(sessionId);
            return true;
        }
    }

    @Override
    public ChatMessage appendMessage(String sessionId, ChatMessage message) {
        requireValidId(sessionId);
        synchronized (lockFor(sessionId)) {
            ChatSession session;
            synchronized (sessionsLock) {
                session = existing(sessionId);
            }
            HistoryIndex index = index(sessionId);
            String parent = message.parentId();
            if (parent == null) {
                parent = index.activeLeaf(session.activeLeafId());
            } else if (!ChatMessage.NEW_ROOT.equals(parent)) {
                requireMessage(sessionId, index, parent);
            }
            ChatMessage stored = message.withParentId(parent);
            byte[] line = (MessageCodec.write(stored) + "\n").getBytes(StandardCharsets.UTF_8);
            long sizeBefore = appendLines(sessionId, line);
            Instant now = clock.instant();
            commitOrUndoAppend(sessionId, sizeBefore, sizeBefore + line.length,
                    s -> s.withMessageAdded(now).withActiveLeaf(stored.id()));
            index.added(stored);
            cache.appended(sessionId, List.of(stored), line.length);
            return ChatMessage.NEW_ROOT.equals(parent) ? stored.withParentId(null) : stored;
        }
    }

    /**
     * Rewrites the history without the branch, so its text is gone from disk: the new file is written beside it
     * ({@code <id>.jsonl.tmp}), then the journal records the change, then the new file is renamed over the old one.
     * A failure before the rename changes nothing; a crash before it leaves the old history, which the next start
     * counts again.
     */
    @Override
    public ChatSession deleteBranch(String sessionId, String messageId) {
        requireValidId(sessionId);
        synchronized (lockFor(sessionId)) {
            ChatSession before;
            synchronized (sessionsLock) {
                before = existing(sessionId);
            }
            Path file = historyFile(sessionId);
            String what = "delete messages of chat " + sessionId;
            indexes.remove(sessionId); // made again from the file by the next append
            cache.remove(sessionId);
            BranchDeletion deletion = BranchDeletion.plan(cleanHistory(sessionId, file, what), before.activeLeafId(),
                    messageId).orElseThrow(() -> messageNotFound(sessionId, messageId));
            StringBuilder lines = new StringBuilder();
            deletion.kept().forEach(kept -> lines.append(MessageCodec.write(kept)).append('\n'));
            Path temp = file.resolveSibling(file.getFileName() + HistoryRepair.REWRITE_SUFFIX);
            byte[] rewritten = lines.toString().getBytes(StandardCharsets.UTF_8);
            try {
                DurableFiles.write(temp, rewritten,
                        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw failures.of(what, e);
            }
            synchronized (sessionsLock) {
                ChatSession current = existing(sessionId);
                Long sizeBefore = historyBytes.get(sessionId);
                ChatSession after = new ChatSession(sessionId, current.title(), current.model(), current.createdAt(),
                        clock.instant(), deletion.kept().size(), deletion.activeLeaf(), current.settings(),
                        current.autoTitle());
                try {
                    commit(what, sessionId, s -> after, (long) rewritten.length);
                } catch (NeutronException e) {
                    deleteQuietly(temp, e);
                    throw e;
                }
                try {
                    DurableFiles.install(temp, file);
                } catch (IOException e) {
                    NeutronException failure = failures.of(what, e);
                    try {
                        commit(what, sessionId, s -> current, sizeBefore);
                    } catch (NeutronException undo) {
                        failure.addSuppressed(undo); // the next start counts the old history again
                    }
                    throw failure;
                }
                return after;
            }
        }
    }

    /** Caller holds the session's lock. The messages of a history whose bad lines, if any, are set aside first. */
    private List<ChatMessage> cleanHistory(String sessionId, Path file, String what) {
        try {
            HistoryFile.Contents contents = HistoryFile.read(file);
            if (contents.clean()) {
                return contents.messages();
            }
            // a rewrite would drop them without the side file a repair keeps
            repair(sessionId, file, contents);
            return HistoryFile.read(file).messages();
        } catch (IOException e) {
            throw failures.of(what, e);
        }
    }

    private static void deleteQuietly(Path file, Exception failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public ChatSession setActiveLeaf(String sessionId, String messageId) {
        requireValidId(sessionId);
        synchronized (lockFor(sessionId)) {
            synchronized (sessionsLock) {
                existing(sessionId);
            }
            requireMessage(sessionId, index(sessionId), messageId);
            synchronized (sessionsLock) {
                ChatSession updated = existing(sessionId).withActiveLeaf(messageId);
                commit("switch the branch of chat " + sessionId, sessionId, s -> updated);
                return updated;
            }
        }
    }

    private static void requireMessage(String sessionId, HistoryIndex history, String messageId) {
        if (!history.contains(messageId)) {
            throw messageNotFound(sessionId, messageId);
        }
    }

    private static NeutronException messageNotFound(String sessionId, String messageId) {
        return new NeutronException(ErrorCode.MESSAGE_NOT_FOUND, "Chat " + sessionId + " has no message with id "
                + messageId + "; GET /api/v1/chat/sessions/" + sessionId + "/messages lists its messages.");
    }

    @Override
    public boolean importSession(ChatSession session) {
        requireValidId(session.id());
        Instant now = clock.instant();
        Instant created = session.createdAt() == null ? now : session.createdAt();
        Instant updated = session.updatedAt() == null ? created : session.updatedAt();
        ChatSession imported = new ChatSession(session.id(), SessionTitles.clean(session.title()),
                blankToNull(session.model()), created, updated, 0, session.activeLeafId(), session.settings(),
                session.autoTitle());
        synchronized (sessionsLock) {
            if (sessions.containsKey(session.id())) {
                return false;
            }
            try {
                // a tombstone left by an earlier delete of this id must not delete it again at the next start
                if (Files.deleteIfExists(tombstone(session.id()))) {
                    DurableFiles.syncDirectory(chatsDir);
                }
            } catch (IOException e) {
                throw failures.of("import the chat " + session.id(), e);
            }
            commit("import the chat " + session.id(), imported.id(), s -> imported,
                    Files.exists(historyFile(session.id())) ? null : 0L);
            return true;
        }
    }

    @Override
    public int importMessages(String sessionId, List<ChatMessage> messages) {
        requireValidId(sessionId);
        for (ChatMessage message : messages) {
            if (message.id() == null || message.id().isBlank()) {
                throw new NeutronException(ErrorCode.INVALID_REQUEST, "A message to import has no id.");
            }
        }
        synchronized (lockFor(sessionId)) {
            synchronized (sessionsLock) {
                existing(sessionId);
            }
            HistoryIndex index = index(sessionId);
            Set<String> known = new HashSet<>();
            String previous = index.last();
            StringBuilder lines = new StringBuilder();
            List<ChatMessage> added = new ArrayList<>();
            for (ChatMessage message : messages) {
                if (!index.contains(message.id()) && known.add(message.id())) {
                    ChatMessage stored = message.parentId() == null ? message.withParentId(previous) : message;
                    lines.append(MessageCodec.write(stored)).append('\n');
                    previous = message.id();
                    added.add(stored);
                }
            }
            if (added.isEmpty()) {
                return 0;
            }
            int count = added.size();
            byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
            long sizeBefore = appendLines(sessionId, bytes);
            commitOrUndoAppend(sessionId, sizeBefore, sizeBefore + bytes.length,
                    s -> withCount(s, s.messageCount() + count, s.updatedAt()));
            added.forEach(index::added);
            cache.appended(sessionId, added, bytes.length);
            return count;
        }
    }

    @Override
    public List<ChatMessage> messages(String sessionId) {
        requireValidId(sessionId);
        synchronized (lockFor(sessionId)) {
            ChatSession session;
            synchronized (sessionsLock) {
                session = existing(sessionId);
            }
            return ConversationTree.activePath(readHistory(sessionId), session.activeLeafId());
        }
    }

    @Override
    public List<ChatMessage> allMessages(String sessionId) {
        requireValidId(sessionId);
        synchronized (lockFor(sessionId)) {
            synchronized (sessionsLock) {
                existing(sessionId);
            }
            return ConversationTree.withParents(readHistory(sessionId));
        }
    }

    /** Caller holds the session's lock. */
    private HistoryIndex index(String sessionId) {
        HistoryIndex index = indexes.get(sessionId);
        if (index == null) {
            index = new HistoryIndex(readHistory(sessionId));
            indexes.put(sessionId, index);
        }
        return index;
    }

    /** Caller holds the session's lock. Appends whole lines durably; returns the size before, to undo it. */
    private long appendLines(String sessionId, byte[] lines) {
        Path file = historyFile(sessionId);
        try {
            if (HistoryFile.endsMidLine(file)) {
                // a line cut short since the start (e.g. an undo that failed): set it aside before writing after it
                cache.remove(sessionId);
                repair(sessionId, file, HistoryFile.read(file));
            }
            return HistoryFile.append(file, lines);
        } catch (IOException e) {
            throw failures.of("store the message in chat " + sessionId, e);
        }
    }

    /** Caller holds the session's lock. Records the append in the journal, or cuts the history back and throws. */
    private void commitOrUndoAppend(String sessionId, long sizeBefore, long sizeAfter,
            UnaryOperator<ChatSession> change) {
        synchronized (sessionsLock) {
            try {
                journal("store the message in chat " + sessionId, sessionId, change, sizeAfter);
            } catch (NeutronException e) {
                indexes.remove(sessionId); // should the undo fail, the file holds a line the index does not
                cache.remove(sessionId);
                try {
                    HistoryFile.truncate(historyFile(sessionId), sizeBefore);
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                    LOG.log(System.Logger.Level.ERROR, "Could not take back a message of chat " + sessionId
                            + " after sessions.journal could not be written; the next start counts it", undo);
                }
                throw e;
            }
        }
    }

    /**
     * Caller holds {@link #sessionsLock}. Applies {@code change} to the session {@code id} ({@code null}: removed):
     * records it in the journal, fsync'd (no other file holds it), and only then in the store's list, so a write that
     * fails changes nothing.
     */
    private void commit(String what, String id, UnaryOperator<ChatSession> change) {
        commit(what, id, change, historyBytes.get(id));
    }

    /** As {@link #commit(String, String, UnaryOperator)}, with the history's size ({@code null}: not known) */
    private void commit(String what, String id, UnaryOperator<ChatSession> change, Long size) {
        record(what, id, change, size, true);
    }

    /**
     * Caller holds {@link #sessionsLock}. As {@link #commit}, for an append: the line is not fsync'd, since the history
     * file, fsync'd, holds what it says.
     */
    private void journal(String what, String id, UnaryOperator<ChatSession> change, long size) {
        record(what, id, change, size, false);
    }

    /**
     * Caller holds {@link #sessionsLock}. Writes the change to the journal, then applies it to the store's list. Once
     * the journal is long, sessions.json is written whole; a failure of that is no failure of the change, which the
     * journal holds.
     */
    private void record(String what, String id, UnaryOperator<ChatSession> change, Long size, boolean durable) {
        ChatSession changed = change.apply(sessions.get(id));
        Long recordedSize = changed == null ? null : size;
        try {
            journal.append(id, changed, recordedSize, durable);
        } catch (IOException e) {
            throw failures.of(what, e);
        }
        apply(sessions, id, changed);
        apply(historyBytes, id, recordedSize);
        if (journal.entries() > Math.max(journalLimit, sessions.size())) {
            try {
                writeSessions(sessions, historyBytes);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not write sessions.json (" + e.getMessage()
                        + "); the changes stay in sessions.journal, and the next change tries again", e);
            }
        }
    }

    private static <T> void apply(Map<String, T> list, String id, T changed) {
        if (changed == null) {
            list.remove(id);
        } else {
            list.put(id, changed);
        }
    }

    /**
     * Writes sessions.json whole, then empties the journal it now holds. Should emptying fail, the journal's older
     * lines would undo newer changes at the next start: the write counts as failed.
     */
    private void writeSessions(Map<String, ChatSession> list, Map<String, Long> sizes) throws IOException {
        List<SessionListCodec.Entry> entries = new ArrayList<>(list.size());
        list.forEach((id, session) -> entries.add(new SessionListCodec.Entry(session, sizes.get(id))));
        byte[] bytes = SessionListCodec.writeEntries(entries);
        DurableFiles.replace(sessionsFile, chatsDir.resolve(SESSIONS_TEMP), bytes);
        journal.clear();
    }

    private static void unbury(Path tombstone, Path history, NeutronException failure) {
        try {
            Files.move(tombstone, history, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(history.getParent());
        } catch (IOException e) {
            failure.addSuppressed(e);
            LOG.log(System.Logger.Level.ERROR, "Could not restore " + history.getFileName() + " after a failed delete;"
                    + " the next start finishes the delete", e);
        }
    }

    /** Caller holds the session's lock. The messages of the history in append order, from the cache if there. */
    private List<ChatMessage> readHistory(String sessionId) {
        Path file = historyFile(sessionId);
        List<ChatMessage> cached = cache.get(sessionId, Math.max(0, sizeOf(file)));
        if (cached != null) {
            return cached;
        }
        HistoryFile.Contents contents;
        try {
            contents = HistoryFile.read(file);
        } catch (IOException e) {
            throw failures.of("read the history of chat " + sessionId, e);
        }
        for (HistoryFile.BadLine bad : contents.badLines()) {
            if (reportedBadLines.add(badLineKey(file, bad))) {
                report("Skipped line " + bad.number() + " of " + file.getFileName() + ", which is not a message ("
                        + bad.problem() + "); it is moved aside at the next start");
            }
        }
        if (contents.clean()) {
            cache.put(sessionId, contents.messages(), contents.bytes().length);
        } else {
            forgetSize(sessionId);
        }
        return contents.messages();
    }

    /**
     * Caller holds the session's lock. Takes the size of a history found bad off the record, so that the next start
     * reads the file and moves the bad lines aside; should the journal line fail, the next change of the session or
     * the next write of sessions.json records it.
     */
    private void forgetSize(String sessionId) {
        synchronized (sessionsLock) {
            ChatSession session = sessions.get(sessionId);
            if (session == null || historyBytes.remove(sessionId) == null) {
                return;
            }
            try {
                journal.append(sessionId, session, null, false);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not record in " + SessionJournal.FILE + " that the history"
                        + " of chat " + sessionId + " is to be read again at the next start", e);
            }
        }
    }

    /** Moves bad lines aside; if that fails, they are skipped on every read and reported once. */
    private void repair(String sessionId, Path file, HistoryFile.Contents contents) throws IOException {
        String done = HistoryRepair.repair(file, contents, clock.millis());
        report("Repaired the history of chat " + sessionId + " (a write cut short by a crash or a full disk): " + done);
    }

    private void load() {
        removeLeftoverTempFiles();
        Map<String, Long> sizes = new java.util.HashMap<>();
        Map<String, ChatSession> loaded = readSessionsFile(sizes);
        replayJournal(loaded, sizes);
        boolean changed = finishInterruptedDeletes(loaded);
        changed |= reconcileWithHistories(loaded, sizes);
        sizes.keySet().retainAll(loaded.keySet());
        synchronized (sessionsLock) {
            sessions = loaded;
            historyBytes.putAll(sizes);
            if (changed || journal.entries() > 0) {
                try {
                    writeSessions(loaded, sizes);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not write the corrected sessions.json ("
                            + e.getMessage() + "); the start corrects it again next time", e);
                }
            }
        }
    }

    private void replayJournal(Map<String, ChatSession> loaded, Map<String, Long> sizes) {
        try {
            for (String problem : journal.replay(loaded, sizes)) {
                report("Skipped " + problem + ", cut short by a crash; the history files correct what it held");
            }
        } catch (IOException e) {
            throw failures.of("read " + SessionJournal.FILE, e);
        }
        loaded.keySet().removeIf(id -> !SESSION_ID.matcher(id).matches());
    }

    private void removeLeftoverTempFiles() {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(chatsDir,
                "{" + SESSIONS_TEMP + ",chat_*" + HISTORY + HistoryRepair.REWRITE_SUFFIX + "}")) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
                report("Removed " + temp.getFileName() + ", left by a write a crash interrupted");
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not remove temporary files left in " + chatsDir, e);
        }
    }

    /** The sessions of sessions.json, and into {@code sizes} the history sizes it records (none before 1.5). */
    private Map<String, ChatSession> readSessionsFile(Map<String, Long> sizes) {
        Map<String, ChatSession> loaded = new LinkedHashMap<>();
        if (!Files.exists(sessionsFile)) {
            return loaded;
        }
        try {
            for (SessionListCodec.Entry entry : SessionListCodec.readEntries(Files.readAllBytes(sessionsFile))) {
                ChatSession session = entry.session();
                if (session.id() != null && SESSION_ID.matcher(session.id()).matches()) {
                    loaded.put(session.id(), session);
                    apply(sizes, session.id(), entry.historyBytes());
                }
            }
        } catch (IOException e) {
            loaded.clear();
            sizes.clear();
            Path aside = sessionsFile.resolveSibling("sessions.json.corrupt-" + clock.millis());
            report("sessions.json could not be read (" + e.getMessage() + "); kept it as " + aside.getFileName()
                    + " and rebuilt the session list from the history files");
            try {
                Files.move(sessionsFile, aside);
            } catch (IOException moveFailure) {
                throw failures.of("set aside the unreadable sessions.json", moveFailure);
            }
        }
        return loaded;
    }

    /** A tombstone whose history file is gone: a delete got as far as the rename; finish it. */
    private boolean finishInterruptedDeletes(Map<String, ChatSession> loaded) {
        boolean changed = false;
        try (DirectoryStream<Path> tombstones = Files.newDirectoryStream(chatsDir, "chat_*" + TOMBSTONE)) {
            for (Path tombstone : tombstones) {
                String name = tombstone.getFileName().toString();
                String id = name.substring(0, name.length() - TOMBSTONE.length());
                if (!Files.exists(historyFile(id)) && loaded.remove(id) != null) {
                    report("Finished deleting chat " + id + ", which a crash interrupted");
                    changed = true;
                }
                try {
                    Files.deleteIfExists(tombstone);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not remove " + name, e);
                }
            }
        } catch (IOException e) {
            throw failures.of("list the chats in " + chatsDir, e);
        }
        return changed;
    }

    /**
     * The history files are the truth for message counts (an append may have reached disk just before a crash kept
     * sessions.json from counting it). A history file whose size is the one on record for its session holds what the
     * session counts and is not read: only the others are (every one, the first time a version before 1.5 left no
     * sizes). Bad lines are moved aside; a history missing from the list is recovered. No single file can stop the
     * store from starting.
     */
    private boolean reconcileWithHistories(Map<String, ChatSession> loaded, Map<String, Long> sizes) {
        boolean changed = false;
        Set<String> seen = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(chatsDir, "chat_*" + HISTORY)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - HISTORY.length());
                if (SESSION_ID.matcher(id).matches()) {
                    seen.add(id);
                    Long recorded = sizes.get(id);
                    if (recorded != null && loaded.containsKey(id) && recorded == sizeOf(file)) {
                        continue;
                    }
                    changed |= reconcile(id, file, loaded, sizes);
                    changed |= !java.util.Objects.equals(recorded, sizes.get(id));
                }
            }
        } catch (IOException e) {
            throw failures.of("list the chats in " + chatsDir, e);
        }
        for (ChatSession session : List.copyOf(loaded.values())) {
            if (seen.contains(session.id())) {
                continue;
            }
            if (session.messageCount() != 0) {
                report("Chat " + session.id() + " has no history file; its message count is now 0");
                loaded.put(session.id(), withCount(session, 0, session.updatedAt()));
                changed = true;
            }
            changed |= !Long.valueOf(0).equals(sizes.put(session.id(), 0L));
        }
        return changed;
    }

    /** -1 when the size cannot be read: never a size on record. */
    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Reads the history whole; into {@code sizes} its size once clean, none if it cannot be made so. */
    private boolean reconcile(String id, Path file, Map<String, ChatSession> loaded, Map<String, Long> sizes) {
        sizes.remove(id);
        HistoryFile.Contents contents;
        try {
            contents = HistoryFile.read(file);
        } catch (IOException e) {
            report("Could not read " + file.getFileName() + " (" + e + "); chat " + id + " is listed as it was");
            return false;
        }
        if (contents.clean()) {
            sizes.put(id, (long) contents.bytes().length);
        } else {
            try {
                repair(id, file, contents);
                long repaired = sizeOf(file);
                if (repaired >= 0) {
                    sizes.put(id, repaired);
                }
            } catch (IOException e) {
                markReported(file, contents);
                report("Could not repair " + file.getFileName() + " (" + e.getMessage() + "): "
                        + HistoryRepair.describe(contents) + " is skipped until it can be; tried again at the next start");
            }
        }
        List<ChatMessage> messages = contents.messages();
        ChatSession listed = loaded.get(id);
        if (listed == null) {
            if (messages.isEmpty()) {
                deleteEmptyOrphan(id, file);
                return false;
            }
            Instant created = Optional.ofNullable(messages.get(0).createdAt()).orElse(clock.instant());
            Instant updated = Optional.ofNullable(messages.get(messages.size() - 1).createdAt()).orElse(created);
            loaded.put(id, new ChatSession(id, "Recovered chat", null, created, updated, messages.size()));
            report("Recovered chat " + id + " from its history file (it was missing from sessions.json)");
            return true;
        }
        if (listed.messageCount() == messages.size()) {
            return false;
        }
        Instant last = messages.isEmpty() ? null : messages.get(messages.size() - 1).createdAt();
        Instant updated = last != null && last.isAfter(listed.updatedAt()) ? last : listed.updatedAt();
        report("Chat " + id + " holds " + messages.size() + " messages, sessions.json said " + listed.messageCount()
                + " (a crash between the two writes); corrected");
        ChatSession corrected = withCount(listed, messages.size(), updated);
        if (messages.size() > listed.messageCount()) {
            // the appends sessions.json missed went to the active branch: the last of them is its leaf
            corrected = corrected.withActiveLeaf(messages.get(messages.size() - 1).id());
        }
        loaded.put(id, corrected);
        return true;
    }

    private void markReported(Path file, HistoryFile.Contents contents) {
        contents.badLines().forEach(bad -> reportedBadLines.add(badLineKey(file, bad)));
    }

    /** An empty history no session lists: a create a crash interrupted. It holds nothing to recover. */
    private void deleteEmptyOrphan(String id, Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not remove the empty " + file.getFileName(), e);
        }
    }

    private static ChatSession withCount(ChatSession s, int count, Instant updated) {
        return new ChatSession(s.id(), s.title(), s.model(), s.createdAt(), updated, count, s.activeLeafId(), s.settings(),
                s.autoTitle());
    }

    private static String badLineKey(Path file, HistoryFile.BadLine bad) {
        return file.getFileName() + "@" + bad.offset() + "+" + bad.length();
    }

    private ChatSession existing(String sessionId) {
        ChatSession session = sessions.get(sessionId);
        if (session == null) {
            throw new NeutronException(ErrorCode.SESSION_NOT_FOUND, "No chat session with id " + sessionId + ".");
        }
        return session;
    }

    private Object lockFor(String sessionId) {
        return sessionLocks.computeIfAbsent(sessionId, id -> new Object());
    }

    private Path historyFile(String sessionId) {
        return chatsDir.resolve(sessionId + HISTORY);
    }

    private Path tombstone(String sessionId) {
        return chatsDir.resolve(sessionId + TOMBSTONE);
    }

    private void report(String problem) {
        LOG.log(System.Logger.Level.WARNING, problem);
        synchronized (recoveryReports) {
            recoveryReports.add(problem);
        }
    }

    static void requireValidId(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw new NeutronException(ErrorCode.INVALID_SESSION_ID,
                    "Not a valid session id. Session ids look like chat_0123456789abcdef and come from POST /api/v1/chat/sessions.");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
