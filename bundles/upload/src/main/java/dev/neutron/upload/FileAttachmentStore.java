package dev.neutron.upload;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentContent;
import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
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
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Attachments on local disk. Each file is {@code <data>/uploads/<sessionId>_<attachmentId>_<sanitisedName>}; the list
 * of a session's attachments is {@code <data>/uploads/<sessionId>.attachments.json}, replaced atomically. The list is
 * the truth: a file it does not name (a crash between the two writes) is removed at the next start, an entry whose
 * file is gone is dropped, and a missing or unreadable list is rebuilt from the files.
 *
 * <p>An upload is streamed to a temporary file while its size is counted and its type sniffed; it is renamed into place
 * only after every check passed, and the temporary file is removed whatever happens.
 */
@Component(service = AttachmentStore.class, configurationPid = FileAttachmentStore.PID)
@Designate(ocd = UploadConfig.class)
public class FileAttachmentStore implements AttachmentStore {
    public static final String PID = "dev.neutron.upload";
    public static final long DEFAULT_MAX_FILE_BYTES = 20L * 1024 * 1024;
    public static final long DEFAULT_MAX_SESSION_BYTES = 100L * 1024 * 1024;
    public static final int DEFAULT_MAX_FILES_PER_SESSION = 50;

    private static final System.Logger LOG = System.getLogger(FileAttachmentStore.class.getName());
    private static final Pattern SESSION_ID = Pattern.compile(ChatSession.ID_PATTERN);
    private static final Pattern ATTACHMENT_ID = Pattern.compile(Attachment.ID_PATTERN);
    private static final Pattern CONTENT_FILE =
            Pattern.compile("(" + ChatSession.ID_PATTERN + ")_(" + Attachment.ID_PATTERN + ")_(.+)");
    private static final String METADATA_SUFFIX = ".attachments.json";
    private static final String TEMP_PREFIX = ".upload-";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int LOCK_STRIPES = 64;
    private static final double MB = 1024 * 1024;

    private final Path uploadsDir;
    private final long maxFileBytes;
    private final long maxSessionBytes;
    private final int maxFilesPerSession;
    private final Clock clock;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();
    private final Object[] locks = new Object[LOCK_STRIPES];

    @Activate
    public FileAttachmentStore(UploadConfig config) {
        this(DataDirectory.resolve(config.dataDir()), config.maxFileBytes(), config.maxSessionBytes(),
                config.maxFilesPerSession(), Clock.systemUTC());
    }

    /** With the default limits. */
    public FileAttachmentStore(Path dataDir) {
        this(dataDir, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_SESSION_BYTES, DEFAULT_MAX_FILES_PER_SESSION,
                Clock.systemUTC());
    }

    public FileAttachmentStore(Path dataDir, long maxFileBytes, long maxSessionBytes, int maxFilesPerSession,
            Clock clock) {
        if (maxFileBytes <= 0 || maxSessionBytes <= 0 || maxFilesPerSession <= 0) {
            throw new IllegalArgumentException("Upload limits must be positive: maxFileBytes=" + maxFileBytes
                    + ", maxSessionBytes=" + maxSessionBytes + ", maxFilesPerSession=" + maxFilesPerSession);
        }
        this.uploadsDir = dataDir.resolve("uploads").toAbsolutePath().normalize();
        this.maxFileBytes = maxFileBytes;
        this.maxSessionBytes = maxSessionBytes;
        this.maxFilesPerSession = maxFilesPerSession;
        this.clock = clock;
        this.json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        try {
            Files.createDirectories(uploadsDir);
        } catch (IOException e) {
            throw storageError("create the uploads directory " + uploadsDir, e);
        }
        recover();
    }

    /** {@code <data>/uploads}: every file this store writes is directly inside it. */
    public Path uploadsDirectory() {
        return uploadsDir;
    }

    @Override
    public Attachment store(String sessionId, String clientFileName, InputStream content) {
        requireSessionId(sessionId);
        if (content == null) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "The upload has no file content.");
        }
        String fileName = FileNames.sanitise(clientFileName);
        synchronized (lockFor(sessionId)) {
            // fail before receiving megabytes when the chat is already full; checked again before the file is kept
            checkSessionLimits(readMetadata(sessionId), 0);
        }
        Path temp = null;
        try {
            temp = Files.createTempFile(uploadsDir, TEMP_PREFIX, TEMP_SUFFIX);
            ContentSniffer sniffer = new ContentSniffer();
            long size = receive(content, temp, sniffer);
            ContentSniffer.Detected type = sniffer.finish(fileName);
            if (type == null) {
                throw unsupportedType();
            }
            synchronized (lockFor(sessionId)) {
                List<Attachment> attachments = new ArrayList<>(readMetadata(sessionId));
                checkSessionLimits(attachments, size);
                Attachment attachment = new Attachment(newId(attachments), sessionId, fileName, type.contentType(),
                        size, type.kind(), clock.instant());
                Path target = contentPath(attachment);
                moveAtomically(temp, target);
                attachments.add(attachment);
                try {
                    writeMetadata(sessionId, attachments);
                } catch (RuntimeException e) {
                    deleteQuietly(target);
                    throw e;
                }
                return attachment;
            }
        } catch (IOException e) {
            throw storageError("keep the uploaded file", e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    @Override
    public List<Attachment> list(String sessionId) {
        requireSessionId(sessionId);
        synchronized (lockFor(sessionId)) {
            return List.copyOf(readMetadata(sessionId));
        }
    }

    @Override
    public Optional<Attachment> find(String sessionId, String attachmentId) {
        requireSessionId(sessionId);
        if (!isAttachmentId(attachmentId)) {
            return Optional.empty();
        }
        synchronized (lockFor(sessionId)) {
            return readMetadata(sessionId).stream().filter(a -> a.id().equals(attachmentId)).findFirst();
        }
    }

    @Override
    public InputStream open(String sessionId, String attachmentId) {
        Attachment attachment = existing(sessionId, attachmentId);
        try {
            return Files.newInputStream(contentPath(attachment));
        } catch (NoSuchFileException e) {
            throw notFound(attachmentId);
        } catch (IOException e) {
            throw storageError("read attachment " + attachmentId, e);
        }
    }

    @Override
    public boolean delete(String sessionId, String attachmentId) {
        requireSessionId(sessionId);
        if (!isAttachmentId(attachmentId)) {
            return false;
        }
        synchronized (lockFor(sessionId)) {
            List<Attachment> attachments = new ArrayList<>(readMetadata(sessionId));
            Optional<Attachment> removed = attachments.stream().filter(a -> a.id().equals(attachmentId)).findFirst();
            if (removed.isEmpty()) {
                return false;
            }
            attachments.remove(removed.get());
            // the list first: a file left behind by a crash here is an orphan, removed at the next start
            writeMetadata(sessionId, attachments);
            deleteQuietly(contentPath(removed.get()));
            return true;
        }
    }

    @Override
    public void deleteAll(String sessionId) {
        requireSessionId(sessionId);
        synchronized (lockFor(sessionId)) {
            // the files first: a list left behind by a crash here names missing files, dropped at the next start
            try (DirectoryStream<Path> files = Files.newDirectoryStream(uploadsDir, sessionId + "_att_*")) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
                Files.deleteIfExists(metadataFile(sessionId));
            } catch (IOException e) {
                throw storageError("remove the attachments of " + sessionId, e);
            }
            syncDirectory(uploadsDir);
        }
    }

    @Override
    public AttachmentContent extract(String sessionId, String attachmentId, int maxChars) {
        if (maxChars < 0) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "maxChars must not be negative, was " + maxChars + ".");
        }
        Attachment attachment = existing(sessionId, attachmentId);
        Path file = contentPath(attachment);
        if (!Files.isRegularFile(file)) {
            throw notFound(attachmentId);
        }
        try {
            switch (attachment.kind()) {
                case ContentSniffer.KIND_TEXT: {
                    String text = readText(file, maxChars);
                    return new AttachmentContent(attachment, cut(text, maxChars), text.length() > maxChars, null);
                }
                case ContentSniffer.KIND_PDF: {
                    String text = pdfText(file, maxChars);
                    return new AttachmentContent(attachment, cut(text, maxChars), text.length() > maxChars, null);
                }
                case ContentSniffer.KIND_IMAGE:
                    return new AttachmentContent(attachment, null, false,
                            Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
                default:
                    throw new NeutronException(ErrorCode.UNSUPPORTED_FILE_TYPE,
                            "Attachment " + attachmentId + " is of an unknown kind '" + attachment.kind() + "'.");
            }
        } catch (IOException e) {
            throw storageError("read attachment " + attachmentId, e);
        }
    }

    // ---- receiving ----

    /** Copies the upload to {@code temp}, fsync'd, counting and sniffing; stops as soon as a limit is passed. */
    private long receive(InputStream content, Path temp, ContentSniffer sniffer) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long size = 0;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (true) {
                int n;
                try {
                    n = content.read(buffer);
                } catch (IOException e) {
                    throw new NeutronException(ErrorCode.INVALID_REQUEST, "The upload was cut off before it finished ("
                            + e.getMessage() + "); nothing was kept. Try sending the file again.", e);
                }
                if (n < 0) {
                    break;
                }
                size += n;
                if (size > maxFileBytes) {
                    throw new NeutronException(ErrorCode.UPLOAD_TOO_LARGE, "The file is larger than the upload limit of "
                            + megabytes(maxFileBytes) + ". Send a smaller file, or raise maxFileBytes in the "
                            + PID + " configuration.");
                }
                sniffer.update(buffer, 0, n);
                if (sniffer.rejected()) {
                    throw unsupportedType();
                }
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            }
            out.force(true);
        }
        return size;
    }

    /** Caller holds the session's lock. */
    private void checkSessionLimits(List<Attachment> attachments, long newFileBytes) {
        if (attachments.size() >= maxFilesPerSession) {
            throw new NeutronException(ErrorCode.UPLOAD_TOO_LARGE, "This chat already has " + attachments.size()
                    + " attachments, the most one chat can hold is " + maxFilesPerSession
                    + ". Remove an attachment before adding another.");
        }
        long used = attachments.stream().mapToLong(Attachment::size).sum();
        if (used + newFileBytes > maxSessionBytes) {
            throw new NeutronException(ErrorCode.UPLOAD_TOO_LARGE, "This file (" + megabytes(newFileBytes)
                    + ") would take the attachments of this chat past their limit of " + megabytes(maxSessionBytes)
                    + " (" + megabytes(used) + " used). Remove attachments before adding more.");
        }
    }

    private String newId(List<Attachment> existing) {
        Set<String> taken = new HashSet<>();
        existing.forEach(a -> taken.add(a.id()));
        String id;
        do {
            byte[] bytes = new byte[8];
            random.nextBytes(bytes);
            id = "att_" + HexFormat.of().formatHex(bytes);
        } while (taken.contains(id));
        return id;
    }

    // ---- reading ----

    private static String readText(Path file, int maxChars) throws IOException {
        // reads one char past the limit (two with a BOM), so truncation is known without reading the whole file
        long wanted = (long) maxChars + 2;
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            while (text.length() < wanted) {
                int n = reader.read(buffer, 0, (int) Math.min(buffer.length, wanted - text.length()));
                if (n < 0) {
                    break;
                }
                text.append(buffer, 0, n);
            }
        }
        if (text.length() > 0 && text.charAt(0) == '\uFEFF') {
            text.deleteCharAt(0);
        }
        return text.toString();
    }

    private static String pdfText(Path file, int maxChars) {
        try {
            return PdfText.extract(file, maxChars);
        } catch (IOException | RuntimeException | LinkageError e) {
            // LinkageError: e.g. a PDF encrypted with a certificate needs Bouncy Castle, which is not deployed
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new NeutronException(ErrorCode.UNSUPPORTED_FILE_TYPE, "Could not read text from this PDF: " + reason
                    + ". It may be damaged or password-protected; try exporting it again or attach it as text.", e);
        }
    }

    /** The first {@code maxChars} chars, never ending in half a surrogate pair. */
    static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    private Attachment existing(String sessionId, String attachmentId) {
        requireSessionId(sessionId);
        if (!isAttachmentId(attachmentId)) {
            throw notFound(attachmentId);
        }
        return find(sessionId, attachmentId).orElseThrow(() -> notFound(attachmentId));
    }

    // ---- files ----

    /** Where an attachment's bytes are: always directly inside the uploads directory. */
    Path contentPath(Attachment attachment) {
        Path path = uploadsDir.resolve(attachment.sessionId() + "_" + attachment.id() + "_" + attachment.fileName())
                .normalize();
        if (!path.startsWith(uploadsDir) || !uploadsDir.equals(path.getParent())) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR,
                    "Refused a file name that would leave the uploads directory: " + attachment.fileName());
        }
        return path;
    }

    private Path metadataFile(String sessionId) {
        return uploadsDir.resolve(sessionId + METADATA_SUFFIX);
    }

    /** Caller holds the session's lock. Empty when the session has no attachments. */
    private List<Attachment> readMetadata(String sessionId) {
        try {
            return parseMetadata(sessionId);
        } catch (IOException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "The attachment list of " + sessionId
                    + " could not be read (" + e.getMessage() + "). Restart Neutron to rebuild it from the files.", e);
        }
    }

    private List<Attachment> parseMetadata(String sessionId) throws IOException {
        Attachment[] stored;
        try {
            stored = json.readValue(metadataFile(sessionId).toFile(), Attachment[].class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return List.of();
        }
        if (stored == null) {
            throw new IOException("the file holds no list");
        }
        List<Attachment> valid = new ArrayList<>(stored.length);
        for (Attachment attachment : stored) {
            if (isValidEntry(sessionId, attachment)) {
                valid.add(attachment);
            } else {
                LOG.log(System.Logger.Level.WARNING, "Ignored an invalid entry in " + sessionId + METADATA_SUFFIX
                        + ": " + attachment);
            }
        }
        return valid;
    }

    /** Guards against a hand-edited list: only what this store itself would have written is used as a path. */
    private static boolean isValidEntry(String sessionId, Attachment a) {
        return a != null && sessionId.equals(a.sessionId()) && isAttachmentId(a.id()) && a.fileName() != null
                && a.fileName().equals(FileNames.sanitise(a.fileName())) && a.kind() != null && a.size() >= 0;
    }

    /** Caller holds the session's lock. Temp file, fsync, atomic rename; an empty list removes the file. */
    private void writeMetadata(String sessionId, List<Attachment> attachments) {
        Path file = metadataFile(sessionId);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (attachments.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(attachments);
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                moveAtomically(temp, file);
            }
            syncDirectory(uploadsDir);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw storageError("write the attachment list of " + sessionId, e);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every file system lets a directory be opened for fsync; the rename itself is still atomic
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not remove " + file + "; it is removed at the next start", e);
        }
    }

    // ---- recovery at start ----

    /**
     * Removes temporary files left by a crash, files no list names, and list entries whose file is gone; rebuilds a
     * missing or unreadable list from the session's files.
     */
    private void recover() {
        Map<String, List<Path>> filesBySession = new TreeMap<>();
        Set<String> sessionsWithList = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(uploadsDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Matcher content = CONTENT_FILE.matcher(name);
                if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)
                        || name.endsWith(METADATA_SUFFIX + TEMP_SUFFIX)) {
                    LOG.log(System.Logger.Level.INFO, "Removing " + name + ", left by an upload cut short");
                    deleteQuietly(entry);
                } else if (content.matches() && Files.isRegularFile(entry)) {
                    filesBySession.computeIfAbsent(content.group(1), id -> new ArrayList<>()).add(entry);
                } else if (name.endsWith(METADATA_SUFFIX)) {
                    String sessionId = name.substring(0, name.length() - METADATA_SUFFIX.length());
                    if (SESSION_ID.matcher(sessionId).matches()) {
                        sessionsWithList.add(sessionId);
                    }
                }
            }
        } catch (IOException e) {
            throw storageError("list the uploads directory", e);
        }
        Set<String> sessions = new HashSet<>(sessionsWithList);
        sessions.addAll(filesBySession.keySet());
        for (String sessionId : sessions) {
            synchronized (lockFor(sessionId)) {
                reconcile(sessionId, filesBySession.getOrDefault(sessionId, List.of()));
            }
        }
    }

    private void reconcile(String sessionId, List<Path> files) {
        List<Attachment> listed = null;
        if (Files.exists(metadataFile(sessionId))) {
            try {
                listed = parseMetadata(sessionId);
            } catch (IOException e) {
                Path aside = metadataFile(sessionId).resolveSibling(sessionId + METADATA_SUFFIX + ".corrupt-"
                        + clock.millis());
                LOG.log(System.Logger.Level.WARNING, "The attachment list of " + sessionId + " could not be read ("
                        + e.getMessage() + "); kept it as " + aside.getFileName() + " and rebuilt it from the files");
                try {
                    Files.move(metadataFile(sessionId), aside);
                } catch (IOException moveFailure) {
                    throw storageError("set aside the unreadable attachment list of " + sessionId, moveFailure);
                }
            }
        }
        if (listed != null) {
            List<Attachment> present = new ArrayList<>();
            Set<Path> named = new HashSet<>();
            for (Attachment attachment : listed) {
                Path file = contentPath(attachment);
                if (Files.isRegularFile(file)) {
                    present.add(attachment);
                    named.add(file);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "Dropped attachment " + attachment.id() + " of " + sessionId
                            + " from its list: its file is missing");
                }
            }
            for (Path file : files) {
                if (!named.contains(file)) {
                    LOG.log(System.Logger.Level.INFO, "Removing " + file.getFileName() + ": no attachment list names it");
                    deleteQuietly(file);
                }
            }
            if (present.size() != listed.size()) {
                writeMetadata(sessionId, present);
            }
            return;
        }
        List<Attachment> rebuilt = new ArrayList<>();
        for (Path file : files) {
            Attachment attachment = adopt(sessionId, file);
            if (attachment == null) {
                deleteQuietly(file);
            } else {
                rebuilt.add(attachment);
            }
        }
        rebuilt.sort(Comparator.comparing(Attachment::createdAt).thenComparing(Attachment::id));
        if (!rebuilt.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Rebuilt the attachment list of " + sessionId + " from "
                    + rebuilt.size() + " file(s)");
            writeMetadata(sessionId, rebuilt);
        }
    }

    /** An attachment for a file without a list entry, its type sniffed again; null when it cannot be one of ours. */
    private Attachment adopt(String sessionId, Path file) {
        Matcher matcher = CONTENT_FILE.matcher(file.getFileName().toString());
        if (!matcher.matches() || !matcher.group(3).equals(FileNames.sanitise(matcher.group(3)))) {
            return null;
        }
        String fileName = matcher.group(3);
        ContentSniffer sniffer = new ContentSniffer();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                size += n;
                sniffer.update(buffer, 0, n);
            }
            ContentSniffer.Detected type = sniffer.finish(fileName);
            if (type == null || size > maxFileBytes) {
                return null;
            }
            Instant created = Files.getLastModifiedTime(file).toInstant();
            return new Attachment(matcher.group(2), sessionId, fileName, type.contentType(), size, type.kind(), created);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not read " + file.getFileName() + " to recover it", e);
            return null;
        }
    }

    // ---- small helpers ----

    private Object lockFor(String sessionId) {
        return locks[Math.floorMod(sessionId.hashCode(), locks.length)];
    }

    static void requireSessionId(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw new NeutronException(ErrorCode.INVALID_SESSION_ID,
                    "Not a valid session id. Session ids look like chat_0123456789abcdef and come from POST /api/v1/chat/sessions.");
        }
    }

    private static boolean isAttachmentId(String attachmentId) {
        return attachmentId != null && ATTACHMENT_ID.matcher(attachmentId).matches();
    }

    private static NeutronException notFound(String attachmentId) {
        return new NeutronException(ErrorCode.ATTACHMENT_NOT_FOUND, "No attachment with id "
                + (isAttachmentId(attachmentId) ? attachmentId : "like that") + " in this chat.");
    }

    private static NeutronException unsupportedType() {
        return new NeutronException(ErrorCode.UNSUPPORTED_FILE_TYPE,
                "This kind of file cannot be attached. Accepted are " + ContentSniffer.ACCEPTED + ".");
    }

    static String megabytes(long bytes) {
        double mb = bytes / MB;
        if (mb < 0.1) {
            return bytes + " bytes";
        }
        return (mb == Math.rint(mb) ? String.valueOf((long) mb) : String.format(Locale.ROOT, "%.1f", mb)) + " MB";
    }

    private static NeutronException storageError(String what, IOException e) {
        return new NeutronException(ErrorCode.STORAGE_ERROR, "Could not " + what + ": " + e.getMessage()
                + ". Check that the data directory is writable and the disk is not full.", e);
    }
}
