package dev.neutron.store.jsonl;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Turns a failed file operation into the error a caller can act on: a full disk is {@code insufficient_storage}. */
final class StorageFailures {
    /** What the OS says when the disk (ENOSPC) or the user's quota (EDQUOT) is full, on Linux, macOS and Windows. */
    private static final List<String> DISK_FULL = List.of("no space left on device", "disk quota exceeded",
            "not enough space on the disk", "there is not enough space");

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
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null) {
                String lower = message.toLowerCase(Locale.ROOT);
                if (DISK_FULL.stream().anyMatch(lower::contains)) {
                    return true;
                }
            }
        }
        return false;
    }
}
