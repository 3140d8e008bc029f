package dev.neutron.store.jsonl;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.SessionPatch;
import dev.neutron.store.codec.ConversationTree;
import dev.neutron.store.codec.MessageCodec;
import dev.neutron.store.contract.BenchChats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
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
 * The JSONL store over {@link BenchChats} (10,000 sessions): a durable append, the session list, opening a chat of
 * 1,000 and 10,000 messages; each beside its physical floor on the same disk ({@code *Floor}: a write+fsync of the same
 * line, a plain read of the same file). Opening a chat again is served from the store's cache of chats opened last;
 * {@code *First} is what opening it the first time since the start costs (the file read and parsed); {@code rename}
 * renames one chat after another (a durable change of the session list, as a title, model or settings change). Run by
 * scripts/bench-storage, never by the tests.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class JsonlStoreBench {
    private Path data;
    private JsonlChatStore store;
    private Path floorFile;
    private byte[] line;
    private long appended;
    private long renamed;

    @Setup(Level.Trial)
    public void open() {
        data = JsonlBenchData.shared("jsonl-store");
        store = new JsonlChatStore(data, Clock.systemUTC());
        floorFile = data.resolve("floor.jsonl");
        line = (MessageCodec.write(BenchChats.answer("msg_floor")) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public ChatMessage append() {
        return store.appendMessage(BenchChats.APPEND_ID, BenchChats.answer("msg_bench_" + appended++));
    }

    /** What a durable append cannot beat: the same bytes appended to a file and fsync'd. */
    @Benchmark
    public long appendFloor() throws IOException {
        try (FileChannel channel = FileChannel.open(floorFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line));
            channel.force(true);
            return channel.size();
        }
    }

    @Benchmark
    public ChatSession rename() {
        long n = renamed++;
        return store.updateSession(BenchChats.sessionId((int) (n % BenchChats.SESSIONS)),
                new SessionPatch("Renamed " + n, null));
    }

    @Benchmark
    public List<ChatSession> list() {
        return store.listSessions();
    }

    @Benchmark
    public List<ChatMessage> open1k() {
        return store.messages(BenchChats.LONG_ID);
    }

    /** The first open since the start, before the chat is cached: what {@code messages} does then. */
    @Benchmark
    public List<ChatMessage> open1kFirst() throws IOException {
        return firstOpen(BenchChats.LONG_ID);
    }

    @Benchmark
    public List<ChatMessage> open10kFirst() throws IOException {
        return firstOpen(BenchChats.LONGER_ID);
    }

    private List<ChatMessage> firstOpen(String sessionId) throws IOException {
        return ConversationTree.activePath(HistoryFile.read(JsonlBenchData.history(data, sessionId)).messages(),
                store.findSession(sessionId).orElseThrow().activeLeafId());
    }

    @Benchmark
    public byte[] open1kFloor() throws IOException {
        return Files.readAllBytes(JsonlBenchData.history(data, BenchChats.LONG_ID));
    }

    @Benchmark
    public List<ChatMessage> open10k() {
        return store.messages(BenchChats.LONGER_ID);
    }

    @Benchmark
    public byte[] open10kFloor() throws IOException {
        return Files.readAllBytes(JsonlBenchData.history(data, BenchChats.LONGER_ID));
    }
}
