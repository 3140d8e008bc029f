package dev.neutron.upload;

import dev.neutron.api.Attachment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes the uploads directory consistent again after a crash, before the store serves any call: removes unfinished
 * writes, files no list names, and list entries whose file is gone; rebuilds a missing or unreadable list from the
 * session's files, their types sniffed again.
 */
final class CrashRecovery {
    private static final System.Logger LOG = System.getLogger(CrashRecovery.class.getName());
    private static final int BUFFER_BYTES = 64 * 1024;

    private final UploadsDirectory files;
    private final AttachmentIndex index;
    private final long maxFileBytes;
    private final Clock clock;

    CrashRecovery(UploadsDirectory files, AttachmentIndex index, long maxFileBytes, Clock clock) {
        this.files = files;
        this.index = index;
        this.maxFileBytes = maxFileBytes;
        this.clock = clock;
    }

    void run() {
        Map<String, List<Path>> filesBySession = new TreeMap<>();
        Set<String> sessions = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(files.path())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Optional<UploadsDirectory.ContentFile> content = UploadsDirectory.contentFile(name);
                if (UploadsDirectory.isUnfinishedWrite(name)) {
                    LOG.log(System.Logger.Level.INFO, "Removing " + name + ", left by a write cut short");
                    UploadsDirectory.deleteQuietly(entry);
                } else if (content.isPresent() && Files.isRegularFile(entry)) {
                    filesBySession.computeIfAbsent(content.get().sessionId(), id -> new ArrayList<>()).add(entry);
                } else {
                    UploadsDirectory.indexOf(name).ifPresent(sessions::add);
                }
            }
        } catch (IOException e) {
            throw files.failed("list the uploads directory", e);
        }
        sessions.addAll(filesBySession.keySet());
        for (String sessionId : sessions) {
            reconcile(sessionId, filesBySession.getOrDefault(sessionId, List.of()));
        }
    }

    private void reconcile(String sessionId, List<Path> sessionFiles) {
        List<Attachment> listed = readOrSetAside(sessionId);
        if (listed == null) {
            rebuild(sessionId, sessionFiles);
            return;
        }
        List<Attachment> present = new ArrayList<>();
        Set<Path> named = new HashSet<>();
        for (Attachment attachment : listed) {
            Path file = files.contentPath(attachment);
            if (Files.isRegularFile(file)) {
                present.add(attachment);
                named.add(file);
            } else {
                LOG.log(System.Logger.Level.WARNING, "Dropped attachment " + attachment.id() + " of " + sessionId
                        + " from its list: its file is missing");
            }
        }
        for (Path file : sessionFiles) {
            if (!named.contains(file)) {
                LOG.log(System.Logger.Level.INFO, "Removing " + file.getFileName() + ": no attachment list names it");
                UploadsDirectory.deleteQuietly(file);
            }
        }
        if (present.size() != listed.size()) {
            index.write(sessionId, present);
        }
    }

    /** The session's list; null when there is none, or it was unreadable and has been set aside. */
    private List<Attachment> readOrSetAside(String sessionId) {
        if (!index.exists(sessionId)) {
            return null;
        }
        try {
            return index.parse(sessionId);
        } catch (IOException unreadable) {
            try {
                Path aside = index.setAside(sessionId, clock.millis());
                LOG.log(System.Logger.Level.WARNING, "The attachment list of " + sessionId + " could not be read ("
                        + unreadable.getMessage() + "); kept it as " + aside.getFileName()
                        + " and rebuilt it from the files");
            } catch (IOException e) {
                throw files.failed("set aside the unreadable attachment list of " + sessionId, e);
            }
            return null;
        }
    }

    private void rebuild(String sessionId, List<Path> sessionFiles) {
        List<Attachment> rebuilt = new ArrayList<>();
        for (Path file : sessionFiles) {
            Attachment attachment = adopt(sessionId, file);
            if (attachment == null) {
                UploadsDirectory.deleteQuietly(file);
            } else {
                rebuilt.add(attachment);
            }
        }
        rebuilt.sort(Comparator.comparing(Attachment::createdAt).thenComparing(Attachment::id));
        if (!rebuilt.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Rebuilt the attachment list of " + sessionId + " from "
                    + rebuilt.size() + " file(s)");
            index.write(sessionId, rebuilt);
        }
    }

    /** An attachment for a file without a list entry; null when it cannot be one of ours. */
    private Attachment adopt(String sessionId, Path file) {
        Optional<UploadsDirectory.ContentFile> name = UploadsDirectory.contentFile(file.getFileName().toString());
        if (name.isEmpty() || !name.get().fileName().equals(FileNames.sanitise(name.get().fileName()))) {
            return null;
        }
        String fileName = name.get().fileName();
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
            return new Attachment(name.get().attachmentId(), sessionId, fileName, type.contentType(), size,
                    type.kind(), created);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not read " + file.getFileName() + " to recover it", e);
            return null;
        }
    }
}
