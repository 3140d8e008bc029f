package dev.neutron.store.jsonl;

import dev.neutron.store.contract.BenchChats;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSONL store's start (what its activation does) over {@link BenchChats}' 10,000 sessions, five times in one JVM
 * as at Neutron's start; beside reading every byte of the same files. Run by scripts/bench-storage.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 5)
@Fork(1)
public class JsonlStartBench {
    private Path data;

    @Setup(Level.Trial)
    public void create() {
        data = JsonlBenchData.shared("jsonl-start");
    }

    @Benchmark
    public JsonlChatStore start() {
        return new JsonlChatStore(data, Clock.systemUTC());
    }

    /** What a start that reads every file cannot beat: their bytes read, nothing parsed. */
    @Benchmark
    public long startFloor() throws IOException {
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(data.resolve("chats"))) {
            for (Path file : files) {
                bytes += Files.readAllBytes(file).length;
            }
        }
        return bytes;
    }
}
