package dev.neutron.distribution;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second, private real Ollama (same binary and model store as the test environment's) that a test may kill, to
 * see what Neutron does when its backend dies mid-answer.
 */
final class OllamaProcess implements AutoCloseable {
    private final Process process;
    private final String baseUrl;

    private OllamaProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    static OllamaProcess start(Path logFile) throws Exception {
        return start(logFile, requiredEnv("OLLAMA_TEST_MODELS_DIR"), true);
    }

    /** A private Ollama with its own, empty model store, whose deletes free the layers (nothing is shared). */
    static OllamaProcess startEmpty(Path logFile, Path modelsDir) throws Exception {
        return start(logFile, modelsDir.toString(), false);
    }

    private static OllamaProcess start(Path logFile, String models, boolean noPrune) throws Exception {
        String binary = requiredEnv("OLLAMA_TEST_BIN");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(binary, "serve").redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().put("OLLAMA_HOST", "127.0.0.1:" + port);
        builder.environment().put("OLLAMA_MODELS", models);
        if (noPrune) {
            builder.environment().put("OLLAMA_NOPRUNE", "1");
        }
        Process process = builder.start();
        String url = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/api/version")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return new OllamaProcess(process, url);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("private Ollama did not start; see " + logFile);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    /**
     * SIGKILL: the backend dies without a goodbye, as in a crash. Its model runner (a child process) goes too, or it
     * would outlive the test holding the model in memory.
     */
    void kill() throws InterruptedException {
        List<ProcessHandle> runners = process.descendants().toList();
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle runner : runners) {
            runner.destroyForcibly();
            runner.onExit().completeOnTimeout(runner, 10, TimeUnit.SECONDS).join();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set. Run the tests with scripts/test.");
        }
        return value;
    }
}
