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
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a 1 MiB tmpfs as the data directory. Needs root (the build runs as root here and on CI); when the
 * mount fails the test fails, so a full disk is never silently left untested.
 */
class TmpfsFullDiskTest {
    private static final String SESSION = "chat_0123456789abcdef";

    @TempDir
    Path temp;

    @Test
    void aFullDiskRefusesUploadsWith507KeepsNothingAndTakesThemAgainOnceSpaceIsFreed() throws Exception {
        Path disk = Files.createDirectory(temp.resolve("disk"));
        run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString());
        try {
            FileAttachmentStore store = new FileAttachmentStore(disk);
            Attachment kept = store.store(SESSION, "kept.txt", text("kept"));
            Attachment spare = store.store(SESSION, "spare.txt", text("spare"));
            Path filler = disk.resolve("filler");
            assertEquals("No space left on device", fill(filler));

            List<String> before = uploadsFiles(disk);
            byte[] listBefore = Files.readAllBytes(disk.resolve("uploads/" + SESSION + ".attachments.json"));
            NeutronException e = assertThrows(NeutronException.class,
                    () -> store.store(SESSION, "more.txt", new TestFiles.GeneratedText(100_000)));
            assertEquals(ErrorCode.INSUFFICIENT_STORAGE, e.code(), e.getMessage());
            assertEquals(507, e.code().httpStatus());
            assertEquals("Could not keep the uploaded file: the disk is full. Free disk space where the data directory "
                    + "is (" + disk.toAbsolutePath().normalize() + ") and try again.", e.getMessage());
            assertEquals(before, uploadsFiles(disk), "no temporary or partial file");
            assertArrayEquals(listBefore, Files.readAllBytes(disk.resolve("uploads/" + SESSION + ".attachments.json")));
            assertEquals(List.of(kept, spare), store.list(SESSION));

            assertTrue(store.delete(SESSION, spare.id()), "deleting frees space even on a full disk");
            assertEquals(List.of(kept), store.list(SESSION));

            Files.delete(filler);
            Attachment more = store.store(SESSION, "more.txt", new TestFiles.GeneratedText(100_000));
            assertEquals(List.of(kept, more), store.list(SESSION));
            assertEquals(List.of(kept, more), new FileAttachmentStore(disk).list(SESSION));
            assertEquals(Stream.of(SESSION + ".attachments.json", SESSION + "_" + kept.id() + "_kept.txt",
                    SESSION + "_" + more.id() + "_more.txt").sorted().toList(), uploadsFiles(disk));
        } finally {
            run("umount", disk.toString());
        }
    }

    private static ByteArrayInputStream text(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes to {@code file} until the disk refuses; returns how it refused. */
    private static String fill(Path file) throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 1024; i++) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            return full.getMessage();
        }
        throw new AssertionError("wrote 4 MiB to a 1 MiB tmpfs: it is not mounted");
    }

    private static List<String> uploadsFiles(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("uploads"))) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed (it needs root): " + output);
    }
}
