package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls at the limits, all real but the scripted CDN proxy: a private Ollama whose model store is a real tmpfs
 * smaller than the model (a full disk mid-pull), then grown; two different models pulled at once (the two test models,
 * pushed to the test registry with the real {@code ollama push}); and a registry that hangs mid-pull, with a short
 * {@code pullStallTimeoutSeconds} from a {@code .cfg} in a private copy of the distribution's deploy/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelPullLimitsIT {
    /** The GGUF layer of the test models is ~98 MB: this tmpfs fills up in the middle of it. */
    private static final String SMALL = "40m";
    private static final String ROOMY = "400m";
    /** ~98 MB at this rate is ~5 s: long enough for two pulls to overlap and for the registry to hang mid-pull. */
    private static final long PROXY_BYTES_PER_SECOND = 20L << 20;
    private static final int STALL_SECONDS = 2;
    private static final String STALL_CONFIGURED = "a pull with no progress for " + STALL_SECONDS + " s";

    @TempDir
    static Path temp;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SmallDisk disk;
    private static OllamaProcess ollama;
    private static ScriptedCdnRegistryProxy proxy;
    private static NeutronServer neutron;
    private static String first;
    private static String second;

    @BeforeAll
    static void pushBothTestModelsAndStartNeutronOnAnOllamaWithASmallDisk() throws Exception {
        ModelManagerStage.pushTestModel(temp);
        ModelManagerStage.pushModel(temp, NeutronServer.secondModel(), "library/smollm2-pirate:135m");
        disk = SmallDisk.mount(temp.resolve("models"), SMALL);
        ollama = OllamaProcess.startEmpty(temp.resolve("ollama.log"), disk.path());
        proxy = new ScriptedCdnRegistryProxy(ModelManagerStage.registryHost(), PROXY_BYTES_PER_SECOND);
        first = proxy.host() + "/library/smollm2:135m";
        second = proxy.host() + "/library/smollm2-pirate:135m";
        Path distribution = NeutronServer.privateCopyOfTheDistribution(temp);
        Path staged = distribution.resolve("dev.neutron.provider.ollama.cfg.tmp");
        Files.writeString(staged, "pullStallTimeoutSeconds=" + STALL_SECONDS + "\n", StandardCharsets.UTF_8);
        Files.move(staged, distribution.resolve("deploy/dev.neutron.provider.ollama.cfg"), StandardCopyOption.ATOMIC_MOVE);
        neutron = new NeutronServer(distribution, temp.resolve("data"), Map.of("OLLAMA_HOST", ollama.baseUrl())).start();
        awaitLogLine(STALL_CONFIGURED);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (neutron != null) {
                neutron.close();
            }
            if (proxy != null) {
                proxy.close();
            }
            if (ollama != null) {
                ollama.close();
            }
        } finally {
            if (disk != null) {
                disk.close();
            }
        }
    }

    @Test
    @Order(1)
    void aDiskThatFillsMidPullEndsTheJobWithInsufficientStorageNamingTheModelStore() throws Exception {
        JsonNode job = startPull(first);

        SseClient.Stream events = neutron.sse().get(eventsOf(job), null, null);

        assertEquals("error", events.last().type(), events.events().toString());
        JsonNode error = events.last().data().get("error");
        assertEquals("insufficient_storage", error.get("code").asText(), error.toString());
        String message = error.get("message").asText();
        assertTrue(message.startsWith("The disk of Ollama's model store " + disk.path() + " is full (Ollama: "), message);
        assertTrue(message.endsWith("). Delete models you do not need or free space on that disk, then try again."), message);
        assertTrue(events.events().stream().anyMatch(e -> e.data().path("completed").asLong(0) > 0),
                "bytes arrived before the disk was full: " + events.events());
        assertEquals(200, neutron.send("GET", "/api/v1/health", null).statusCode(), "Neutron still answers");
        assertEquals(200, ollama("/api/version").statusCode(), "that Ollama still answers");
        assertEquals(List.of(), ollamaModels(), "nothing was installed");
    }

    @Test
    @Order(2)
    void withMoreSpaceTwoDifferentPullsRunAtOnceBothReportProgressAndBothComplete() throws Exception {
        disk.resize(ROOMY);
        JsonNode one = startPull(first);
        JsonNode two = startPull(second);
        assertEquals(one.get("id").asText(), startPull(first).get("id").asText(), "the same name joins the running pull");
        assertTrue(!one.get("id").asText().equals(two.get("id").asText()), "a different name is a job of its own");
        assertEquals(List.of("running", "running"), List.of(state(one), state(two)), "both run at once");

        CompletableFuture<SseClient.Stream> secondEvents = CompletableFuture.supplyAsync(() -> read(eventsOf(two)));
        SseClient.Stream firstEvents = read(eventsOf(one));
        SseClient.Stream secondEnd = secondEvents.get(5, TimeUnit.MINUTES);

        for (SseClient.Stream events : List.of(firstEvents, secondEnd)) {
            assertEquals("done", events.last().type(), events.events().toString());
            assertEquals("succeeded", events.last().data().get("state").asText());
            assertTrue(events.events().stream().anyMatch(e -> e.data().path("total").asLong(0) > 90_000_000L
                    && e.data().path("completed").asLong(0) > 0
                    && e.data().path("completed").asLong() < e.data().path("total").asLong()),
                    "progress of the GGUF layer: " + events.events());
        }
        assertTrue(ollamaModels().containsAll(List.of(first, second)), ollamaModels().toString());
    }

    @Test
    @Order(3)
    void aRegistryThatHangsMidPullEndsWithRegistryUnreachableAfterTheStallTimeout() throws Exception {
        neutron.json("DELETE", "/api/v1/models?name=" + first, null, 204);
        neutron.json("DELETE", "/api/v1/models?name=" + second, null, 204);
        JsonNode job = startPull(first);
        neutron.sse().get(eventsOf(job), null, seen -> seen.stream().anyMatch(e -> e.data().path("completed").asLong(0)
                > 0 && e.data().path("completed").asLong() < e.data().path("total").asLong()));
        proxy.stall();
        try {
            SseClient.Stream end = neutron.sse().get(eventsOf(job), null, null);

            assertEquals("error", end.last().type(), end.events().toString());
            JsonNode error = end.last().data().get("error");
            assertEquals("registry_unreachable", error.get("code").asText(), error.toString());
            assertEquals("The registry of '" + first + "' stopped answering: no progress for " + STALL_SECONDS + " s, so "
                    + "the pull was stopped. Check the network and the registry, then pull again: layers already "
                    + "downloaded are kept.", error.get("message").asText());
            assertEquals(200, ollama("/api/version").statusCode(), "that Ollama still answers");
        } finally {
            proxy.resume();
        }
    }

    private static JsonNode startPull(String name) throws Exception {
        return neutron.json("POST", "/api/v1/models/pull", Map.of("name", name, "insecure", true), 202).get("job");
    }

    private static String state(JsonNode job) throws Exception {
        return neutron.json("GET", "/api/v1/models/jobs/" + job.get("id").asText(), null, 200).get("job").get("state").asText();
    }

    private static SseClient.Stream read(String path) {
        try {
            return neutron.sse().get(path, null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String eventsOf(JsonNode job) {
        return "/api/v1/models/jobs/" + job.get("id").asText() + "/events";
    }

    private static HttpResponse<String> ollama(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(ollama.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> ollamaModels() throws Exception {
        List<String> names = new ArrayList<>();
        NeutronServer.JSON.readTree(ollama("/api/tags").body()).path("models").forEach(m -> names.add(m.get("name").asText()));
        return names;
    }

    /** Waits until the model manager says it runs with the deploy/ configuration (FileInstall may be later than it). */
    private static void awaitLogLine(String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!logged(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Neutron never logged '" + text + "'");
            }
            Thread.sleep(50); // polling the log: the component's start is seen no other way from outside
        }
    }

    private static boolean logged(String text) throws IOException {
        Path logs = temp.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return false;
        }
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : (Iterable<Path>) files::iterator) {
                if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }
}
