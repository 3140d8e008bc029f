package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryTest {
    private static final String SESSION = "chat_0123456789abcdef";
    private static final String OTHER = "chat_fedcba9876543210";
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1234), ZoneOffset.UTC);

    @TempDir
    Path dataDir;
    private UploadsDirectory files;
    private AttachmentIndex index;
    private Path uploads;

    @BeforeEach
    void openDirectory() {
        files = new UploadsDirectory(dataDir, DiskWrites.DIRECT);
        index = new AttachmentIndex(files);
        uploads = files.path();
    }

    private void recover() {
        new CrashRecovery(files, index, 1000, CLOCK).run();
    }

    /** Writes an attachment's file as the store would, and returns the attachment. */
    private Attachment file(String sessionId, String id, String fileName, byte[] content, Instant modified)
            throws IOException {
        ContentSniffer sniffer = new ContentSniffer();
        sniffer.update(content, 0, content.length);
        ContentSniffer.Detected type = sniffer.finish(fileName);
        Attachment attachment = new Attachment(id, sessionId, fileName, type == null ? "x/x" : type.contentType(),
                content.length, type == null ? AttachmentKind.text : type.kind(), modified);
        Path path = files.contentPath(attachment);
        Files.write(path, content);
        Files.setLastModifiedTime(path, FileTime.from(modified));
        return attachment;
    }

    private Attachment text(String sessionId, String id, String fileName, String content) throws IOException {
        return file(sessionId, id, fileName, content.getBytes(StandardCharsets.UTF_8), T0);
    }

    private List<String> uploadsFiles() throws IOException {
        try (Stream<Path> list = Files.list(uploads)) {
            return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void removesUnfinishedWritesButKeepsAnAttachmentNamedLikeOne() throws IOException {
        Attachment kept = text(SESSION, "att_000000000000000a", "notes.tmp", "a file the user named .tmp");
        index.write(SESSION, List.of(kept));
        Files.writeString(uploads.resolve(".upload-123.tmp"), "half an upload");
        Files.writeString(uploads.resolve(SESSION + ".attachments.json.tmp"), "[{\"id\"");

        recover();

        assertEquals(List.of(SESSION + ".attachments.json", SESSION + "_att_000000000000000a_notes.tmp"), uploadsFiles());
        assertEquals(List.of(kept), index.read(SESSION));
    }

    @Test
    void removesFilesNoListNamesAndDropsEntriesWhoseFileIsGone() throws IOException {
        Attachment kept = text(SESSION, "att_000000000000000a", "kept.txt", "kept");
        Attachment gone = text(SESSION, "att_000000000000000b", "gone.txt", "gone");
        index.write(SESSION, List.of(kept, gone));
        Files.delete(files.contentPath(gone));
        text(SESSION, "att_00000000deadbeef", "orphan.txt", "renamed, never listed");

        recover();

        assertEquals(List.of(kept), index.read(SESSION));
        assertEquals(List.of(SESSION + ".attachments.json", SESSION + "_" + kept.id() + "_kept.txt"), uploadsFiles());
    }

    @Test
    void rebuildsAMissingListFromTheFilesInTheOrderTheyCame() throws IOException {
        Attachment image = file(SESSION, "att_000000000000000b", "p.png", TestFiles.PNG, T0.plusSeconds(5));
        Attachment notes = file(SESSION, "att_000000000000000a", "notes.md", "# notes".getBytes(StandardCharsets.UTF_8), T0);

        recover();

        assertEquals(List.of(notes, image), index.read(SESSION));
        assertEquals("image/png", index.read(SESSION).get(1).contentType());
        assertEquals("text/markdown", index.read(SESSION).get(0).contentType());
    }

    @Test
    void setsAnUnreadableListAsideAndRebuildsIt() throws IOException {
        Attachment other = text(OTHER, "att_000000000000000c", "o.txt", "other");
        Files.writeString(uploads.resolve(OTHER + ".attachments.json"), "[{\"id\": \"att_");

        recover();

        assertEquals(List.of(other), index.read(OTHER));
        assertEquals("[{\"id\": \"att_", Files.readString(uploads.resolve(OTHER + ".attachments.json.corrupt-1234")));
    }

    @Test
    void doesNotAdoptFilesItWouldNeverHaveAccepted() throws IOException {
        file(SESSION, "att_000000000000000a", "program", TestFiles.ELF, T0);
        text(SESSION, "att_000000000000000b", "big.txt", "x".repeat(1001));
        Files.writeString(uploads.resolve(SESSION + "_att_000000000000000c_.hidden"), "a name sanitising would change");
        Attachment fine = text(SESSION, "att_000000000000000d", "fine.txt", "x".repeat(1000));

        recover();

        assertEquals(List.of(fine), index.read(SESSION));
        assertEquals(List.of(SESSION + ".attachments.json", SESSION + "_att_000000000000000d_fine.txt"), uploadsFiles());
    }

    @Test
    void leavesAConsistentDirectoryAlone() throws IOException {
        Attachment a = text(SESSION, "att_000000000000000a", "a.txt", "a");
        index.write(SESSION, List.of(a));
        Files.writeString(uploads.resolve("README"), "not ours, not touched");
        byte[] list = Files.readAllBytes(files.indexFile(SESSION));

        recover();

        assertEquals(List.of("README", SESSION + ".attachments.json", SESSION + "_att_000000000000000a_a.txt"),
                uploadsFiles());
        assertArrayEquals(list, Files.readAllBytes(files.indexFile(SESSION)));
    }
}
