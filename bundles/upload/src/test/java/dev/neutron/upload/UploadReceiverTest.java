package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.AttachmentKind;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadReceiverTest {
    @TempDir
    Path dataDir;

    private List<String> uploadsFiles() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("uploads"))) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private UploadReceiver receiver(DiskWrites disk) {
        return new UploadReceiver(new UploadsDirectory(dataDir, disk), new UploadLimits(1000, 10_000, 10));
    }

    @Test
    void receivesIntoATemporaryFileThatClosingRemoves() throws IOException {
        UploadReceiver.ReceivedUpload received;
        try (UploadReceiver.ReceivedUpload upload =
                receiver(DiskWrites.DIRECT).receive(new ByteArrayInputStream(TestFiles.PNG), "p.png")) {
            received = upload;
            assertEquals(TestFiles.PNG.length, upload.size());
            assertEquals(new ContentSniffer.Detected(AttachmentKind.image, "image/png"), upload.type());
            assertArrayEquals(TestFiles.PNG, Files.readAllBytes(upload.file()));
            assertTrue(UploadsDirectory.isUnfinishedWrite(upload.file().getFileName().toString()));
        }
        assertFalse(Files.exists(received.file()));
        assertEquals(List.of(), uploadsFiles());
    }

    @Test
    void movingIntoPlaceKeepsTheFile() throws IOException {
        Path target = dataDir.resolve("uploads/kept");
        try (UploadReceiver.ReceivedUpload upload =
                receiver(DiskWrites.DIRECT).receive(new ByteArrayInputStream(TestFiles.GIF), "a.gif")) {
            upload.moveTo(target);
        }
        assertArrayEquals(TestFiles.GIF, Files.readAllBytes(target));
        assertEquals(List.of("kept"), uploadsFiles());
    }

    @Test
    void leavesNoTemporaryFileWhateverStopsIt() throws IOException {
        assertRefused(ErrorCode.UPLOAD_TOO_LARGE, receiver(DiskWrites.DIRECT), new TestFiles.GeneratedText(1001));
        assertRefused(ErrorCode.UNSUPPORTED_FILE_TYPE, receiver(DiskWrites.DIRECT), new ByteArrayInputStream(TestFiles.ZIP));
        assertRefused(ErrorCode.INVALID_REQUEST, receiver(DiskWrites.DIRECT), new TestFiles.Failing(500));
        ScriptedFullDisk fullDisk = new ScriptedFullDisk(dataDir, 0);
        assertRefused(ErrorCode.INSUFFICIENT_STORAGE, receiver(fullDisk), new TestFiles.GeneratedText(10));
        assertEquals(1, fullDisk.refusals());
    }

    private void assertRefused(ErrorCode code, UploadReceiver receiver, InputStream content) throws IOException {
        NeutronException e = assertThrows(NeutronException.class, () -> receiver.receive(content, "f.txt"));
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(List.of(), uploadsFiles());
    }
}
