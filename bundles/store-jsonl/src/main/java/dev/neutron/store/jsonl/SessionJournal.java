package dev.neutron.store.jsonl;

import dev.neutron.api.ChatSession;
import dev.neutron.store.codec.SessionChangeCodec;
import dev.neutron.store.codec.SessionChangeCodec.Change;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sessions.journal}: the changes to the session list since {@code sessions.json} was last written, one line
 * each, appended and fsync'd. A change costs one short append instead of a rewrite of every session; from time to
 * time {@code sessions.json} is written whole and the journal emptied. Each line holds the session as it now is, so
 * reading the whole journal over any {@code sessions.json} written after its first line gives the same list: a crash
 * between writing {@code sessions.json} and emptying the journal loses nothing. A line that cannot be read (cut short
 * by a crash) is skipped; the history files, read at every start, still correct the counts it held.
 */
final class SessionJournal {
    static final String FILE = "sessions.journal";

    private final Path file;
    private int entries;

    SessionJournal(Path chatsDir) {
        this.file = chatsDir.resolve(FILE);
    }

    /** Appends one change durably, or leaves the journal as it was and throws. */
    void append(String id, ChatSession now) throws IOException {
        byte[] change = SessionChangeCodec.write(new Change(id, now));
        boolean afterCutLine = HistoryFile.endsMidLine(file);
        byte[] line = new byte[change.length + 1 + (afterCutLine ? 1 : 0)];
        int at = 0;
        if (afterCutLine) {
            line[at++] = '\n'; // a line an earlier failed append left cut short stays a line of its own
        }
        System.arraycopy(change, 0, line, at, change.length);
        line[line.length - 1] = '\n';
        boolean existed = Files.exists(file);
        try {
            HistoryFile.append(file, line);
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
        entries++;
    }

    /** How many changes the journal holds: many means it is time to write sessions.json whole. */
    int entries() {
        return entries;
    }

    /**
     * Applies every readable change to {@code sessions}, in order.
     *
     * @return what was wrong with the lines that could not be read, if any
     */
    List<String> replay(Map<String, ChatSession> sessions) throws IOException {
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
                    } else {
                        sessions.put(change.id(), change.session());
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
    }

    private static String firstLine(IOException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
    }
}
