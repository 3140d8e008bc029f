package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A {@link RunningNeutron} wired to a real Ollama, with JSON and SSE helpers for the chat tests. The Ollama comes
 * from the test environment ({@code scripts/test-ollama}, through {@code OLLAMA_TEST_URL}) unless a test brings its
 * own.
 */
final class NeutronServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);

    private final Path distribution;
    private final Path dataDir;
    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RunningNeutron running;
    private String baseUrl;

    NeutronServer(Path dataDir, Map<String, String> environment) {
        this(distribution(), dataDir, environment);
    }

    /** A server run from another copy of the distribution, e.g. a private one whose deploy/ a test changes. */
    NeutronServer(Path distribution, Path dataDir, Map<String, String> environment) {
        this.distribution = distribution;
        this.dataDir = dataDir;
        this.environment = environment;
    }

    static Path distribution() {
        return Path.of(System.getProperty("neutron.distribution", "target/neutron")).toAbsolutePath();
    }

    /** target/neutron copied into {@code into}/neutron, with an empty deploy/ (bar its README), for a test that changes it. */
    static Path privateCopyOfTheDistribution(Path into) throws IOException {
        Path source = distribution();
        Path copy = into.resolve("neutron");
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(source)) {
            paths = walk.toList();
        }
        for (Path path : paths) {
            Path relative = source.relativize(path);
            boolean inDeploy = relative.getNameCount() > 1 && relative.getName(0).toString().equals("deploy");
            if (inDeploy && !relative.getFileName().toString().equals("README.txt")) {
                continue;
            }
            if (Files.isDirectory(path)) {
                Files.createDirectories(copy.resolve(relative.toString()));
            } else {
                Files.copy(path, copy.resolve(relative.toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return copy;
    }

    /** A jar the distribution build put in target/extra-bundles (bundles not shipped in bundle/, for hot-deploy tests). */
    static Path extraBundle(String jar) {
        Path path = Path.of(System.getProperty("neutron.extraBundles", "target/extra-bundles")).resolve(jar).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: build with `mvn -pl distribution -am package` "
                    + "(the distribution pom copies the provider there)");
        }
        return path;
    }

    /** Writes {@code content} beside {@code deploy} and moves it in, so that FileInstall never sees a half-written file. */
    static void dropIn(Path deploy, String name, byte[] content) throws IOException {
        Path staged = deploy.resolveSibling(name + ".staged");
        Files.write(staged, content);
        Files.move(staged, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The Ollama base URL the test environment provides; fails the test when missing. */
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
        running = RunningNeutron.start(distribution, dataDir, dataDir.resolveSibling("logs"), http, START_DEADLINE,
                environment);
        String base = running.baseUri.toString();
        baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return this;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The running {@code bin/neutron} process (for its footprint). */
    Process process() {
        return running.process;
    }

    /** The last lines Neutron wrote to stdout and stderr. */
    String log() {
        return running.stdout() + System.lineSeparator() + running.stderr();
    }

    /** From starting {@code bin/neutron} to the first 200 of {@code /api/v1/health}. */
    Duration startToHealthy() {
        return running.startToHealthy;
    }

    /** SIGTERM, then wait; returns the exit code. */
    int stop() throws InterruptedException {
        if (!running.terminate(Duration.ofSeconds(60))) {
            running.close();
            throw new IllegalStateException("Neutron did not stop within 15 s of SIGTERM");
        }
        return running.process.exitValue();
    }

    /** SIGKILL: no shutdown hook, nothing flushed; the data directory is left as a crash leaves it. */
    void kill() {
        running.kill();
    }

    /** The JVM's process id ({@code bin/neutron} execs java). */
    long pid() {
        return running.process.pid();
    }

    String stderr() {
        return running.stderr();
    }

    @Override
    public void close() throws InterruptedException {
        if (running != null) {
            running.close();
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

    /** A request with a body of the given type as it is, e.g. NDJSON or multipart. */
    HttpResponse<String> sendRaw(String method, String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String method, String path, Object body, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, body);
        if (response.statusCode() != expectedStatus) {
            throw new AssertionError(method + " " + path + " expected " + expectedStatus + " but got "
                    + response.statusCode() + ": " + response.body() + "\nNeutron's log:\n" + running.stderr());
        }
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    /** {@code POST …/upload} of one file as multipart field {@code file}. */
    HttpResponse<String> upload(String sessionId, String fileName, byte[] content) throws IOException, InterruptedException {
        String boundary = "neutron-test-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/chat/sessions/" + sessionId + "/upload"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET path} as bytes. */
    HttpResponse<byte[]> bytes(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    String createSession(String title) throws IOException, InterruptedException {
        return json("POST", "/api/v1/chat/sessions", Map.of("title", title), 201).get("id").asText();
    }

    /** Polls until the session has no answer in flight (3 minutes at most); returns its body (session and messages). */
    JsonNode awaitIdle(String sessionId) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
        while (true) {
            JsonNode body = json("GET", "/api/v1/chat/sessions/" + sessionId, null, 200);
            if (!body.get("session").get("generating").asBoolean()) {
                return body;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("answer still generating after 3 minutes: " + body);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits until the session's answer in flight has streamed {@code tokens} tokens (reading its events from the
     * start through {@code GET …/stream}); fails when none is in flight within 60 s.
     */
    void awaitTokens(String sessionId, int tokens) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            SseClient.Stream probe = sse().get("/api/v1/chat/sessions/" + sessionId + "/stream", 0L,
                    events -> events.stream().filter(e -> "token".equals(e.type())).count() >= tokens);
            if (probe.status() == 200) {
                if (!probe.disconnected() && !List.of("done", "error").contains(probe.last().type())) {
                    throw new AssertionError("the stream ended without done or error: " + probe.events());
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no answer in flight within 60 s: " + probe.errorBody());
            }
            Thread.sleep(20);
        }
    }

    SseClient sse() {
        return new SseClient(http, baseUrl);
    }
}
