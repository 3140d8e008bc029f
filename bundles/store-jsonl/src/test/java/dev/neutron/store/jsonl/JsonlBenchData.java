package dev.neutron.store.jsonl;

import dev.neutron.api.ChatMessage;
import dev.neutron.store.codec.MessageCodec;
import dev.neutron.store.codec.SessionListCodec;
import dev.neutron.store.contract.BenchChats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** {@link BenchChats} on disk as the JSONL store of every version so far writes them: sessions.json and histories. */
final class JsonlBenchData {
    private JsonlBenchData() {
    }

    /**
     * The data directory {@code name} under {@code bench.dir} holding the benchmark chats, written by the first caller
     * (the forks of one run share it; scripts/bench-storage removes it afterwards).
     */
    static Path shared(String name) {
        try {
            Path data = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))).resolve(name);
            Path complete = data.resolve("complete");
            if (!Files.exists(complete)) {
                if (Files.exists(data)) {
                    delete(data);
                }
                write(data);
                Files.createFile(complete);
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path data) throws IOException {
        Path chats = Files.createDirectories(data.resolve("chats"));
        Files.write(chats.resolve("sessions.json"), SessionListCodec.write(BenchChats.sessions()));
        for (int n = 0; n < BenchChats.SESSIONS + 2; n++) {
            StringBuilder lines = new StringBuilder();
            for (ChatMessage message : BenchChats.messages(n)) {
                lines.append(MessageCodec.write(message)).append('\n');
            }
            Files.writeString(history(data, BenchChats.sessionId(n)), lines, StandardCharsets.UTF_8);
        }
    }

    static Path history(Path data, String sessionId) {
        return data.resolve("chats").resolve(sessionId + ".jsonl");
    }

    static void delete(Path data) {
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
