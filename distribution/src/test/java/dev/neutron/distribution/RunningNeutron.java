package dev.neutron.distribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code bin/neutron} child process of the assembled distribution. Only this process is ever stopped: by SIGTERM
 * ({@link Process#destroy()}), then forcibly if it does not exit.
 */
final class RunningNeutron implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Neutron listening on (http://\\S+)");
    /** Nothing listens on the discard port: the Ollama provider fails fast instead of reaching a real Ollama. */
    static final String UNREACHABLE_OLLAMA = "http://127.0.0.1:9";

    final Process process;
    final URI baseUri;
    final Duration startToHealthy;
    private final Path stdoutLog;
    private final Path stderrLog;

    private RunningNeutron(Process process, URI baseUri, Duration startToHealthy, Path stdoutLog, Path stderrLog) {
        this.process = process;
        this.baseUri = baseUri;
        this.startToHealthy = startToHealthy;
        this.stdoutLog = stdoutLog;
        this.stderrLog = stderrLog;
    }

    /**
     * Starts {@code bin/neutron} on a free port, waits for the "Neutron listening on" line, then polls
     * {@code GET /api/v1/health} until it answers 200. Gives up (and kills the process) at {@code deadline}.
     */
    static RunningNeutron start(Path distribution, Path dataDir, Path logDir, HttpClient http, Duration deadline)
            throws IOException, InterruptedException {
        return start(distribution, dataDir, logDir, http, deadline, Map.of());
    }

    /** As {@link #start(Path, Path, Path, HttpClient, Duration)}, with extra environment (e.g. a real OLLAMA_HOST). */
    static RunningNeutron start(Path distribution, Path dataDir, Path logDir, HttpClient http, Duration deadline,
            Map<String, String> environment) throws IOException, InterruptedException {
        Path launcher = distribution.resolve("bin/neutron");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(launcher + " is missing or not executable: build the distribution first");
        }
        Files.createDirectories(logDir);
        String run = "run-" + System.nanoTime();
        Path stdoutLog = logDir.resolve(run + ".stdout.log");
        Path stderrLog = logDir.resolve(run + ".stderr.log");

        ProcessBuilder builder = new ProcessBuilder(launcher.toString())
                .directory(dataDir.getParent().toFile())
                .redirectError(stderrLog.toFile());
        Map<String, String> env = builder.environment();
        env.put("NEUTRON_HOST", "127.0.0.1");
        env.put("NEUTRON_PORT", "0");
        env.put("NEUTRON_DATA_DIR", dataDir.toString());
        env.put("OLLAMA_HOST", UNREACHABLE_OLLAMA);
        env.remove("JAVA_OPTS");
        env.putAll(environment);

        long started = System.nanoTime();
        Process process = builder.start();
        CompletableFuture<URI> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> pumpStdout(process, stdoutLog, listening), "neutron-stdout");
        pump.setDaemon(true);
        pump.start();

        long deadlineNanos = started + deadline.toNanos();
        try {
            URI base = listening.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            URI health = base.resolve("api/v1/health");
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Neutron exited with " + process.exitValue() + " before it was healthy; "
                            + "see " + stderrLog);
                }
                if (status(http, health, environment.get("NEUTRON_API_TOKEN")) == 200) {
                    Duration startToHealthy = Duration.ofNanos(System.nanoTime() - started);
                    return new RunningNeutron(process, base, startToHealthy, stdoutLog, stderrLog);
                }
                if (System.nanoTime() > deadlineNanos) {
                    throw new IllegalStateException("Neutron was not healthy within " + deadline + "; see " + stderrLog);
                }
                Thread.sleep(20);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            kill(process);
            throw new IllegalStateException("Neutron did not start: " + e + "; stderr:\n" + tail(stderrLog), e);
        }
    }

    /** @param token the access token the server was started with (health needs it too), or null */
    private static int status(HttpClient http, URI uri, String token) throws InterruptedException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
            return -1;
        }
    }

    private static void pumpStdout(Process process, Path log, CompletableFuture<URI> listening) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    String url = matcher.group(1);
                    listening.complete(URI.create(url.endsWith("/") ? url : url + "/"));
                }
            }
            listening.completeExceptionally(new IllegalStateException("stdout closed without a 'Neutron listening on' line"));
        } catch (IOException e) {
            listening.completeExceptionally(new UncheckedIOException(e));
        }
    }

    /** SIGTERM, as a service manager would; returns whether the process exited within {@code timeout}. */
    boolean terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL, as a crash or the OOM killer: no shutdown hook runs. Waits until the process is gone. */
    void kill() {
        kill(process);
    }

    String stderr() {
        return tail(stderrLog);
    }

    String stdout() {
        return tail(stdoutLog);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() && !terminate(Duration.ofSeconds(10))) {
            kill(process);
        }
    }

    private static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "(no output)";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
