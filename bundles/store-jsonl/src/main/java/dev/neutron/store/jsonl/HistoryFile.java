package dev.neutron.store.jsonl;

import dev.neutron.api.ChatMessage;
import dev.neutron.store.codec.MessageCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One session's history file: one {@link ChatMessage} as JSON per line. Reading never fails on content: a line that is
 * not a message (cut short by a crash or a full disk, even inside a multi-byte character) is returned as a
 * {@link BadLine}. Appending either adds whole lines or leaves the file as it was.
 */
final class HistoryFile {
    private HistoryFile() {
    }

    /** A line that could not be read as a message; {@code torn}: the last line, with no newline after it. */
    record BadLine(int number, int offset, int length, boolean torn, String problem) {
    }

    /** The messages of a file, its lines that are not messages, and the raw bytes they came from. */
    record Contents(List<ChatMessage> messages, List<BadLine> badLines, byte[] bytes) {
        static final Contents EMPTY = new Contents(List.of(), List.of(), new byte[0]);

        /** Only the last line is bad and it has no newline: cutting it off repairs the file. */
        boolean onlyTornTail() {
            return badLines.size() == 1 && badLines.get(0).torn();
        }

        /** The last line has no newline: the write that left it stopped early. */
        boolean endsMidLine() {
            return bytes.length > 0 && bytes[bytes.length - 1] != '\n';
        }

        boolean clean() {
            return badLines.isEmpty() && !endsMidLine();
        }
    }

    static Contents read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Contents.EMPTY;
        }
        List<ChatMessage> messages = new ArrayList<>();
        List<BadLine> bad = new ArrayList<>();
        int start = 0;
        int number = 0;
        while (start < bytes.length) {
            int end = indexOf(bytes, (byte) '\n', start);
            boolean torn = end < 0;
            int lineEnd = torn ? bytes.length : end;
            number++;
            if (!isBlank(bytes, start, lineEnd)) {
                try {
                    // Jackson's byte parser rejects malformed UTF-8, so a line cut inside a character is a bad line too
                    messages.add(MessageCodec.read(bytes, start, lineEnd - start));
                } catch (IOException e) {
                    bad.add(new BadLine(number, start, lineEnd - start, torn,
                            e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("")));
                }
            }
            start = lineEnd + 1;
        }
        return new Contents(messages, bad, bytes);
    }

    /** Whether the file is non-empty and does not end with a newline (a line was cut short). */
    static boolean endsMidLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) != '\n';
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Appends whole lines and makes them durable: the data with fdatasync (which also writes the file's new size), and
     * the directory entry too when this append created the file. If any of it fails (e.g. the disk fills up halfway),
     * the file is cut back to its previous size before the failure is thrown.
     *
     * @return the size of the file before the append, for {@link #truncate} should the caller need to undo it
     */
    static long append(Path file, byte[] lines) throws IOException {
        boolean created = false;
        FileChannel opened;
        try {
            opened = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            opened = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            created = true;
        }
        try (FileChannel channel = opened) {
            long size = channel.size();
            try {
                ByteBuffer buffer = ByteBuffer.wrap(lines);
                long position = size;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                channel.force(false);
                if (created) {
                    DurableFiles.syncDirectory(file.getParent());
                }
            } catch (IOException e) {
                try {
                    channel.truncate(size);
                    channel.force(true);
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
            return size;
        }
    }

    /** Creates an empty history file, durable with its directory entry; fails if {@code file} exists. */
    static void create(Path file) throws IOException {
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        DurableFiles.syncDirectory(file.getParent());
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
            channel.force(true);
        }
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
