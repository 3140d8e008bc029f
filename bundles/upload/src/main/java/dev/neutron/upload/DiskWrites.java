package dev.neutron.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** How bytes reach the disk: directly in production; tests put a scripted full disk here. */
@FunctionalInterface
interface DiskWrites {
    DiskWrites DIRECT = (file, channel, bytes) -> {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    };

    /** Writes every remaining byte of {@code bytes} to {@code channel}, which is open on {@code file}. */
    void write(Path file, FileChannel channel, ByteBuffer bytes) throws IOException;
}
