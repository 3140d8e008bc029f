package dev.neutron.upload;

import dev.neutron.api.DiskFull;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.nio.file.Path;

/** The one place that turns a failed disk operation into what the client is told: a full disk is 507, the rest 500. */
final class StorageErrors {
    private StorageErrors() {
    }

    static NeutronException failed(String what, IOException e, Path dataDir) {
        if (isDiskFull(e)) {
            return new NeutronException(ErrorCode.INSUFFICIENT_STORAGE, "Could not " + what
                    + ": the disk is full. Free disk space where the data directory is (" + dataDir
                    + ") and try again.", e);
        }
        return new NeutronException(ErrorCode.STORAGE_ERROR, "Could not " + what + ": " + e.getMessage()
                + ". Check that the data directory is writable and the disk is not full.", e);
    }

    static boolean isDiskFull(Throwable failure) {
        return DiskFull.causedBy(failure);
    }
}
