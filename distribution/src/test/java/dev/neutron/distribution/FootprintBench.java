package dev.neutron.distribution;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up and footprint of the assembled distribution: {@code bin/neutron} to the first 200 of
 * {@code /api/v1/health} (median of 5 starts, against the 3 s goal), the idle RSS once healthy, and the size of
 * {@code bundle/}. The RSS after the capacity run is in the capacity part. Run by {@code scripts/bench}.
 */
class FootprintBench {
    private static final long START_GOAL_MS = 3_000;

    @TempDir
    Path temp;

    @Test
    void footprint() throws Exception {
        int starts = BenchFragment.smoke() ? 2 : 5;
        HttpClient http = HttpClient.newHttpClient();
        Samples startMs = new Samples();
        Samples idleRss = new Samples();
        for (int i = 0; i < starts; i++) {
            Path data = temp.resolve("run" + i).resolve("data");
            Files.createDirectories(data);
            try (RunningNeutron neutron = RunningNeutron.start(NeutronServer.distribution(), data,
                    data.resolveSibling("logs"), http, Duration.ofMinutes(2))) {
                startMs.add(neutron.startToHealthy.toNanos() / 1e6);
                Thread.sleep(2_000); // idle: what it holds once started, not while starting
                idleRss.add(ProcessFootprint.rssMib(neutron.process));
            }
        }
        double bundleMib = size(NeutronServer.distribution().resolve("bundle")) / (1024.0 * 1024.0);
        BenchFragment out = new BenchFragment("footprint", "Start-up and footprint of the distribution");
        out.row("start to healthy (median of " + starts + ")", "ms", startMs.p50(), (double) START_GOAL_MS, "goal",
                "<= 3000 ms", startMs.p50() <= START_GOAL_MS);
        out.row("idle RSS once healthy (median)", "MiB", idleRss.p50(), null, null);
        out.row("size of bundle/", "MiB", bundleMib, null, null);
        out.note("Starts without a reachable Ollama (the provider fails fast), a fresh data directory each time.");
        out.write();
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
