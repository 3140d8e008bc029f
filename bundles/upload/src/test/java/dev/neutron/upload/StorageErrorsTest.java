package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class StorageErrorsTest {
    private static final Path DATA = Path.of("/srv/neutron-data");

    static Stream<IOException> fullDisks() {
        return Stream.of(
                new IOException("No space left on device"),
                new FileSystemException("/srv/neutron-data/uploads/.upload-1.tmp", null, "No space left on device"),
                new IOException("Disk quota exceeded"),
                new FileSystemException("C:\\data\\x", null, "There is not enough space on the disk."),
                new IOException("flush failed", new IOException("No space left on device")));
    }

    @ParameterizedTest
    @MethodSource("fullDisks")
    void aFullDiskIs507AndSaysToFreeSpaceInTheDataDirectory(IOException failure) {
        assertTrue(StorageErrors.isDiskFull(failure));
        NeutronException e = StorageErrors.failed("keep the uploaded file", failure, DATA);
        assertEquals(ErrorCode.INSUFFICIENT_STORAGE, e.code());
        assertEquals(507, e.code().httpStatus());
        assertEquals("Could not keep the uploaded file: the disk is full. Free disk space where the data directory is ("
                + DATA + ") and try again.", e.getMessage());
        assertSame(failure, e.getCause());
    }

    @Test
    void anyOtherFailureIsAStorageError() {
        IOException denied = new AccessDeniedException("/srv/neutron-data/uploads");
        assertFalse(StorageErrors.isDiskFull(denied));
        assertFalse(StorageErrors.isDiskFull(new IOException((String) null)));
        NeutronException e = StorageErrors.failed("list the uploads directory", denied, DATA);
        assertEquals(ErrorCode.STORAGE_ERROR, e.code());
        assertEquals("Could not list the uploads directory: /srv/neutron-data/uploads. Check that the data directory "
                + "is writable and the disk is not full.", e.getMessage());
    }
}
