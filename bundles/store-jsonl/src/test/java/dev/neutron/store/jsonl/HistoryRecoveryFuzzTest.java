package dev.neutron.store.jsonl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.store.codec.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing of the recovery of damaged history files. The input is a file's lines; a line starting with
 * byte 0x02 becomes a whole message line (its text the rest of the line), any other line is written as it is: damage.
 * After reading and repairing: no message a reader found is lost, every whole message line is among them in order, the
 * file reads clean, and each bad line is kept byte for byte in the side file. Regression inputs:
 * {@code HistoryRecoveryFuzzTestInputs/}.
 */
class HistoryRecoveryFuzzTest {
    /** In memory where there is a tmpfs: the fsyncs of every run cost nothing there, so the fuzzer runs far more inputs. */
    private static final Path SCRATCH = Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));
    private static final byte MESSAGE_MARK = 2;

    @FuzzTest
    void repairKeepsEveryReadableLineAndSetsAsideTheRest(byte[] input) throws IOException {
        Path dir = Files.createTempDirectory(SCRATCH, "history-fuzz");
        try {
            List<ChatMessage> written = new ArrayList<>();
            Path file = dir.resolve("chat_0123456789abcdef.jsonl");
            Files.write(file, damagedFile(input, written));

            HistoryFile.Contents before = HistoryFile.read(file);
            assertTrue(isSubsequence(written, before.messages()), "a whole message line was not read");
            if (!before.clean()) {
                HistoryRepair.repair(file, before, 1_700_000_000_000L);
            }
            HistoryFile.Contents after = HistoryFile.read(file);

            assertEquals(before.messages(), after.messages(), "the repair changed the messages");
            assertTrue(after.clean(), "still damaged after the repair: " + after.badLines());
            assertArrayEquals(badLineBytes(before), sideFileBytes(dir), "the side file does not hold the bad lines");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static byte[] damagedFile(byte[] input, List<ChatMessage> written) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        int start = 0;
        while (start <= input.length) {
            int end = start;
            while (end < input.length && input[end] != '\n') {
                end++;
            }
            boolean last = end >= input.length;
            if (end > start && input[start] == MESSAGE_MARK) {
                String text = new String(input, start + 1, end - start - 1, StandardCharsets.UTF_8);
                ChatMessage message = new ChatMessage("msg_" + written.size(), MessageRole.user, text, "m",
                        Instant.ofEpochSecond(1_700_000_000L + written.size()), MessageStatus.complete, List.of(), null, null);
                written.add(message);
                file.write(MessageCodec.write(message).getBytes(StandardCharsets.UTF_8));
            } else {
                file.write(input, start, end - start);
            }
            if (!last) {
                file.write('\n');
            }
            start = end + 1;
        }
        return file.toByteArray();
    }

    private static byte[] badLineBytes(HistoryFile.Contents contents) {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (HistoryFile.BadLine bad : contents.badLines()) {
            lines.write(contents.bytes(), bad.offset(), bad.length());
            lines.write('\n');
        }
        return lines.toByteArray();
    }

    private static byte[] sideFileBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> side = files.filter(p -> p.getFileName().toString().contains(HistoryRepair.SIDE_FILE_MARK)).toList();
            assertTrue(side.size() <= 1, "more than one side file: " + side);
            return side.isEmpty() ? new byte[0] : Files.readAllBytes(side.get(0));
        }
    }

    private static boolean isSubsequence(List<ChatMessage> wanted, List<ChatMessage> in) {
        Iterator<ChatMessage> found = in.iterator();
        outer:
        for (ChatMessage message : wanted) {
            while (found.hasNext()) {
                if (found.next().equals(message)) {
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }
}
