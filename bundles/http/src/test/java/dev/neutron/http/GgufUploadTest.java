package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufUploadTest {
    @TempDir
    Path temp;

    private Path staging() {
        return temp.resolve("model-uploads");
    }

    private long stagedFiles() throws IOException {
        if (!Files.exists(staging())) {
            return 0;
        }
        try (Stream<Path> files = Files.list(staging())) {
            return files.count();
        }
    }

    @Test
    void stagesTheFileWithItsSha256AndSize() throws Exception {
        byte[] body = "GGUF\u0003\u0000\u0000\u0000 rest of a model".getBytes(StandardCharsets.ISO_8859_1);
        GgufUpload.Staged staged = new GgufUpload(staging(), 1000).stage(new ByteArrayInputStream(body), body.length);
        assertArrayEquals(body, Files.readAllBytes(staged.file()));
        assertEquals("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
                staged.digest());
        assertEquals(body.length, staged.sizeBytes());
    }

    @Test
    void refusesAFileWithoutTheGgufMagicAndKeepsNothing() throws Exception {
        byte[] body = "PK\u0003\u0004 a zip".getBytes(StandardCharsets.ISO_8859_1);
        NeutronException refused = assertThrows(NeutronException.class,
                () -> new GgufUpload(staging(), 1000).stage(new ByteArrayInputStream(body), -1));
        assertEquals(ErrorCode.UNSUPPORTED_FILE_TYPE, refused.code());
        assertEquals(0, stagedFiles());
    }

    @Test
    void refusesAnEmptyOrTooShortBody() throws Exception {
        for (String body : new String[] {"", "GGU"}) {
            NeutronException refused = assertThrows(NeutronException.class, () -> new GgufUpload(staging(), 1000)
                    .stage(new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)), -1));
            assertEquals(ErrorCode.UNSUPPORTED_FILE_TYPE, refused.code());
        }
        assertEquals(0, stagedFiles());
    }

    @Test
    void refusesADeclaredLengthOverTheLimitBeforeReading() {
        InputStream unread = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body must not be read");
            }
        };
        NeutronException refused = assertThrows(NeutronException.class,
                () -> new GgufUpload(staging(), 10).stage(unread, 11));
        assertEquals(ErrorCode.UPLOAD_TOO_LARGE, refused.code());
    }

    @Test
    void stopsAStreamThatGrowsPastTheLimitAndDeletesThePartialFile() throws Exception {
        InputStream endless = new InputStream() {
            private long sent;

            @Override
            public int read() {
                return sent++ < 4 ? "GGUF".charAt((int) sent - 1) : 0;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (sent < 4) {
                    return super.read(b, off, len);
                }
                sent += len;
                return len;
            }
        };
        NeutronException refused = assertThrows(NeutronException.class,
                () -> new GgufUpload(staging(), 1 << 20).stage(endless, -1));
        assertEquals(ErrorCode.UPLOAD_TOO_LARGE, refused.code());
        assertEquals(0, stagedFiles());
    }

    @Test
    void aFullDiskIsInsufficientStorage() {
        assertEquals(ErrorCode.INSUFFICIENT_STORAGE,
                GgufUpload.storageFailure(new IOException("No space left on device")).code());
        assertEquals(ErrorCode.STORAGE_ERROR, GgufUpload.storageFailure(new IOException("Permission denied")).code());
    }
}
