package dev.neutron.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A scripted fault, not a real disk: treats {@code root} as a disk of {@code capacity} bytes, counting the files under
 * it as used. A write that does not fit writes what fits and then fails as Linux does, with "No space left on device".
 */
final class ScriptedFullDisk implements DiskWrites {
    private final Path root;
    private volatile long capacity;
    private volatile int refusals;

    ScriptedFullDisk(Path root, long capacity) {
        this.root = root;
        this.capacity = capacity;
    }

    /** Makes the disk full but for {@code freeBytes}. */
    void leaveFree(long freeBytes) {
        capacity = used() + freeBytes;
    }

    int refusals() {
        return refusals;
    }

    @Override
    public synchronized void write(Path file, FileChannel channel, ByteBuffer bytes) throws IOException {
        long free = Math.max(0, capacity - used());
        if (bytes.remaining() > free) {
            ByteBuffer fits = bytes.slice().limit((int) free);
            DIRECT.write(file, channel, fits);
            refusals++;
            throw new IOException("No space left on device");
        }
        DIRECT.write(file, channel, bytes);
    }

    long used() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(ScriptedFullDisk::size).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // removed meanwhile
        }
    }
}
