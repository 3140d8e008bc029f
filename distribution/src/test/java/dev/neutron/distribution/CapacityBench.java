package dev.neutron.distribution;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relay capacity with the {@link FastScriptedOllama}: tokens per second through one stream (written flat out), then
 * 100, 500 and 2,000 answers streaming at once at 20 tokens/s each, as a local model writes. Reports the per-token
 * latency from the upstream to the client (through Neutron and straight), Neutron's CPU and RSS, and errors. The
 * generation limits are raised for this run only ({@code deploy/dev.neutron.chat.cfg} of a private copy). The
 * footprint part ({@code footprint.json}) gets the RSS after this run. Run by {@code scripts/bench}.
 */
class CapacityBench {
    private static final int ANSWER_TOKENS = 40;
    private static final long TOKEN_INTERVAL_MS = 50;
    /**
     * What README advises for bursts of thousands of sends: a listen backlog that holds them (Jetty's is 50; the
     * kernel drops what overflows it), and, since each question is stored before its answer streams, one at a time,
     * an idle timeout longer than the last of them waits.
     */
    static final String BURST_JAVA_OPTS = "-Dorg.apache.felix.http.jetty.acceptQueueSize=4096"
            + " -Dorg.apache.felix.http.timeout=600000";

    @TempDir
    Path temp;

    @Test
    void capacity() throws Exception {
        boolean smoke = BenchFragment.smoke();
        int[] levels = levels(smoke ? "20,50" : "100,500,2000");
        int most = levels[levels.length - 1];
        int singleTokens = smoke ? 2_000 : 20_000;
        Path distribution = NeutronServer.privateCopyOfTheDistribution(temp);
        Files.writeString(distribution.resolve("deploy/dev.neutron.chat.cfg"), "titles=off\nmaxConcurrentGenerations=" + (most + 100)
                + "\nmaxQueuedGenerations=" + (most + 100) + "\n");
        BenchFragment out = new BenchFragment("capacity", "Relay capacity with a fast scripted upstream (no model):"
                + " one stream flat out, then " + levels.length + " levels of concurrent streams of " + ANSWER_TOKENS
                + " tokens at " + (1000 / TOKEN_INTERVAL_MS) + " tokens/s each");
        Files.createDirectories(temp.resolve("data"));
        try (FastScriptedOllama upstream = new FastScriptedOllama();
                NeutronServer neutron = new NeutronServer(distribution, temp.resolve("data"),
                        Map.of("OLLAMA_HOST", upstream.baseUrl(), "JAVA_OPTS", javaOpts())).start()) {
            awaitLog(neutron, "Generating at most " + String.format("%,d", most + 100));
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < most; i++) {
                sessions.add(neutron.json("POST", "/api/v1/chat/sessions", Map.of("title", "load " + i, "model",
                        FastScriptedOllama.MODEL), 201).get("id").asText());
            }

            for (int round = 0; round < warmupRounds(); round++) {
                upstream.script(singleTokens, 0, TimeUnit.MILLISECONDS, 1);
                SseLoad.await(new SseLoad(client()).throughNeutron(neutron.baseUrl(),
                        sessions.subList(sessions.size() - 1, sessions.size()), "warm up"));
            }
            upstream.script(singleTokens, 0, TimeUnit.MILLISECONDS, 1);
            double singleCpuBefore = ProcessFootprint.cpuMillis(neutron.process());
            double neutronRate = tokensPerSecond(() -> new SseLoad(client()).throughNeutron(neutron.baseUrl(),
                    sessions.subList(0, 1), "flat out"), singleTokens);
            double cpuPerToken = (ProcessFootprint.cpuMillis(neutron.process()) - singleCpuBefore) * 1000 / singleTokens;
            double directRate = tokensPerSecond(() -> new SseLoad(client()).direct(upstream.baseUrl(), 1,
                    FastScriptedOllama.MODEL), singleTokens);
            out.row("one stream, tokens written flat out", "tokens/s", neutronRate, directRate, "direct", null, null);
            out.row("one stream, tokens written flat out: Neutron CPU per token", "µs", cpuPerToken, null, null);

            for (int streams : levels) {
                upstream.script(ANSWER_TOKENS, TOKEN_INTERVAL_MS, TimeUnit.MILLISECONDS, streams);
                SseLoad through = new SseLoad(client());
                double cpuBefore = ProcessFootprint.cpuMillis(neutron.process());
                long started = System.nanoTime();
                AtomicReference<Double> peakRss = new AtomicReference<>(0.0);
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                sampler.scheduleAtFixedRate(() -> {
                    try {
                        peakRss.accumulateAndGet(ProcessFootprint.rssMib(neutron.process()), Math::max);
                    } catch (Exception e) {
                        // the process ended; the run fails below
                    }
                }, 0, 200, TimeUnit.MILLISECONDS);
                SseLoad.await(through.throughNeutron(neutron.baseUrl(), sessions.subList(0, streams), "go"));
                sampler.shutdownNow();
                double seconds = (System.nanoTime() - started) / 1e9;
                double cores = (ProcessFootprint.cpuMillis(neutron.process()) - cpuBefore) / 1000 / seconds;
                int concurrent = upstream.mostOpen();
                int neverCame = upstream.shortOfGate();

                upstream.script(ANSWER_TOKENS, TOKEN_INTERVAL_MS, TimeUnit.MILLISECONDS, streams);
                SseLoad direct = new SseLoad(client());
                SseLoad.await(direct.direct(upstream.baseUrl(), streams, FastScriptedOllama.MODEL));

                int expected = streams * ANSWER_TOKENS;
                String label = String.format("%,d streams", streams);
                out.row(label + ": per-token latency p50", "ms", through.tokenLatencyMs.p50(),
                        direct.tokenLatencyMs.p50(), "direct", null, null);
                double addedP99 = through.tokenLatencyMs.p99() - direct.tokenLatencyMs.p99();
                out.row(label + ": per-token latency p99", "ms", through.tokenLatencyMs.p99(),
                        direct.tokenLatencyMs.p99(), "direct", null, null);
                out.row(label + ": added per-token latency p99", "ms", addedP99, streams >= 2000 ? "< 1 ms" : null,
                        streams >= 2000 ? addedP99 < 1 : null);
                out.row(label + ": errors", "count", through.errors.get() + (expected - through.tokens.get() > 0 ? 1 : 0),
                        "0", through.errors.get() == 0 && through.tokens.get() == expected);
                out.row(label + ": Neutron CPU", "cores", cores, null, null);
                out.row(label + ": Neutron peak RSS", "MiB", peakRss.get(), streams >= 2000 ? "< 300 MiB" : null,
                        streams >= 2000 ? peakRss.get() < 300 : null);
                out.note(label + ": " + through.tokens.get() + " of " + expected + " tokens arrived, " + concurrent
                        + " answers open at the upstream at once" + (neverCame > 0 ? " (" + neverCame
                        + " never reached it)" : "") + ", " + ProcessFootprint.threads(neutron.process())
                        + " threads in Neutron after the run" + (through.errorSamples.isEmpty() ? ""
                        : "; errors such as " + through.errorSamples));
            }
            double rssAfter = ProcessFootprint.rssMib(neutron.process());
            out.row("RSS after the capacity run", "MiB", rssAfter, null, null);
            out.note("The client, the scripted upstream and Neutron share the machine's cores; the direct baseline"
                    + " runs the same client against the same upstream without Neutron. Neutron runs with titles off,"
                    + " the generation limits above the streams, and JAVA_OPTS=" + javaOpts() + "; "
                    + warmupRounds() + " flat-out answers warmed the relay up before the one measured.");
            out.write();
        }
    }

    /** {@link #BURST_JAVA_OPTS} and NEUTRON_BENCH_JAVA_OPTS (e.g. {@code -XX:NativeMemoryTracking=summary}) after them. */
    private static String javaOpts() {
        String extra = System.getenv("NEUTRON_BENCH_JAVA_OPTS");
        return extra == null || extra.isBlank() ? BURST_JAVA_OPTS : BURST_JAVA_OPTS + " " + extra.strip();
    }

    /**
     * Flat-out answers streamed before the one measured: NEUTRON_BENCH_WARMUP_ROUNDS, else none (the measured one is
     * then the first traffic after start, while the JIT still compiles the relay).
     */
    private static int warmupRounds() {
        String rounds = System.getenv("NEUTRON_BENCH_WARMUP_ROUNDS");
        return rounds == null || rounds.isBlank() ? 0 : Integer.parseInt(rounds.strip());
    }

    /** The numbers of concurrent streams: NEUTRON_BENCH_CAPACITY_LEVELS (e.g. {@code 500,2000}), else {@code otherwise}. */
    private static int[] levels(String otherwise) {
        String levels = System.getenv("NEUTRON_BENCH_CAPACITY_LEVELS");
        return java.util.Arrays.stream((levels == null || levels.isBlank() ? otherwise : levels).split(","))
                .map(String::strip).mapToInt(Integer::parseInt).toArray();
    }

    /** A client of its own for each load: no connection left over from the load before (the server may close it). */
    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(CLIENT_THREADS).build();
    }

    private static final java.util.concurrent.ExecutorService CLIENT_THREADS = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "capacity-bench-client");
        thread.setDaemon(true);
        return thread;
    });

    private interface Load {
        java.util.concurrent.CompletableFuture<Void> start() throws Exception;
    }

    private static double tokensPerSecond(Load load, int tokens) throws Exception {
        long started = System.nanoTime();
        SseLoad.await(load.start());
        return tokens / ((System.nanoTime() - started) / 1e9);
    }

    private static void awaitLog(NeutronServer neutron, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!neutron.log().contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Neutron never logged '" + line + "':\n" + neutron.log());
            }
            Thread.sleep(50);
        }
    }
}
