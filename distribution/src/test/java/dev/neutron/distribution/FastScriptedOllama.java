package dev.neutron.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fast scripted fake of Ollama's API for benchmarks only: it lists one model and answers every {@code /api/chat}
 * with a scripted stream of tokens, as fast as it can or at a set interval, so that what is measured is Neutron's
 * relay and not a model. Each token's text is the {@link System#nanoTime()} at which it was written (this fake runs
 * in the benchmark's JVM), so a client in the same JVM reads each token's latency through Neutron off the token.
 * A gate can hold every answer until a number of them are open, so that they stream concurrently; when no answer came
 * for 15 s the ones that came go ahead (a request that failed never comes, and must not stall the run).
 */
final class FastScriptedOllama implements AutoCloseable {
    static final String MODEL = "scripted-fast:1b";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private volatile int tokens = 16;
    private volatile long intervalNanos;
    private static final long GATE_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile long lastArrivalNanos;
    private final AtomicInteger shortOfGate = new AtomicInteger();

    FastScriptedOllama() throws IOException {
        server = ScriptedOllamaBasics.loopbackServer(0, 4096, threads);
        ScriptedOllamaBasics.serveModel(server, MODEL, List.of("completion"));
        server.createContext("/api/chat", this::chat);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * From now on every answer has {@code tokenCount} tokens written {@code interval} apart (0: flat out), and waits
     * until {@code streams} answers are open before its first token.
     */
    void script(int tokenCount, long interval, TimeUnit unit, int streams) {
        this.tokens = tokenCount;
        this.intervalNanos = unit.toNanos(interval);
        this.gate = new CountDownLatch(streams);
        mostOpen.set(0);
        shortOfGate.set(0);
    }

    /** The {@link System#nanoTime} at which this upstream wrote the first token of {@code answer}, in this JVM. */
    static long writtenAt(String answer) {
        return Long.parseLong(answer.substring(0, answer.indexOf(' ')));
    }

    /** How many answers never came to the gate since the last {@link #script} (they failed on their way); 0 if all came. */
    int shortOfGate() {
        return shortOfGate.get();
    }

    /** The most answers open at once since the last {@link #script}. */
    int mostOpen() {
        return mostOpen.get();
    }

    private void chat(HttpExchange exchange) throws IOException {
        int now = open.incrementAndGet();
        mostOpen.accumulateAndGet(now, Math::max);
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            CountDownLatch waitFor = gate;
            lastArrivalNanos = System.nanoTime();
            waitFor.countDown();
            // a request that failed on its way never comes: after a quiet spell the answers that did come go ahead
            while (!waitFor.await(1, TimeUnit.SECONDS)) {
                if (System.nanoTime() - lastArrivalNanos > GATE_PATIENCE_NANOS) {
                    shortOfGate.accumulateAndGet((int) waitFor.getCount(), Math::max);
                    while (waitFor.getCount() > 0) {
                        waitFor.countDown();
                    }
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            int count = tokens;
            long interval = intervalNanos;
            for (int i = 0; i < count; i++) {
                if (interval > 0) {
                    LockSupport.parkNanos(interval);
                }
                out.write(line("\"content\":\"" + System.nanoTime() + " \"", false, 0));
                out.flush();
            }
            out.write(line("\"content\":\"\"", true, count));
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.decrementAndGet();
        }
    }

    private static byte[] line(String message, boolean done, int evalCount) {
        return ScriptedOllamaBasics.chatLine(MODEL, message, done, evalCount).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
