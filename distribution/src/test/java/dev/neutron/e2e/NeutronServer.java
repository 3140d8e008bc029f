package dev.neutron.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The assembled distribution ({@code target/neutron/bin/neutron}) as a child process on a free port with its own
 * data directory. Readiness is polled on {@code /api/v1/health}; stopping sends SIGTERM to this process only.
 */
final class NeutronServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("Neutron listening on (http://\\S+?)/?$");

    private final Path dataDir;
    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private Process process;
    private String baseUrl;
    private long startToHealthyMillis;

    NeutronServer(Path dataDir, Map<String, String> environment) {
        this.dataDir = dataDir;
        this.environment = environment;
    }

    static Path distribution() {
        Path home = Path.of(System.getProperty("neutron.distribution", "target/neutron")).toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/neutron"))) {
            throw new IllegalStateException("No assembled distribution at " + home + "; run `mvn package` first");
        }
        return home;
    }

    /** The Ollama base URL the test environment provides (scripts/test-ollama); fails the test when missing. */
    static String ollamaUrl() {
        String url = System.getenv("OLLAMA_TEST_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("OLLAMA_TEST_URL is not set. Run the tests with scripts/test, which starts "
                    + "a real Ollama with the test models (or run `eval \"$(scripts/test-ollama env)\"` first).");
        }
        return url;
    }

    static String model() {
        return System.getenv().getOrDefault("OLLAMA_TEST_MODEL", "smollm2:135m");
    }

    static String secondModel() {
        return System.getenv().getOrDefault("OLLAMA_TEST_MODEL_2", "smollm2-pirate:135m");
    }

    NeutronServer start() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(distribution().resolve("bin/neutron").toString())
                .directory(dataDir.getParent().toFile())
                .redirectErrorStream(true);
        builder.environment().put("NEUTRON_PORT", "0");
        builder.environment().put("NEUTRON_HOST", "127.0.0.1");
        builder.environment().put("NEUTRON_DATA_DIR", dataDir.toString());
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        process = builder.start();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line.strip());
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            url.completeExceptionally(new IllegalStateException("Neutron exited before listening:\n" + log()));
        }, "neutron-output");
        reader.setDaemon(true);
        reader.start();
        baseUrl = url.get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("Neutron did not become healthy:\n" + log());
            }
            Thread.onSpinWait();
            TimeUnit.MILLISECONDS.sleep(25);
        }
        startToHealthyMillis = (System.nanoTime() - started) / 1_000_000;
        return this;
    }

    long startToHealthyMillis() {
        return startToHealthyMillis;
    }

    String baseUrl() {
        return baseUrl;
    }

    String log() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** SIGTERM, then wait; returns the exit code. */
    int stop() throws InterruptedException {
        if (process == null) {
            return -1;
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("Neutron did not stop within 15 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    HttpResponse<String> send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String method, String path, Object body, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, body);
        if (response.statusCode() != expectedStatus) {
            throw new AssertionError(method + " " + path + " expected " + expectedStatus + " but got "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    String createSession(String title) throws IOException, InterruptedException {
        return json("POST", "/api/v1/chat/sessions", Map.of("title", title), 201).get("id").asText();
    }

    SseClient sse() {
        return new SseClient(http, baseUrl);
    }
}
