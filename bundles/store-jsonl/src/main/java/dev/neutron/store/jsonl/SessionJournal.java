package dev.neutron.store.jsonl;

import dev.neutron.api.ChatSession;
import dev.neutron.store.codec.SessionChangeCodec;
import dev.neutron.store.codec.SessionChangeCodec.Change;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sessions.journal}: the changes made to the session list since {@code sessions.json} was last written, one
 * line each ({@link SessionChangeCodec}): the session as it now is and the size of its history file, or the id of a
 * session removed. A change costs one short append instead of a rewrite of every session; from time to time
 * {@code sessions.json} is written whole and the journal emptied. Reading the whole journal over any
 * {@code sessions.json} written after its first line gives the same list: a crash between writing {@code sessions.json}
 * and emptying the journal loses nothing.
 *
 * <p>A change that no other file holds (create, rename, settings, branch switch, delete) is fsync'd with its line, which
 * makes every line before it durable too. The line of an append is not: the history file, fsync'd by the append, is the
 * truth. Such a line lost or cut short by a power cut leaves an older size on record for its chat than the history
 * file has, and the start then reads that history file and corrects the session from it; a line that cannot be read is
 * skipped.
 */
final class SessionJournal {
    static final String FILE = "sessions.journal";

    private final Path file;
    private int entries;
    /** Whether the journal's directory entry is known durable (a durable append syncs the directory otherwise). */
    private boolean entryDurable;

    SessionJournal(Path chatsDir) {
        this.file = chatsDir.resolve(FILE);
    }

    /**
     * Appends one change, or leaves the journal as it was and throws.
     *
     * @param now the session as it now is; {@code null}: removed
     * @param historyBytes the size of its history file; {@code null}: not known
     * @param durable on disk when this returns (fdatasync'd); otherwise in the page cache only
     */
    void append(String id, ChatSession now, Long historyBytes, boolean durable) throws IOException {
        byte[] change = SessionChangeCodec.write(new Change(id, now, historyBytes));
        boolean existed = Files.exists(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            long size = channel.size();
            boolean afterCutLine = size > 0 && lastByte(channel, size) != '\n';
            byte[] line = new byte[change.length + 1 + (afterCutLine ? 1 : 0)];
            int at = 0;
            if (afterCutLine) {
                line[at++] = '\n'; // a line an earlier failed append left cut short stays a line of its own
            }
            System.arraycopy(change, 0, line, at, change.length);
            line[line.length - 1] = '\n';
            try {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                long position = size;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                if (durable) {
                    channel.force(false);
                }
            } catch (IOException e) {
                try {
                    channel.truncate(size);
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
        } catch (IOException e) {
            if (!existed) {
                try {
                    Files.deleteIfExists(file); // as it was: no journal
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        if (!existed) {
            entryDurable = false;
        }
        if (durable && !entryDurable) {
            DurableFiles.syncDirectory(file.getParent());
            entryDurable = true;
        }
        entries++;
    }

    private static byte lastByte(FileChannel channel, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0);
    }

    /** How many changes the journal holds: many means it is time to write sessions.json whole. */
    int entries() {
        return entries;
    }

    /**
     * Applies every readable change to {@code sessions} and {@code historyBytes} (removed where a change records no
     * size), in order.
     *
     * @return what was wrong with the lines that could not be read, if any
     */
    List<String> replay(Map<String, ChatSession> sessions, Map<String, Long> historyBytes) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        int start = 0;
        int number = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            number++;
            if (end > start) {
                try {
                    Change change = SessionChangeCodec.read(bytes, start, end - start);
                    if (change.session() == null) {
                        sessions.remove(change.id());
                        historyBytes.remove(change.id());
                    } else {
                        sessions.put(change.id(), change.session());
                        if (change.historyBytes() == null) {
                            historyBytes.remove(change.id());
                        } else {
                            historyBytes.put(change.id(), change.historyBytes());
                        }
                    }
                    entries++;
                } catch (IOException e) {
                    problems.add("line " + number + " of " + FILE + " is not a change (" + firstLine(e) + ")");
                }
            }
            start = end + 1;
        }
        return problems;
    }

    /** Empties the journal, once sessions.json holds every change in it. */
    void clear() throws IOException {
        Files.deleteIfExists(file);
        DurableFiles.syncDirectory(file.getParent());
        entries = 0;
        entryDurable = false;
    }

    private static String firstLine(IOException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
    }
}
