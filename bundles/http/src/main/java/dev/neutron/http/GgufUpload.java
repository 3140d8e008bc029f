package dev.neutron.http;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A GGUF model file streamed from a request body to a staging file while it is hashed: never held in memory, refused
 * as soon as its first bytes are not the GGUF magic or it grows past the limit (the partial file is deleted).
 */
final class GgufUpload {
    static final byte[] MAGIC = {'G', 'G', 'U', 'F'};
    private static final int BUFFER = 1 << 16;

    /** A staged file: delete it when it has been handed on. */
    record Staged(Path file, String digest, long sizeBytes) {
    }

    private final Path stagingDir;
    private final long maxBytes;

    GgufUpload(Path stagingDir, long maxBytes) {
        this.stagingDir = stagingDir;
        this.maxBytes = maxBytes;
    }

    Staged stage(InputStream body, long declaredLength) {
        if (declaredLength > maxBytes) {
            throw tooLarge();
        }
        Path file = null;
        try {
            Files.createDirectories(stagingDir);
            file = Files.createTempFile(stagingDir, "upload-", ".gguf.part");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long size = copy(new DigestInputStream(body, sha256), file);
            return new Staged(file, "sha256:" + HexFormat.of().formatHex(sha256.digest()), size);
        } catch (IOException e) {
            deleteQuietly(file);
            throw storageFailure(e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        } catch (NoSuchAlgorithmException e) {
            deleteQuietly(file);
            throw new IllegalStateException("This Java has no SHA-256", e);
        }
    }

    private long copy(InputStream in, Path file) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] head = in.readNBytes(MAGIC.length);
            if (head.length < MAGIC.length || !java.util.Arrays.equals(head, MAGIC)) {
                throw new NeutronException(ErrorCode.UNSUPPORTED_FILE_TYPE, head.length == 0
                        ? "The upload is empty. Send the GGUF model file as the request body."
                        : "The upload is not a GGUF model file (it does not start with the bytes 'GGUF'). Convert the "
                        + "model to GGUF first, e.g. with llama.cpp's convert_hf_to_gguf.py.");
            }
            out.write(head);
            size += head.length;
            int read;
            while ((read = in.read(buffer)) >= 0) {
                size += read;
                if (size > maxBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, read);
            }
        }
        return size;
    }

    private NeutronException tooLarge() {
        return new NeutronException(ErrorCode.UPLOAD_TOO_LARGE, "The model file is larger than the limit of " + maxBytes
                + " bytes. Raise maxModelFileBytes of PID " + ModelManagementConfig.PID + " to accept it.");
    }

    static NeutronException storageFailure(IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("no space left") || message.contains("quota")) {
            return new NeutronException(ErrorCode.INSUFFICIENT_STORAGE, "The disk of Neutron's data directory is full, "
                    + "so the model file could not be staged. Free space and upload again.", e);
        }
        return new NeutronException(ErrorCode.STORAGE_ERROR, "The model file could not be staged: " + e.getMessage(), e);
    }

    static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover staging file is removed on the next start
        }
    }
}
