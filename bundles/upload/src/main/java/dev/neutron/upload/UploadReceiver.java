package dev.neutron.upload;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams an upload into a temporary file in the uploads directory while counting its size and sniffing its type,
 * and stops at the first broken rule. On any failure the temporary file is gone before the exception leaves.
 */
final class UploadReceiver {
    private static final int BUFFER_BYTES = 64 * 1024;

    /** A complete, fsync'd upload in a temporary file; closing removes that file unless it was moved into place. */
    record ReceivedUpload(Path file, long size, ContentSniffer.Detected type) implements AutoCloseable {
        void moveTo(Path target) throws IOException {
            UploadsDirectory.moveAtomically(file, target);
        }

        @Override
        public void close() {
            UploadsDirectory.deleteQuietly(file);
        }
    }

    private final UploadsDirectory files;
    private final UploadLimits limits;

    UploadReceiver(UploadsDirectory files, UploadLimits limits) {
        this.files = files;
        this.limits = limits;
    }

    ReceivedUpload receive(InputStream content, String fileName) {
        Path temp = null;
        try {
            temp = files.newTempFile();
            ContentSniffer sniffer = new ContentSniffer();
            long size = copy(content, temp, sniffer);
            ContentSniffer.Detected type = sniffer.finish(fileName);
            if (type == null) {
                throw unsupportedType();
            }
            ReceivedUpload received = new ReceivedUpload(temp, size, type);
            temp = null;
            return received;
        } catch (IOException e) {
            throw files.failed("keep the uploaded file", e);
        } finally {
            if (temp != null) {
                UploadsDirectory.deleteQuietly(temp);
            }
        }
    }

    private long copy(InputStream content, Path temp, ContentSniffer sniffer) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long size = 0;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int n; (n = read(content, buffer)) >= 0; ) {
                size += n;
                limits.checkFileSize(size);
                sniffer.update(buffer, 0, n);
                if (sniffer.rejected()) {
                    throw unsupportedType();
                }
                files.write(temp, out, ByteBuffer.wrap(buffer, 0, n));
            }
            out.force(true);
        }
        return size;
    }

    /** Reads from the client; its failure is a request cut off, not a storage problem. */
    private static int read(InputStream content, byte[] buffer) {
        try {
            return content.read(buffer);
        } catch (IOException e) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "The upload was cut off before it finished ("
                    + e.getMessage() + "); nothing was kept. Try sending the file again.", e);
        }
    }

    static NeutronException unsupportedType() {
        return new NeutronException(ErrorCode.UNSUPPORTED_FILE_TYPE,
                "This kind of file cannot be attached. Accepted are " + ContentSniffer.ACCEPTED + ".");
    }
}
