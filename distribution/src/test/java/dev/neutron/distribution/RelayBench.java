package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relay overhead against the physical limit: the same prompt, model and options through Neutron's SSE endpoint and
 * straight to the upstream's {@code /api/chat}, interleaved (the order alternates), timed from outside. Each Neutron
 * run is a new chat, so both send the same one-message conversation. Once against the real Ollama, and once against
 * the {@link FastScriptedOllama}, where no model time hides what Neutron adds. Run by {@code scripts/bench}.
 */
class RelayBench {
    static final String PROMPT = "Count from one to ten in words.";
    /**
     * Answers through Neutron (and straight to the upstream) before the measured runs. Neutron's JIT compiles for the
     * first hundred or so answers after a start, and its compiler's CPU slows a CPU-bound model on 2 cores.
     */
    private static int warmup() {
        return BenchFragment.smoke() ? 5 : 40;
    }

    @TempDir
    Path temp;

    @Test
    void againstTheRealOllama() throws Exception {
        int runs = BenchFragment.smoke() ? 5 : runs("NEUTRON_BENCH_RELAY_RUNS", 30);
        String model = NeutronServer.model();
        BenchFragment out = new BenchFragment("relay", "Relay overhead: Neutron's SSE vs the real Ollama's /api/chat ("
                + model + ", 16-token answers, " + runs + " interleaved runs each)");
        measure(NeutronServer.ollamaUrl(), model, runs, out);
    }

    @Test
    void againstAFastScriptedUpstream() throws Exception {
        int runs = BenchFragment.smoke() ? 20 : runs("NEUTRON_BENCH_RELAY_SCRIPTED_RUNS", 200);
        try (FastScriptedOllama upstream = new FastScriptedOllama()) {
            upstream.script(16, 0, TimeUnit.NANOSECONDS, 1);
            BenchFragment out = new BenchFragment("relay-scripted", "Relay overhead without model time: Neutron's SSE"
                    + " vs a fast scripted upstream's /api/chat (16 tokens written at once, " + runs
                    + " interleaved runs each)");
            measure(upstream.baseUrl(), FastScriptedOllama.MODEL, runs, out);
        }
    }

    private void measure(String upstreamUrl, String model, int runs, BenchFragment out) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("OLLAMA_HOST", upstreamUrl));
        // e.g. NEUTRON_BENCH_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" for perf
        String javaOpts = System.getenv().getOrDefault("NEUTRON_BENCH_JAVA_OPTS", "").strip();
        String jfr = System.getenv("NEUTRON_BENCH_JFR");
        if (jfr != null && !jfr.isBlank()) {
            javaOpts += " -XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true";
        }
        if (!javaOpts.isBlank()) {
            env.put("JAVA_OPTS", javaOpts.strip());
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        StreamTimer timer = new StreamTimer(http);
        Map<String, Object> options = Map.of("temperature", 0, "seed", 42, "num_predict", 16);
        Samples neutronFirst = new Samples();
        Samples neutronTotal = new Samples();
        Samples directFirst = new Samples();
        Samples directTotal = new Samples();
        Samples neutronGap = new Samples();
        Samples directGap = new Samples();
        Samples neutronTail = new Samples();
        Samples directTail = new Samples();
        Samples creates = new Samples();
        Samples beforeUpstream = new Samples();
        Samples afterUpstream = new Samples();
        boolean scripted = FastScriptedOllama.MODEL.equals(model);
        Files.createDirectories(temp.resolve("data"));
        try (NeutronServer neutron = new NeutronServer(temp.resolve("data"), env).start()) {
            JsonNode sent = null;
            for (int i = 0; i < warmup(); i++) {
                StreamTimer.Timing warmup = neutronRun(neutron, timer, model, options, i, new Samples());
                sent = warmup.last().path("message").path("stats").path("options");
            }
            // exactly what Neutron sent (num_ctx, num_predict and the chat's options), so Ollama keeps one loaded model
            Map<String, Object> direct = Map.of("model", model, "stream", true,
                    "messages", List.of(Map.of("role", "user", "content", PROMPT)), "options", sent);
            for (int i = 0; i < warmup(); i++) {
                timer.ollama(upstreamUrl, direct);
            }
            long reloads = 0;
            for (int i = 0; i < runs; i++) {
                boolean neutronFirstThisTime = i % 2 == 0;
                for (int leg = 0; leg < 2; leg++) {
                    if ((leg == 0) == neutronFirstThisTime) {
                        StreamTimer.Timing t = neutronRun(neutron, timer, model, options, warmup() + i, creates);
                        neutronFirst.add(t.firstTokenMs());
                        neutronTotal.add(t.totalMs());
                        neutronGap.add(t.medianGapMs());
                        neutronTail.add(t.lastTokenToEndMs());
                        if (scripted) {
                            long written = FastScriptedOllama.writtenAt(t.text());
                            beforeUpstream.add((written - t.sentNanos()) / 1e6);
                            afterUpstream.add((t.firstTokenNanos() - written) / 1e6);
                        }
                    } else {
                        StreamTimer.Timing t = timer.ollama(upstreamUrl, direct);
                        directFirst.add(t.firstTokenMs());
                        directTotal.add(t.totalMs());
                        directGap.add(t.medianGapMs());
                        directTail.add(t.lastTokenToEndMs());
                        if (t.last().path("load_duration").asLong() > 200_000_000L) {
                            reloads++;
                        }
                    }
                }
            }
            double addedFirst = neutronFirst.p50() - directFirst.p50();
            out.row("time to first token p50", "ms", neutronFirst.p50(), directFirst.p50(), "direct",
                    "p50 ratio <= 1.02", neutronFirst.p50() / directFirst.p50() <= 1.02);
            out.row("time to first token p95", "ms", neutronFirst.p95(), directFirst.p95(), "direct", null, null);
            out.row("added to the first token (p50 difference)", "ms", addedFirst, "< 2 ms", addedFirst < 2);
            out.row("total time p50", "ms", neutronTotal.p50(), directTotal.p50(), "direct", "p50 ratio <= 1.02",
                    neutronTotal.p50() / directTotal.p50() <= 1.02);
            out.row("total time p95", "ms", neutronTotal.p95(), directTotal.p95(), "direct", null, null);
            out.row("added to the whole answer (p50 difference)", "ms", neutronTotal.p50() - directTotal.p50(), null, null);
            out.row("time between two tokens (each run's median), p50", "ms", neutronGap.p50(), directGap.p50(),
                    "direct", null, null);
            out.row("from the last token to the end (done), p50", "ms", neutronTail.p50(), directTail.p50(), "direct",
                    null, null);
            if (scripted) {
                out.row("first token: from sending to the upstream writing it, p50", "ms", beforeUpstream.p50(), null,
                        null);
                out.row("first token: from the upstream writing it to the client reading it, p50", "ms",
                        afterUpstream.p50(), null, null);
            }
            out.row("creating the chat before each Neutron run (POST /sessions, not in the times above) p50", "ms",
                    creates.p50(), null, null);
            out.note("After " + warmup() + " answers each way to warm up. Options sent both ways: " + sent + "; prompt '"
                    + PROMPT + "'. Direct runs that loaded the model"
                    + " (load_duration > 200 ms): " + reloads + ".");
            out.write();
        }
    }

    private static int runs(String variable, int otherwise) {
        return Integer.parseInt(System.getenv().getOrDefault(variable, Integer.toString(otherwise)));
    }

    private static StreamTimer.Timing neutronRun(NeutronServer neutron, StreamTimer timer, String model,
            Map<String, Object> options, int n, Samples creates) throws Exception {
        long start = System.nanoTime();
        String session = neutron.json("POST", "/api/v1/chat/sessions",
                Map.of("title", "relay " + n, "model", model, "options", options), 201).get("id").asText();
        creates.add((System.nanoTime() - start) / 1e6);
        return timer.neutron(neutron.baseUrl(), session, PROMPT);
    }
}
