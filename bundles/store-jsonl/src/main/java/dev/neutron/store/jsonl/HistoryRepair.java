package dev.neutron.store.jsonl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes a history file clean again after a crash or a full disk: its bad lines are copied to a side file
 * {@code <id>.jsonl.torn-<millis>} first, then cut off (a torn last line) or left out of a rewritten copy that
 * replaces the file atomically (bad lines further up, as older versions left them). Every step is safe to crash in:
 * the next start finds either the old file or the repaired one.
 */
final class HistoryRepair {
    static final String SIDE_FILE_MARK = ".torn-";
    static final String REWRITE_SUFFIX = ".tmp";

    private HistoryRepair() {
    }

    /** @return a sentence saying what was done, for the recovery report */
    static String repair(Path file, HistoryFile.Contents contents, long millis) throws IOException {
        if (contents.badLines().isEmpty()) {
            HistoryFile.append(file, new byte[] {'\n'});
            return "ended the last line of " + file.getFileName() + ", which had no newline";
        }
        Path side = writeSideFile(file, contents, millis);
        DurableFiles.syncDirectory(file.getParent());
        if (contents.onlyTornTail()) {
            HistoryFile.truncate(file, contents.badLines().get(0).offset());
        } else {
            rewriteWithoutBadLines(file, contents);
        }
        return "moved " + describe(contents) + " of " + file.getFileName() + " to " + side.getFileName();
    }

    static String describe(HistoryFile.Contents contents) {
        StringBuilder text = new StringBuilder();
        for (HistoryFile.BadLine bad : contents.badLines()) {
            text.append(text.length() == 0 ? "" : ", ").append(bad.torn() ? "the torn last line " : "the unreadable line ")
                    .append(bad.number()).append(" (").append(bad.length()).append(" bytes: ").append(bad.problem()).append(')');
        }
        return text.toString();
    }

    private static Path writeSideFile(Path file, HistoryFile.Contents contents, long millis) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (HistoryFile.BadLine bad : contents.badLines()) {
            lines.write(contents.bytes(), bad.offset(), bad.length());
            lines.write('\n');
        }
        for (int attempt = 0; ; attempt++) {
            Path side = file.resolveSibling(file.getFileName() + SIDE_FILE_MARK + millis + (attempt == 0 ? "" : "-" + attempt));
            try {
                DurableFiles.write(side, lines.toByteArray(), StandardOpenOption.CREATE_NEW);
                return side;
            } catch (FileAlreadyExistsException taken) {
                // a repair in the same millisecond, or an earlier one cut short: pick the next name
            }
        }
    }

    private static void rewriteWithoutBadLines(Path file, HistoryFile.Contents contents) throws IOException {
        byte[] bytes = contents.bytes();
        ByteArrayOutputStream kept = new ByteArrayOutputStream(bytes.length);
        int start = 0;
        for (HistoryFile.BadLine bad : contents.badLines()) {
            kept.write(bytes, start, bad.offset() - start);
            start = Math.min(bytes.length, bad.offset() + bad.length() + 1);
        }
        kept.write(bytes, start, bytes.length - start);
        if (kept.size() > 0 && bytes[bytes.length - 1] != '\n' && !contents.badLines().get(contents.badLines().size() - 1).torn()) {
            kept.write('\n');
        }
        DurableFiles.replace(file, file.resolveSibling(file.getFileName() + REWRITE_SUFFIX), kept.toByteArray());
    }
}
