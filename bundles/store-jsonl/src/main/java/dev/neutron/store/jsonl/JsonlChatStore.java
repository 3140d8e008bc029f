package dev.neutron.store.jsonl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Sessions in {@code <data>/chats/sessions.json} (replaced atomically), each session's messages in
 * {@code <data>/chats/<id>.jsonl} (appended and fsync'd). A torn last line after a crash is skipped and reported.
 */
@Component(service = ChatStore.class, configurationPid = JsonlChatStore.PID,
        property = {"service.ranking:Integer=0", "neutron.store=jsonl"})
@Designate(ocd = JsonlStoreConfig.class)
public class JsonlChatStore implements ChatStore {
    public static final String PID = "dev.neutron.store.jsonl";
    private static final System.Logger LOG = System.getLogger(JsonlChatStore.class.getName());
    private static final Pattern SESSION_ID = Pattern.compile(ChatSession.ID_PATTERN);
    private static final int MAX_TITLE_CHARS = 200;

    private final Path chatsDir;
    private final Path sessionsFile;
    private final ObjectMapper json;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, ChatSession> sessions = new LinkedHashMap<>();
    private final Object sessionsLock = new Object();
    private final Map<String, Object> sessionLocks = new ConcurrentHashMap<>();
    private final List<String> recoveryReports = new ArrayList<>();

    @Activate
    public JsonlChatStore(JsonlStoreConfig config) {
        this(dev.neutron.api.DataDirectory.resolve(config.dataDir()), Clock.systemUTC());
    }

    public JsonlChatStore(Path dataDir, Clock clock) {
        this.chatsDir = dataDir.resolve("chats");
        this.sessionsFile = chatsDir.resolve("sessions.json");
        this.clock = clock;
        this.json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            Files.createDirectories(chatsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + chatsDir, e);
        }
        load();
    }

    /** Problems found and repaired while loading, e.g. torn lines; empty when the data was clean. */
    public List<String> recoveryReports() {
        synchronized (recoveryReports) {
            return List.copyOf(recoveryReports);
        }
    }

    @Override
    public ChatSession createSession(NewSession request) {
        Instant now = clock.instant();
        String title = request == null || request.title() == null || request.title().isBlank()
                ? "New chat" : cleanTitle(request.title());
        String model = request == null ? null : blankToNull(request.model());
        synchronized (sessionsLock) {
            String id;
            do {
                byte[] bytes = new byte[8];
                random.nextBytes(bytes);
                id = "chat_" + HexFormat.of().formatHex(bytes);
            } while (sessions.containsKey(id));
            ChatSession session = new ChatSession(id, title, model, now, now, 0);
            try {
                Files.write(messagesFile(id), new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw storageError("create the history file of " + id, e);
            }
            sessions.put(id, session);
            persistSessions();
            return session;
        }
    }

    @Override
    public List<ChatSession> listSessions() {
        synchronized (sessionsLock) {
            List<ChatSession> list = new ArrayList<>(sessions.values());
            list.sort(Comparator.comparing(ChatSession::updatedAt).thenComparing(ChatSession::createdAt).reversed());
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
            ChatSession session = existing(sessionId);
            Instant now = clock.instant();
            if (patch.title() != null) {
                session = session.withTitle(patch.title().isBlank() ? "New chat" : cleanTitle(patch.title()), now);
            }
            if (patch.model() != null) {
                session = session.withModel(blankToNull(patch.model()), now);
            }
            sessions.put(sessionId, session);
            persistSessions();
            return session;
        }
    }

    @Override
    public boolean deleteSession(String sessionId) {
        requireValidId(sessionId);
        synchronized (lockFor(sessionId)) {
            synchronized (sessionsLock) {
                if (sessions.remove(sessionId) == null) {
                    return false;
                }
                persistSessions();
            }
            try {
                Files.deleteIfExists(messagesFile(sessionId));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Session " + sessionId + " was deleted but its history file could not be removed", e);
            }
            sessionLocks.remove(sessionId);
            return true;
        }
    }

    @Override
    public ChatMessage appendMessage(String sessionId, ChatMessage message) {
        requireValidId(sessionId);
        byte[] line;
        try {
            line = (json.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new NeutronException(ErrorCode.INTERNAL_ERROR, "Cannot serialise message " + message.id(), e);
        }
        synchronized (lockFor(sessionId)) {
            synchronized (sessionsLock) {
                existing(sessionId);
            }
            appendLines(sessionId, messagesFile(sessionId), line);
            synchronized (sessionsLock) {
                ChatSession session = sessions.get(sessionId);
                if (session != null) {
                    sessions.put(sessionId, session.withMessageAdded(clock.instant()));
                    persistSessions();
                }
            }
            return message;
        }
    }

    @Override
    public boolean importSession(ChatSession session) {
        requireValidId(session.id());
        Instant now = clock.instant();
        Instant created = session.createdAt() == null ? now : session.createdAt();
        Instant updated = session.updatedAt() == null ? created : session.updatedAt();
        String title = session.title() == null || session.title().isBlank() ? "New chat" : cleanTitle(session.title());
        synchronized (sessionsLock) {
            if (sessions.containsKey(session.id())) {
                return false;
            }
            try {
                Files.write(messagesFile(session.id()), new byte[0], StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw storageError("create the history file of " + session.id(), e);
            }
            sessions.put(session.id(), new ChatSession(session.id(), title, blankToNull(session.model()), created, updated, 0));
            persistSessions();
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
            Path file = messagesFile(sessionId);
            Set<String> known = new HashSet<>();
            readMessages(sessionId, file).forEach(m -> known.add(m.id()));
            StringBuilder lines = new StringBuilder();
            int added = 0;
            for (ChatMessage message : messages) {
                if (known.add(message.id())) {
                    try {
                        lines.append(json.writeValueAsString(message)).append('\n');
                    } catch (JsonProcessingException e) {
                        throw new NeutronException(ErrorCode.INTERNAL_ERROR, "Cannot serialise message " + message.id(), e);
                    }
                    added++;
                }
            }
            if (added == 0) {
                return 0;
            }
            appendLines(sessionId, file, lines.toString().getBytes(StandardCharsets.UTF_8));
            synchronized (sessionsLock) {
                ChatSession session = sessions.get(sessionId);
                if (session != null) {
                    sessions.put(sessionId, new ChatSession(session.id(), session.title(), session.model(),
                            session.createdAt(), session.updatedAt(), session.messageCount() + added));
                    persistSessions();
                }
            }
            return added;
        }
    }

    @Override
    public List<ChatMessage> messages(String sessionId) {
        requireValidId(sessionId);
        synchronized (sessionsLock) {
            existing(sessionId);
        }
        synchronized (lockFor(sessionId)) {
            return readMessages(sessionId, messagesFile(sessionId));
        }
    }

    /** Caller holds the session's lock. Appends whole lines and fsyncs them before returning. */
    private void appendLines(String sessionId, Path file, byte[] lines) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            long size = channel.size();
            channel.position(size);
            if (size > 0 && !endsWithNewline(channel, size)) {
                // a torn line from a crash: terminate it so this message starts on a line of its own
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
            ByteBuffer buffer = ByteBuffer.wrap(lines);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            throw storageError("append to the history of " + sessionId, e);
        }
    }

    private List<ChatMessage> readMessages(String sessionId, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw storageError("read the history of " + sessionId, e);
        }
        List<ChatMessage> messages = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                messages.add(json.readValue(line, ChatMessage.class));
            } catch (IOException e) {
                report("Skipped unreadable line " + (i + 1) + " of " + file.getFileName()
                        + " (a write cut short by a crash?): " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return messages;
    }

    private void load() {
        if (Files.exists(sessionsFile)) {
            try {
                ChatSession[] stored = json.readValue(sessionsFile.toFile(), ChatSession[].class);
                for (ChatSession session : stored) {
                    if (session != null && session.id() != null && SESSION_ID.matcher(session.id()).matches()) {
                        sessions.put(session.id(), session);
                    }
                }
            } catch (IOException e) {
                Path aside = sessionsFile.resolveSibling("sessions.json.corrupt-" + clock.millis());
                report("sessions.json could not be read (" + e.getMessage() + "); kept it as " + aside.getFileName()
                        + " and rebuilt the session list from the history files");
                try {
                    Files.move(sessionsFile, aside);
                } catch (IOException moveFailure) {
                    throw storageError("set aside the unreadable sessions.json", moveFailure);
                }
            }
        }
        boolean rebuilt = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(chatsDir, "chat_*.jsonl")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - ".jsonl".length());
                if (SESSION_ID.matcher(id).matches() && !sessions.containsKey(id)) {
                    List<ChatMessage> history = readMessages(id, file);
                    Instant created = history.isEmpty() ? clock.instant() : history.get(0).createdAt();
                    Instant updated = history.isEmpty() ? created : history.get(history.size() - 1).createdAt();
                    sessions.put(id, new ChatSession(id, "Recovered chat", null, created, updated, history.size()));
                    report("Recovered session " + id + " from its history file (it was missing from sessions.json)");
                    rebuilt = true;
                }
            }
        } catch (IOException e) {
            throw storageError("list the history files", e);
        }
        if (rebuilt) {
            persistSessions();
        }
    }

    /** Caller holds {@link #sessionsLock}. Writes a temp file, fsyncs it, renames it over the old one. */
    private void persistSessions() {
        Path temp = sessionsFile.resolveSibling("sessions.json.tmp");
        try {
            byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(new ArrayList<>(sessions.values()));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, sessionsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, sessionsFile, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(chatsDir);
        } catch (IOException e) {
            throw storageError("write sessions.json", e);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every file system lets a directory be opened for fsync; the rename itself is still atomic
        }
    }

    private static boolean endsWithNewline(FileChannel channel, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) == '\n';
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

    private Path messagesFile(String sessionId) {
        return chatsDir.resolve(sessionId + ".jsonl");
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

    private static String cleanTitle(String title) {
        String clean = title.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() > MAX_TITLE_CHARS ? clean.substring(0, MAX_TITLE_CHARS) : clean;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static NeutronException storageError(String what, IOException e) {
        return new NeutronException(ErrorCode.STORAGE_ERROR, "Could not " + what + ": " + e.getMessage()
                + ". Check that the data directory is writable and the disk is not full.", e);
    }
}
