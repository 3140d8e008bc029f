package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.neutron.api.Attachment;
import dev.neutron.api.NeutronException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing of what an upload's multipart part delivers to the store: a client file name and the bytes.
 * The input is the name, a NUL, then the content. Either the file is kept (under its sanitised name, byte for byte,
 * and its text can be extracted or is refused with a client error) or the upload is refused with a client error and
 * nothing is left behind. Regression inputs: {@code AttachmentUploadFuzzTestInputs/}.
 */
class AttachmentUploadFuzzTest {
    /** In memory where there is a tmpfs: the fsyncs of every run cost nothing there, so the fuzzer runs far more inputs. */
    private static final Path SCRATCH = Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));
    private static final String SESSION = "chat_0123456789abcdef";
    private static final long MAX_FILE_BYTES = 4096;

    @FuzzTest
    void uploadsAreKeptExactlyOrRefusedCleanly(byte[] input) throws IOException {
        int nul = indexOfNul(input);
        String clientName = new String(input, 0, nul, StandardCharsets.UTF_8);
        byte[] content = nul < input.length ? Arrays.copyOfRange(input, nul + 1, input.length) : new byte[0];
        Path dataDir = Files.createTempDirectory(SCRATCH, "upload-fuzz");
        try {
            FileAttachmentStore store = new FileAttachmentStore(dataDir, MAX_FILE_BYTES, 8 * MAX_FILE_BYTES, 5,
                    Clock.systemUTC());
            Attachment kept;
            try {
                kept = store.store(SESSION, clientName, new ByteArrayInputStream(content));
            } catch (NeutronException refused) {
                assertClientError(refused);
                assertEquals(List.of(), store.list(SESSION));
                assertEquals(List.of(), filesIn(store.uploadsDirectory()), "left behind by a refused upload");
                return;
            }
            assertEquals(FileNames.sanitise(clientName), kept.fileName());
            assertEquals(content.length, kept.size());
            try (InputStream in = store.open(SESSION, kept.id())) {
                assertArrayEquals(content, in.readAllBytes());
            }
            try {
                store.extract(SESSION, kept.id(), 1000);
            } catch (NeutronException refused) {
                assertClientError(refused);
            }
            Path stored = store.uploadsDirectory().resolve(SESSION + "_" + kept.id() + "_" + kept.fileName()).normalize();
            assertEquals(store.uploadsDirectory(), stored.getParent(), "stored outside the uploads directory");
            assertTrue(filesIn(store.uploadsDirectory()).stream().noneMatch(UploadsDirectory::isUnfinishedWrite),
                    "temporary files left behind");
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void assertClientError(NeutronException e) {
        assertTrue(e.code().httpStatus() >= 400 && e.code().httpStatus() < 500,
                () -> e.code().code() + " (" + e.code().httpStatus() + "): " + e.getMessage());
    }

    private static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static int indexOfNul(byte[] input) {
        for (int i = 0; i < input.length; i++) {
            if (input[i] == 0) {
                return i;
            }
        }
        return input.length;
    }
}
