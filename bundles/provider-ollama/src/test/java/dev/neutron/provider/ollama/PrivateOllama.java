package dev.neutron.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Ollama of its own ({@code ollama serve} of the shared test build, on a free port, with its models in a temp
 * directory), for tests that need a model the shared test server must not list: a model created there would become
 * the newest, and so the first of every model list, under other tests' feet. The GGUF comes from the shared server's
 * model, hard-linked (or copied) into the private store.
 */
final class PrivateOllama implements AutoCloseable {
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    private static final Pattern FROM_BLOB = Pattern.compile("(?m)^FROM (.*sha256-([0-9a-f]{64}))$");

    private final Path home;
    private final Process process;
    private final URI baseUrl;
    private final String blobDigest;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrivateOllama(Path home, Process process, URI baseUrl, String blobDigest) {
        this.home = home;
        this.process = process;
        this.baseUrl = baseUrl;
        this.blobDigest = blobDigest;
    }

    /** Starts {@code binary} serving a copy of {@code sharedModel}'s weights, which {@link #create} can build on. */
    static PrivateOllama start(Path binary, URI sharedServer, String sharedModel) throws Exception {
        Path home = Files.createTempDirectory("neutron-private-ollama-");
        Path blobs = Files.createDirectories(home.resolve("models/blobs"));
        Matcher from = FROM_BLOB.matcher(show(HttpClient.newHttpClient(), sharedServer, sharedModel).path("modelfile").asText());
        if (!from.find()) {
            throw new IllegalStateException("/api/show of " + sharedModel + " names no GGUF blob");
        }
        linkOrCopy(Path.of(from.group(1)), blobs.resolve("sha256-" + from.group(2)));
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve")
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("ollama.log").toFile());
        builder.environment().put("OLLAMA_HOST", "127.0.0.1:" + port);
        builder.environment().put("OLLAMA_MODELS", home.resolve("models").toString());
        builder.environment().put("OLLAMA_NOPRUNE", "1");
        PrivateOllama ollama = new PrivateOllama(home, builder.start(), URI.create("http://127.0.0.1:" + port),
                "sha256:" + from.group(2));
        ollama.awaitReady();
        return ollama;
    }

    URI baseUrl() {
        return baseUrl;
    }

    /** {@code POST /api/create} of {@code name} from the copied weights with {@code template} and {@code parameters}. */
    void create(String name, String template, ObjectNode parameters) throws Exception {
        ObjectNode body = OllamaClient.JSON.createObjectNode().put("model", name).put("stream", false).put("template", template);
        body.putObject("files").put("model.gguf", blobDigest);
        body.set("parameters", parameters);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/create"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || !answer.body().contains("success")) {
            throw new IllegalStateException("creating " + name + " failed: HTTP " + answer.statusCode() + " " + answer.body());
        }
    }

    JsonNode show(String model) throws Exception {
        return show(http, baseUrl, model);
    }

    /** Stops the server and its model runners, and removes its directory. */
    @Override
    public void close() throws Exception {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        HttpRequest version = HttpRequest.newBuilder(URI.create(baseUrl + "/api/version")).timeout(Duration.ofSeconds(2)).build();
        while (true) {
            try {
                if (http.send(version, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(home.resolve("ollama.log"));
                close();
                throw new IllegalStateException("the private Ollama did not start within " + START_WAIT + ": " + log);
            }
            Thread.sleep(100); // polling a process that signals readiness no other way
        }
    }

    private static JsonNode show(HttpClient http, URI server, String model) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(server + "/api/show"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        return OllamaClient.JSON.readTree(answer.body());
    }

    private static void linkOrCopy(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException otherFileSystem) {
            Files.copy(source, target);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
