package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.Attachment;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk, scripted: every upload is done whole or refused with 507 and nothing changed. */
class FullDiskTest {
    private static final String SESSION = "chat_0123456789abcdef";

    @TempDir
    Path dataDir;
    private ScriptedFullDisk disk;
    private FileAttachmentStore store;
    private Attachment kept;

    @BeforeEach
    void storeOneFile() {
        disk = new ScriptedFullDisk(dataDir, Long.MAX_VALUE);
        store = new FileAttachmentStore(dataDir, new UploadLimits(1_000_000, 10_000_000, 10), Clock.systemUTC(), disk);
        kept = store.store(SESSION, "kept.txt", text("kept"));
    }

    private static ByteArrayInputStream text(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

    /** Every file in the uploads directory with its content. */
    private List<String> snapshot() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("uploads"))) {
            return files.sorted().map(p -> p.getFileName() + "=" + read(p)).collect(Collectors.toList());
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertRefusedWith507AndNothingChanged(String name, int bytes, String whatFailed) throws IOException {
        List<String> before = snapshot();
        NeutronException e = assertThrows(NeutronException.class,
                () -> store.store(SESSION, name, new TestFiles.GeneratedText(bytes)));
        assertEquals(ErrorCode.INSUFFICIENT_STORAGE, e.code(), e.getMessage());
        assertEquals(507, e.code().httpStatus());
        assertEquals("Could not " + whatFailed + ": the disk is full. Free disk space where the data directory is ("
                + dataDir.toAbsolutePath().normalize() + ") and try again.", e.getMessage());
        assertEquals(before, snapshot());
        assertEquals(List.of(kept), store.list(SESSION));
    }

    @Test
    void refusesAnUploadThatDoesNotFit() throws IOException {
        disk.leaveFree(1000);
        assertRefusedWith507AndNothingChanged("big.txt", 5000, "keep the uploaded file");
        assertEquals(1, disk.refusals());
    }

    @Test
    void refusesAnUploadWhoseFileFitsButWhoseListEntryDoesNot() throws IOException {
        disk.leaveFree(5000 + 100);
        assertRefusedWith507AndNothingChanged("fits.txt", 5000, "write the attachment list of " + SESSION);
        assertEquals(1, disk.refusals());
    }

    @Test
    void acceptsUploadsAgainOnceSpaceIsFreedWithoutARestart() throws IOException {
        disk.leaveFree(1000);
        assertRefusedWith507AndNothingChanged("big.txt", 5000, "keep the uploaded file");
        disk.leaveFree(1_000_000);
        Attachment big = store.store(SESSION, "big.txt", new TestFiles.GeneratedText(5000));
        assertEquals(List.of(kept, big), store.list(SESSION));
        assertEquals(5000, Files.size(store.contentPath(big)));
    }

    @Test
    void deletesAnAttachmentOnAFullDisk() throws IOException {
        Attachment spare = store.store(SESSION, "spare.txt", new TestFiles.GeneratedText(3000));
        disk.leaveFree(0);
        assertTrue(store.delete(SESSION, spare.id()));
        assertEquals(1, disk.refusals(), "the shorter list did not fit until the file was gone");
        assertEquals(List.of(kept), store.list(SESSION));
        assertEquals(List.of(kept), new FileAttachmentStore(dataDir).list(SESSION));
        assertEquals(2, snapshot().size(), snapshot().toString());
    }

    @Test
    void aFullDiskAtStartDoesNotLoseTheListItCouldNotRebuild() throws IOException {
        Path list = dataDir.resolve("uploads/" + SESSION + ".attachments.json");
        byte[] before = Files.readAllBytes(list);
        Files.delete(list);
        disk.leaveFree(0);
        NeutronException e = assertThrows(NeutronException.class, () -> new FileAttachmentStore(dataDir,
                new UploadLimits(1_000_000, 10_000_000, 10), Clock.systemUTC(), disk));
        assertEquals(ErrorCode.INSUFFICIENT_STORAGE, e.code());
        assertEquals(List.of(SESSION + "_" + kept.id() + "_kept.txt=kept"), snapshot(), "the file is kept for a later start");
        disk.leaveFree(1_000_000);
        FileAttachmentStore restarted = new FileAttachmentStore(dataDir,
                new UploadLimits(1_000_000, 10_000_000, 10), Clock.systemUTC(), disk);
        assertEquals(List.of(kept.id()), restarted.list(SESSION).stream().map(Attachment::id).toList());
        assertArrayEquals("kept".getBytes(StandardCharsets.UTF_8), restarted.open(SESSION, kept.id()).readAllBytes());
    }
}
