package dev.neutron.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a running Neutron JVM holds, read from outside as an operator would: open file descriptors and threads from
 * {@code /proc/<pid>}, resident size from {@code /proc/<pid>/status}, and the Java heap in use after a full GC through
 * {@code jcmd} (of the JDK running the tests).
 */
final class ProcessGauges {
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    record Reading(int fds, int threads, long rssKb, long heapKb) {
        @Override
        public String toString() {
            return fds + " fds, " + threads + " threads, RSS " + rssKb / 1024 + " MiB, heap after GC " + heapKb / 1024 + " MiB";
        }
    }

    private final long pid;

    ProcessGauges(long pid) {
        this.pid = pid;
    }

    int fds() throws IOException {
        try (Stream<Path> fds = Files.list(proc("fd"))) {
            return (int) fds.count();
        }
    }

    int threads() throws IOException {
        try (Stream<Path> tasks = Files.list(proc("task"))) {
            return (int) tasks.count();
        }
    }

    long rssKb() throws IOException {
        Matcher matcher = RSS.matcher(Files.readString(proc("status")));
        if (!matcher.find()) {
            throw new IOException("no VmRSS in /proc/" + pid + "/status");
        }
        return Long.parseLong(matcher.group(1));
    }

    /** Heap in use (young and old generations) right after a full GC that {@code jcmd GC.run} asked for. */
    long heapAfterGcKb() throws IOException, InterruptedException {
        jcmd("GC.run");
        long used = 0;
        for (String line : jcmd("GC.heap_info").lines().toList()) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher matcher = USED.matcher(line);
            if (matcher.find() && (line.contains("generation") || line.contains("heap"))) {
                used += Long.parseLong(matcher.group(1));
            }
        }
        return used;
    }

    Reading read() throws IOException, InterruptedException {
        long heap = heapAfterGcKb();
        return new Reading(fds(), threads(), rssKb(), heap);
    }

    /**
     * Polls until the process holds at most {@code fds} descriptors and {@code threads} threads (connections and
     * readers wind down after an answer ends), or {@code timeoutSeconds} pass; returns the last reading.
     */
    Reading settleTo(int fds, int threads, int timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline && (fds() > fds || threads() > threads)) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return read();
    }

    private Path proc(String entry) {
        return Path.of("/proc", Long.toString(pid), entry);
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + output);
        }
        return output;
    }
}
