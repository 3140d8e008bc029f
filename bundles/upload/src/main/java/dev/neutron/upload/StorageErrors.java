package dev.neutron.upload;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The one place that turns a failed disk operation into what the client is told: a full disk is 507, the rest 500. */
final class StorageErrors {
    /** ENOSPC and EDQUOT as Linux and macOS word them, and ERROR_DISK_FULL as Windows does. */
    private static final List<String> FULL_DISK = List.of("no space left on device", "disk quota exceeded",
            "not enough space on the disk");
    private static final int MAX_CAUSES = 16;

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
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (FULL_DISK.stream().anyMatch(message::contains)) {
                return true;
            }
        }
        return false;
    }
}
