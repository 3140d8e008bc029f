package dev.neutron.upload;

import dev.neutron.api.Attachment;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of {@code <data>/uploads}, all directly inside it: {@code <sessionId>_<attachmentId>_<name>} holds an
 * attachment's bytes, {@code <sessionId>.attachments.json} a session's index, and {@code .upload-*.tmp} and
 * {@code *.attachments.json.tmp} are writes not finished yet. A file is replaced durably: written to a temporary
 * file, fsync'd, renamed atomically over the old one, and the directory fsync'd.
 */
final class UploadsDirectory {
    static final String INDEX_SUFFIX = ".attachments.json";
    private static final String TEMP_PREFIX = ".upload-";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Pattern SESSION_ID = Pattern.compile(ChatSession.ID_PATTERN);
    private static final Pattern CONTENT_FILE =
            Pattern.compile("(" + ChatSession.ID_PATTERN + ")_(" + Attachment.ID_PATTERN + ")_(.+)");
    private static final System.Logger LOG = System.getLogger(UploadsDirectory.class.getName());

    /** The parts of a content file's name. */
    record ContentFile(String sessionId, String attachmentId, String fileName) {
    }

    private final Path dataDir;
    private final Path dir;
    private final DiskWrites disk;

    UploadsDirectory(Path dataDir, DiskWrites disk) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.dir = this.dataDir.resolve("uploads");
        this.disk = disk;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failed("create the uploads directory " + dir, e);
        }
    }

    Path path() {
        return dir;
    }

    /** Where an attachment's bytes are: always directly inside the uploads directory. */
    Path contentPath(Attachment attachment) {
        Path path = dir.resolve(attachment.sessionId() + "_" + attachment.id() + "_" + attachment.fileName())
                .normalize();
        if (!path.startsWith(dir) || !dir.equals(path.getParent())) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR,
                    "Refused a file name that would leave the uploads directory: " + attachment.fileName());
        }
        return path;
    }

    Path indexFile(String sessionId) {
        return dir.resolve(sessionId + INDEX_SUFFIX);
    }

    /** The content files of one session (they may include files no index names). */
    DirectoryStream<Path> contentFilesOf(String sessionId) throws IOException {
        return Files.newDirectoryStream(dir, sessionId + "_att_*");
    }

    /** A new empty file for an upload in progress; {@link #isUnfinishedWrite} recognises it. */
    Path newTempFile() throws IOException {
        return Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX);
    }

    /**
     * An upload in progress ({@code .upload-*.tmp}) or an index being replaced ({@code <sessionId>.attachments.json.tmp});
     * never a kept attachment, whose name may end the same way ({@code <sessionId>_<id>_x.attachments.json.tmp}).
     */
    static boolean isUnfinishedWrite(String name) {
        if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)) {
            return true;
        }
        String indexTemp = INDEX_SUFFIX + TEMP_SUFFIX;
        return name.endsWith(indexTemp)
                && SESSION_ID.matcher(name.substring(0, name.length() - indexTemp.length())).matches();
    }

    static Optional<ContentFile> contentFile(String name) {
        Matcher matcher = CONTENT_FILE.matcher(name);
        return matcher.matches()
                ? Optional.of(new ContentFile(matcher.group(1), matcher.group(2), matcher.group(3)))
                : Optional.empty();
    }

    /** The session whose index this is, when {@code name} is the name of an index. */
    static Optional<String> indexOf(String name) {
        if (!name.endsWith(INDEX_SUFFIX)) {
            return Optional.empty();
        }
        String sessionId = name.substring(0, name.length() - INDEX_SUFFIX.length());
        return SESSION_ID.matcher(sessionId).matches() ? Optional.of(sessionId) : Optional.empty();
    }

    /** Writes all of {@code bytes}; the only path by which this bundle's bytes reach the disk. */
    void write(Path file, FileChannel channel, ByteBuffer bytes) throws IOException {
        disk.write(file, channel, bytes);
    }

    /** Replaces {@code target} with {@code bytes} so that a crash leaves the old file or the new one, never a mix. */
    void replaceDurably(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                write(temp, channel, ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            moveAtomically(temp, target);
        } finally {
            deleteQuietly(temp);
        }
        sync();
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes renames and removals in the directory durable. */
    void sync() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every file system lets a directory be opened for fsync; the rename itself is still atomic
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not remove " + file + "; it is removed at the next start", e);
        }
    }

    NeutronException failed(String what, IOException e) {
        return StorageErrors.failed(what, e, dataDir);
    }
}
