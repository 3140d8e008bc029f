package dev.neutron.store.jsonl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** Whole-file writes that are on disk when they return, and leave nothing half-written behind when they fail. */
final class DurableFiles {
    private DurableFiles() {
    }

    /** Writes a whole file and fsyncs it; if that fails (e.g. the disk is full) the partial file is removed. */
    static void write(Path file, byte[] bytes, StandardOpenOption... options) throws IOException {
        Set<StandardOpenOption> open = new HashSet<>(Arrays.asList(options));
        open.add(StandardOpenOption.WRITE);
        FileChannel channel = FileChannel.open(file, open);
        try (channel) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            deleteAfterFailure(file, e);
            throw e;
        }
    }

    /**
     * Replaces {@code file} by {@code bytes} atomically: written to {@code temp}, fsync'd, renamed over it. A crash or
     * failure at any point leaves either the old file or the new one, never a mix.
     */
    static void replace(Path file, Path temp, byte[] bytes) throws IOException {
        write(temp, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        install(temp, file);
    }

    /**
     * The second half of {@link #replace}, for a caller with a step between the two: renames {@code temp}, written by
     * {@link #write}, over {@code file} atomically and makes the rename durable. If it fails, {@code temp} is removed.
     */
    static void install(Path temp, Path file) throws IOException {
        try {
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteAfterFailure(temp, e);
            throw e;
        }
        syncDirectory(file.getParent());
    }

    /** Makes renames and deletions in {@code dir} durable. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every file system lets a directory be opened for fsync; the rename itself is still atomic
        }
    }

    private static void deleteAfterFailure(Path file, IOException failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }
}
