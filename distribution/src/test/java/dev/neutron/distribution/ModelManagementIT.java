package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model management against real parts, without the internet: the test model is pushed with the real {@code ollama
 * push --insecure} into a real registry ({@code scripts/test-registry}), then pulled through Neutron's API into a
 * private Ollama whose model store starts empty, so every layer really downloads. A scripted throttling proxy in
 * front of the registry makes the pull slow enough to watch, cancel, and break. The shared Ollama is only read from
 * (and given one temporary name for the push); its test models are never touched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelManagementIT {
    /** ~98 MB of GGUF at this rate is about 8 s: long enough to see progress, cancel and break it mid-way. */
    private static final long PROXY_BYTES_PER_SECOND = 12L << 20;

    @TempDir
    static Path temp;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static OllamaProcess privateOllama;
    private static ScriptedCdnRegistryProxy proxy;
    private static NeutronServer neutron;
    private static String pushedName;

    @BeforeAll
    static void pushTheTestModelAndStartNeutronOnAnEmptyOllama() throws Exception {
        pushedName = ModelManagerStage.pushTestModel(temp);
        privateOllama = OllamaProcess.startEmpty(temp.resolve("ollama.log"), Files.createDirectories(temp.resolve("models")));
        proxy = new ScriptedCdnRegistryProxy(ModelManagerStage.registryHost(), PROXY_BYTES_PER_SECOND);
        neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", privateOllama.baseUrl())).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (privateOllama != null) {
            privateOllama.close();
        }
    }

    private static String throughProxy() {
        return proxy.host() + "/library/smollm2:135m";
    }

    @Test
    @Order(1)
    void anUnknownNameEndsWithModelNotFound() throws Exception {
        JsonNode job = neutron.json("POST", "/api/v1/models/pull",
                Map.of("name", proxy.host() + "/library/no-such-model:1", "insecure", true), 202).get("job");
        SseClient.Stream events = neutron.sse().get(eventsOf(job), null, null);
        assertEquals("error", events.last().type(), events.events().toString());
        JsonNode error = events.last().data().get("error");
        assertEquals("model_not_found", error.get("code").asText(), error.toString());
        assertTrue(error.get("message").asText().contains("no-such-model"), error.toString());
        assertEquals("failed", neutron.json("GET", "/api/v1/models/jobs/" + job.get("id").asText(), null, 200)
                .get("job").get("state").asText());
    }

    @Test
    @Order(2)
    void aBadNameIsRefusedAndAnUnknownJobIsNotFound() throws Exception {
        HttpResponse<String> bad = neutron.send("POST", "/api/v1/models/pull", Map.of("name", "bad name\n"));
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("invalid_request", NeutronServer.JSON.readTree(bad.body()).get("error").get("code").asText());
        HttpResponse<String> missing = neutron.send("GET", "/api/v1/models/jobs/nope", null);
        assertEquals(404, missing.statusCode(), missing.body());
        assertEquals("job_not_found", NeutronServer.JSON.readTree(missing.body()).get("error").get("code").asText());
    }

    @Test
    @Order(3)
    void aPullReportsRealProgressJoinsARepeatAndAReaderResumesAfterItsLastEvent() throws Exception {
        String name = throughProxy();
        JsonNode job = neutron.json("POST", "/api/v1/models/pull", Map.of("name", name, "insecure", true), 202).get("job");
        JsonNode again = neutron.json("POST", "/api/v1/models/pull", Map.of("name", name, "insecure", true), 202).get("job");
        assertEquals(job.get("id").asText(), again.get("id").asText(), "the same name joins the running pull");
        assertEquals("pull", job.get("kind").asText());

        SseClient.Stream firstLook = neutron.sse().get(eventsOf(job), null, seen -> seen.stream()
                .anyMatch(e -> e.data().path("completed").asLong(0) > 0 && !e.data().path("bytesPerSecond").isNull()));
        assertTrue(firstLook.disconnected(), "the first reader hangs up mid-pull: " + firstLook.events());
        long lastSeen = firstLook.events().get(firstLook.events().size() - 1).id();

        SseClient.Stream rest = neutron.sse().get(eventsOf(job), lastSeen, null);
        assertEquals(lastSeen + 1, rest.events().get(0).id(), "resumes right after the last event seen");
        assertEquals("done", rest.last().type(), rest.events().toString());
        assertEquals("succeeded", rest.last().data().get("state").asText());

        List<SseClient.Event> all = new ArrayList<>(firstLook.events());
        all.addAll(rest.events());
        for (int i = 1; i < all.size(); i++) {
            assertEquals(all.get(i - 1).id() + 1, all.get(i).id(), "ids grow by one");
        }
        assertTrue(all.stream().anyMatch(e -> e.data().path("status").asText().equals("pulling manifest")), all.toString());
        List<JsonNode> layer = all.stream().map(SseClient.Event::data)
                .filter(d -> d.path("total").asLong(0) > 90_000_000L).toList();
        assertTrue(layer.size() >= 3, "several progress events for the GGUF layer: " + all);
        JsonNode mid = layer.stream().filter(d -> d.path("completed").asLong() < d.path("total").asLong()
                && d.path("completed").asLong() > 0 && !d.path("bytesPerSecond").isNull()).findFirst().orElseThrow(() -> new AssertionError(all.toString()));
        assertTrue(mid.get("percent").asDouble() > 0 && mid.get("percent").asDouble() < 100, mid.toString());
        assertTrue(mid.get("bytesPerSecond").asLong() > 0, mid.toString());
        assertTrue(mid.get("secondsLeft").asLong() >= 0, mid.toString());
        assertTrue(ollamaModels("/api/tags").contains(name), "Ollama itself lists the pulled model");
        assertTrue(installedNames().contains(name), "Neutron's list shows it");
    }

    @Test
    @Order(4)
    void copyLoadUnloadAndDeleteAreSeenByOllamaItself() throws Exception {
        String copy = "neutron-it-copy:1";
        assertFalse(chatModelNames().contains(copy), "the chat's model list is read (and cached) before the copy");
        neutron.json("POST", "/api/v1/models/copy", Map.of("from", throughProxy(), "to", copy), 204);
        assertTrue(ollamaModels("/api/tags").contains(copy));
        assertTrue(chatModelNames().contains(copy), "the chat's model list shows the copy at once, not after its cache expires");
        JsonNode listed = installed(copy);
        assertEquals("llama", listed.get("family").asText(), listed.toString());
        assertTrue(listed.get("sizeBytes").asLong() > 90_000_000L, listed.toString());
        assertTrue(listed.get("contextLength").asInt() > 0, listed.toString());
        assertTrue(listed.get("capabilities").toString().contains("completion"), listed.toString());

        neutron.json("POST", "/api/v1/models/load", Map.of("name", copy), 204);
        assertTrue(ollamaModels("/api/ps").contains(copy), "loaded in Ollama");
        JsonNode loaded = neutron.json("GET", "/api/v1/models/loaded", null, 200).get("models");
        assertTrue(loaded.toString().contains(copy), loaded.toString());
        neutron.json("POST", "/api/v1/models/unload", Map.of("name", copy), 204);
        assertFalse(ollamaModels("/api/ps").contains(copy), "unloaded in Ollama");

        neutron.json("DELETE", "/api/v1/models?name=" + copy, null, 204);
        assertFalse(ollamaModels("/api/tags").contains(copy), "deleted in Ollama");
        assertFalse(chatModelNames().contains(copy), "the chat's model list drops it at once");
        HttpResponse<String> again = neutron.send("DELETE", "/api/v1/models?name=" + copy, null);
        assertEquals(404, again.statusCode(), again.body());
        assertEquals("model_not_found", NeutronServer.JSON.readTree(again.body()).get("error").get("code").asText());
    }

    @Test
    @Order(5)
    void aCancelledPullEndsCancelledAndInstallsNothing() throws Exception {
        neutron.json("DELETE", "/api/v1/models?name=" + throughProxy(), null, 204);
        JsonNode job = neutron.json("POST", "/api/v1/models/pull", Map.of("name", throughProxy(), "insecure", true), 202)
                .get("job");
        neutron.sse().get(eventsOf(job), null, seen -> seen.stream().anyMatch(e -> e.data().path("completed").asLong(0) > 0));
        JsonNode cancelled = neutron.json("DELETE", "/api/v1/models/jobs/" + job.get("id").asText(), null, 200).get("job");
        assertEquals("cancelled", cancelled.get("state").asText());
        SseClient.Stream end = neutron.sse().get(eventsOf(job), null, null);
        assertEquals("error", end.last().type());
        assertEquals("cancelled", end.last().data().get("error").get("code").asText());
        assertFalse(ollamaModels("/api/tags").contains(throughProxy()));
    }

    @Test
    @Order(6)
    void aRegistryThatStopsMidPullEndsWithAnActionableError() throws Exception {
        JsonNode job = neutron.json("POST", "/api/v1/models/pull", Map.of("name", throughProxy(), "insecure", true), 202)
                .get("job");
        neutron.sse().get(eventsOf(job), null, seen -> seen.stream().anyMatch(e -> e.data().path("completed").asLong(0)
                > 0 && e.data().path("completed").asLong() < e.data().path("total").asLong()));
        proxy.stop();
        SseClient.Stream end = neutron.sse().get(eventsOf(job), null, null);
        assertEquals("error", end.last().type(), end.events().toString());
        JsonNode error = end.last().data().get("error");
        assertEquals("registry_unreachable", error.get("code").asText(), error.toString());
        // Ollama retries the layer for about a minute (backoff 1+2+…+32 s) without progress: Neutron stops it first
        assertEquals("The registry of '" + throughProxy() + "' stopped answering: no progress for 30 s, so the pull "
                + "was stopped. Check the network and the registry, then pull again: layers already downloaded are "
                + "kept.", error.get("message").asText());
        assertEquals("failed", end.last().data().get("job").get("state").asText());
    }

    @Test
    @Order(7)
    void aModelCreatedFromTheRealGgufFileAnswersAChatAtOnce() throws Exception {
        Path gguf = ModelManagerStage.ggufFile();
        HttpResponse<String> notGguf = HTTP.send(HttpRequest.newBuilder(URI.create(neutron.baseUrl() + "/api/v1/models/blobs"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("PK not a model")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, notGguf.statusCode(), notGguf.body());
        assertEquals("unsupported_file_type", NeutronServer.JSON.readTree(notGguf.body()).get("error").get("code").asText());

        HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(URI.create(neutron.baseUrl() + "/api/v1/models/blobs"))
                .header("Content-Type", "application/octet-stream").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofFile(gguf)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, upload.statusCode(), upload.body());
        String digest = NeutronServer.JSON.readTree(upload.body()).get("digest").asText();
        assertTrue(digest.matches("sha256:[0-9a-f]{64}"), digest);
        assertEquals(Files.size(gguf), NeutronServer.JSON.readTree(upload.body()).get("sizeBytes").asLong());
        try (var staged = Files.list(temp.resolve("data").resolve("model-uploads"))) {
            assertEquals(0, staged.count(), "the staging file is gone once Ollama has the blob");
        }

        String name = "neutron-it-created:1";
        Map<String, Object> create = Map.of("name", name, "blob", digest,
                "system", "You are a helpful assistant.",
                "template", "{{- if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}{{- range .Messages }}"
                        + "<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n",
                "parameters", Map.of("stop", List.of("<|im_end|>", "<|im_start|>"), "num_predict", 32, "temperature", 0));
        JsonNode job = neutron.json("POST", "/api/v1/models/create", create, 202).get("job");
        assertEquals("create", job.get("kind").asText());
        SseClient.Stream events = neutron.sse().get(eventsOf(job), null, null);
        assertEquals("done", events.last().type(), events.events().toString());
        assertTrue(ollamaModels("/api/tags").contains(name));

        String session = neutron.createSession("created model");
        SseClient.Stream answer = neutron.sse().post("/api/v1/chat/sessions/" + session + "/messages",
                Map.of("content", "Say hi.", "model", name), null);
        assertEquals("done", answer.last().type(), answer.events().toString());
        assertEquals(name, answer.first("meta").data().get("model").asText());
        assertFalse(answer.last().data().get("message").get("content").asText().isBlank(), answer.events().toString());
    }

    private static String eventsOf(JsonNode job) {
        return "/api/v1/models/jobs/" + job.get("id").asText() + "/events";
    }

    private static List<String> installedNames() throws Exception {
        List<String> names = new ArrayList<>();
        neutron.json("GET", "/api/v1/models", null, 200).get("models").forEach(m -> names.add(m.get("name").asText()));
        return names;
    }

    /** The models the chat offers ({@code /api/v1/chat/models}, from the provider's cached list). */
    private static List<String> chatModelNames() throws Exception {
        List<String> names = new ArrayList<>();
        neutron.json("GET", "/api/v1/chat/models", null, 200).get("models").forEach(m -> names.add(m.get("name").asText()));
        return names;
    }

    private static JsonNode installed(String name) throws Exception {
        for (JsonNode model : neutron.json("GET", "/api/v1/models", null, 200).get("models")) {
            if (model.get("name").asText().equals(name)) {
                return model;
            }
        }
        throw new AssertionError(name + " is not in GET /api/v1/models");
    }

    /** The model names Ollama itself lists at {@code /api/tags} or {@code /api/ps}. */
    private static List<String> ollamaModels(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(privateOllama.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> names = new ArrayList<>();
        NeutronServer.JSON.readTree(answer.body()).path("models").forEach(m -> names.add(m.get("name").asText()));
        return names;
    }
}
