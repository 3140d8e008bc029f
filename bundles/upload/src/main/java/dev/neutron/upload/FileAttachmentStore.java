package dev.neutron.upload;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentContent;
import dev.neutron.api.AttachmentStore;
import dev.neutron.api.DataDirectory;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Attachments on local disk, in {@link UploadsDirectory}; each session's {@link AttachmentIndex} is the truth, and
 * {@link CrashRecovery} makes the files agree with it at start. A change is either done whole and acknowledged, or
 * refused with nothing changed, a full disk included ({@code insufficient_storage}).
 */
@Component(service = AttachmentStore.class, configurationPid = FileAttachmentStore.PID)
@Designate(ocd = UploadConfig.class)
public class FileAttachmentStore implements AttachmentStore {
    public static final String PID = "dev.neutron.upload";
    public static final long DEFAULT_MAX_FILE_BYTES = 20L * 1024 * 1024;
    public static final long DEFAULT_MAX_SESSION_BYTES = 100L * 1024 * 1024;
    public static final int DEFAULT_MAX_FILES_PER_SESSION = 50;

    private static final int LOCK_STRIPES = 64;

    private final UploadsDirectory files;
    private final AttachmentIndex index;
    private final UploadLimits limits;
    private final UploadReceiver receiver;
    private final Clock clock;
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
        this(dataDir, new UploadLimits(maxFileBytes, maxSessionBytes, maxFilesPerSession), clock, DiskWrites.DIRECT);
    }

    FileAttachmentStore(Path dataDir, UploadLimits limits, Clock clock, DiskWrites disk) {
        this.limits = limits;
        this.clock = clock;
        this.files = new UploadsDirectory(dataDir, disk);
        this.index = new AttachmentIndex(files);
        this.receiver = new UploadReceiver(files, limits);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        new CrashRecovery(files, index, limits.maxFileBytes(), clock).run();
    }

    /** {@code <data>/uploads}: every file this store writes is directly inside it. */
    public Path uploadsDirectory() {
        return files.path();
    }

    @Override
    public Attachment store(String sessionId, String clientFileName, InputStream content) {
        Ids.requireSessionId(sessionId);
        if (content == null) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "The upload has no file content.");
        }
        String fileName = FileNames.sanitise(clientFileName);
        synchronized (lockFor(sessionId)) {
            // fail before receiving megabytes when the chat is already full; checked again before the file is kept
            limits.checkRoomFor(index.read(sessionId), 0);
        }
        try (UploadReceiver.ReceivedUpload received = receiver.receive(content, fileName)) {
            synchronized (lockFor(sessionId)) {
                List<Attachment> attachments = new ArrayList<>(index.read(sessionId));
                limits.checkRoomFor(attachments, received.size());
                Attachment attachment = new Attachment(Ids.newAttachmentId(attachments), sessionId, fileName,
                        received.type().contentType(), received.size(), received.type().kind(), clock.instant());
                Path target = files.contentPath(attachment);
                received.moveTo(target);
                attachments.add(attachment);
                try {
                    index.write(sessionId, attachments);
                } catch (RuntimeException e) {
                    UploadsDirectory.deleteQuietly(target);
                    throw e;
                }
                return attachment;
            }
        } catch (IOException e) {
            throw files.failed("keep the uploaded file", e);
        }
    }

    @Override
    public List<Attachment> list(String sessionId) {
        Ids.requireSessionId(sessionId);
        synchronized (lockFor(sessionId)) {
            return List.copyOf(index.read(sessionId));
        }
    }

    @Override
    public Optional<Attachment> find(String sessionId, String attachmentId) {
        Ids.requireSessionId(sessionId);
        if (!Ids.isAttachmentId(attachmentId)) {
            return Optional.empty();
        }
        synchronized (lockFor(sessionId)) {
            return index.read(sessionId).stream().filter(a -> a.id().equals(attachmentId)).findFirst();
        }
    }

    @Override
    public InputStream open(String sessionId, String attachmentId) {
        Attachment attachment = existing(sessionId, attachmentId);
        try {
            return Files.newInputStream(files.contentPath(attachment));
        } catch (NoSuchFileException e) {
            throw notFound(attachmentId);
        } catch (IOException e) {
            throw files.failed("read attachment " + attachmentId, e);
        }
    }

    @Override
    public boolean delete(String sessionId, String attachmentId) {
        Ids.requireSessionId(sessionId);
        if (!Ids.isAttachmentId(attachmentId)) {
            return false;
        }
        synchronized (lockFor(sessionId)) {
            List<Attachment> attachments = new ArrayList<>(index.read(sessionId));
            Optional<Attachment> removed = attachments.stream().filter(a -> a.id().equals(attachmentId)).findFirst();
            if (removed.isEmpty()) {
                return false;
            }
            attachments.remove(removed.get());
            Path file = files.contentPath(removed.get());
            try {
                // the list first: a file left behind by a crash here is an orphan, removed at the next start
                index.write(sessionId, attachments);
            } catch (NeutronException e) {
                if (e.code() != ErrorCode.INSUFFICIENT_STORAGE) {
                    throw e;
                }
                // the file's space makes room for the shorter list; an entry left without its file is dropped at start
                UploadsDirectory.deleteQuietly(file);
                index.write(sessionId, attachments);
            }
            UploadsDirectory.deleteQuietly(file);
            return true;
        }
    }

    @Override
    public void deleteAll(String sessionId) {
        Ids.requireSessionId(sessionId);
        synchronized (lockFor(sessionId)) {
            // the files first: a list left behind by a crash here names missing files, dropped at the next start
            try (DirectoryStream<Path> sessionFiles = files.contentFilesOf(sessionId)) {
                for (Path file : sessionFiles) {
                    Files.deleteIfExists(file);
                }
                index.remove(sessionId);
            } catch (IOException e) {
                throw files.failed("remove the attachments of " + sessionId, e);
            }
            files.sync();
        }
    }

    @Override
    public AttachmentContent extract(String sessionId, String attachmentId, int maxChars) {
        if (maxChars < 0) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "maxChars must not be negative, was " + maxChars + ".");
        }
        Attachment attachment = existing(sessionId, attachmentId);
        Path file = files.contentPath(attachment);
        if (!Files.isRegularFile(file)) {
            throw notFound(attachmentId);
        }
        try {
            return ContentExtractor.extract(attachment, file, maxChars);
        } catch (IOException e) {
            throw files.failed("read attachment " + attachmentId, e);
        }
    }

    /** Where an attachment's bytes are (for tests). */
    Path contentPath(Attachment attachment) {
        return files.contentPath(attachment);
    }

    private Attachment existing(String sessionId, String attachmentId) {
        Ids.requireSessionId(sessionId);
        if (!Ids.isAttachmentId(attachmentId)) {
            throw notFound(attachmentId);
        }
        return find(sessionId, attachmentId).orElseThrow(() -> notFound(attachmentId));
    }

    private Object lockFor(String sessionId) {
        return locks[Math.floorMod(sessionId.hashCode(), locks.length)];
    }

    private static NeutronException notFound(String attachmentId) {
        return new NeutronException(ErrorCode.ATTACHMENT_NOT_FOUND, "No attachment with id "
                + (Ids.isAttachmentId(attachmentId) ? attachmentId : "like that") + " in this chat.");
    }
}
