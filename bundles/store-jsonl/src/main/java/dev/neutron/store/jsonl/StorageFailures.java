package dev.neutron.store.jsonl;

import dev.neutron.api.DiskFull;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.nio.file.Path;

/** Turns a failed file operation into the error a caller can act on: a full disk is {@code insufficient_storage}. */
final class StorageFailures {
    private final Path dataDir;

    StorageFailures(Path dataDir) {
        this.dataDir = dataDir;
    }

    NeutronException of(String what, IOException e) {
        if (isDiskFull(e)) {
            return new NeutronException(ErrorCode.INSUFFICIENT_STORAGE, "The disk is full: could not " + what
                    + ". Nothing was changed. Free disk space where the data directory " + dataDir
                    + " lives, then retry.", e);
        }
        return new NeutronException(ErrorCode.STORAGE_ERROR, "Could not " + what + ": " + e.getMessage()
                + ". Check that the data directory " + dataDir + " is writable and the disk is not full.", e);
    }

    static boolean isDiskFull(Throwable e) {
        return DiskFull.causedBy(e);
    }
}
