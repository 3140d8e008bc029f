package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the assembled distribution ({@code target/neutron}) as a user would: {@code bin/neutron} as a child process
 * on a free port and a fresh data directory, the REST API over HTTP, SIGTERM to stop it, a restart on the same data.
 */
class DistributionEndToEndIT {
    private static final Path DISTRIBUTION = Path.of(System.getProperty("neutron.distribution", "target/neutron")).toAbsolutePath();
    private static final Path LOGS = Path.of(System.getProperty("neutron.e2e.logs", "target/e2e-logs")).toAbsolutePath();
    /*
     * Hang guards, not budgets: how fast Neutron starts and stops is measured by scripts/bench, where a busy machine
     * shows as a slower figure instead of a failed build.
     */
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);
    private static final Duration REQUEST_DEADLINE = Duration.ofSeconds(60);
    private static final Set<String> SESSION_FIELDS =
            Set.of("id", "title", "model", "createdAt", "updatedAt", "messageCount", "generating", "activeLeafId",
                    "systemPrompt", "options", "think", "autoTitle");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_DEADLINE)
            .build();

    @TempDir
    static Path workDir;
    private static Path dataDir;
    private static RunningNeutron neutron;

    @BeforeAll
    static void startDistribution() throws Exception {
        dataDir = workDir.resolve("data");
        neutron = RunningNeutron.start(DISTRIBUTION, dataDir, LOGS, HTTP, START_DEADLINE);
        System.out.printf("Neutron distribution: start to healthy %d ms at %s%n", neutron.startToHealthy.toMillis(), neutron.baseUri);
    }

    @AfterAll
    static void stopDistribution() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
    }

    @Test
    void reportsItselfHealthyWithEveryPartPresent() throws Exception {
        Response health = send("GET", "api/v1/health", null);
        assertEquals(200, health.status(), health.body());
        assertEquals(JSON.readTree("{\"status\":\"ok\",\"store\":\"JsonlChatStore\",\"chat\":true,\"attachments\":true}"),
                health.json());
    }

    @Test
    void createsRenamesListsReadsAndDeletesSessions() throws Exception {
        JsonNode first = createSession("First chat");
        JsonNode second = createSession("Second chat");
        for (JsonNode created : List.of(first, second)) {
            assertEquals(SESSION_FIELDS, fieldNames(created), "fields of a created session: " + created);
            assertEquals(0, created.get("messageCount").asInt());
            assertFalse(created.get("generating").asBoolean());
        }
        assertEquals("First chat", first.get("title").asText());
        String firstId = first.get("id").asText();
        String secondId = second.get("id").asText();
        assertNotEquals(firstId, secondId);

        Response renamed = send("PATCH", "api/v1/chat/sessions/" + firstId, "{\"title\":\"Renamed chat\"}");
        assertEquals(200, renamed.status(), renamed.body());
        assertEquals("Renamed chat", renamed.json().get("title").asText());
        assertEquals(firstId, renamed.json().get("id").asText());

        Response list = send("GET", "api/v1/chat/sessions", null);
        assertEquals(200, list.status(), list.body());
        Map<String, String> titles = new LinkedHashMap<>();
        list.json().get("sessions").forEach(s -> titles.put(s.get("id").asText(), s.get("title").asText()));
        assertEquals("Renamed chat", titles.get(firstId));
        assertEquals("Second chat", titles.get(secondId));

        Response one = send("GET", "api/v1/chat/sessions/" + secondId, null);
        assertEquals(200, one.status(), one.body());
        assertEquals(secondId, one.json().get("session").get("id").asText());
        assertEquals("Second chat", one.json().get("session").get("title").asText());
        assertTrue(one.json().get("messages").isArray(), one.body());

        Response deleted = send("DELETE", "api/v1/chat/sessions/" + secondId, null);
        assertEquals(204, deleted.status(), deleted.body());
        Response deletedAgain = send("DELETE", "api/v1/chat/sessions/" + secondId, null);
        assertError(deletedAgain, 404, "session_not_found");
        assertError(send("GET", "api/v1/chat/sessions/" + secondId, null), 404, "session_not_found");

        Response after = send("GET", "api/v1/chat/sessions", null);
        List<String> ids = new ArrayList<>();
        after.json().get("sessions").forEach(s -> ids.add(s.get("id").asText()));
        assertTrue(ids.contains(firstId), "the renamed session is still listed: " + ids);
        assertFalse(ids.contains(secondId), "the deleted session is not listed: " + ids);
    }

    @Test
    void rejectsMalformedJsonWithInvalidJson() throws Exception {
        assertError(send("POST", "api/v1/chat/sessions", "{\"title\": \"unterminated"), 400, "invalid_json");
    }

    @Test
    void rejectsPathTraversalInSessionIdsWithoutTouchingTheDisk() throws Exception {
        for (String id : List.of("..%2F..%2Fetc%2Fpasswd", "..%2F..%2Fetc%2Fpasswd/messages", "chat_..%2F..%2Fx")) {
            Response response = send("GET", "api/v1/chat/sessions/" + id, null);
            // Jetty rejects %2F in a path ("ambiguous URI path separator") before any servlet sees the request;
            // Neutron's error handler answers it as JSON, like every other client error.
            assertError(response, 400, "invalid_request");
            assertFalse(response.body().contains("root:"), id + " leaked a file: " + response.body());
        }
        assertError(send("GET", "api/v1/chat/sessions/..etc..passwd", null), 400, "invalid_session_id");
    }

    @Test
    void rejectsATenMegabyteTitleWithPayloadTooLarge() throws Exception {
        String title = "x".repeat(10 * 1024 * 1024);
        assertError(send("POST", "api/v1/chat/sessions", "{\"title\":\"" + title + "\"}"), 413, "payload_too_large");
    }

    @Test
    void stopsCleanlyOnSigtermAndKeepsEverySessionAcrossARestart() throws Exception {
        String keptId = createSession("Kept across restarts").get("id").asText();
        String renamedId = createSession("Before rename").get("id").asText();
        assertEquals(200, send("PATCH", "api/v1/chat/sessions/" + renamedId, "{\"title\":\"After rename\"}").status());
        // A message, if the engine records one without a model (Ollama is unreachable on purpose): whatever is
        // stored must come back unchanged.
        sendMessageIgnoringTheOutcome(keptId, "Hello from the end-to-end test");

        Map<String, JsonNode> before = snapshotAllSessions();
        assertTrue(before.containsKey(keptId) && before.containsKey(renamedId), "snapshot: " + before.keySet());

        long stopStarted = System.nanoTime();
        boolean exited = neutron.terminate(STOP_DEADLINE);
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopStarted);
        assertTrue(exited, "Neutron did not exit within " + STOP_DEADLINE + " of SIGTERM; stderr:\n" + neutron.stderr());
        System.out.printf("Neutron distribution: SIGTERM to exit %d ms (exit code %d)%n",
                stopTook.toMillis(), neutron.process.exitValue());

        neutron = RunningNeutron.start(DISTRIBUTION, dataDir, LOGS, HTTP, START_DEADLINE);
        System.out.printf("Neutron distribution: restart to healthy %d ms at %s%n",
                neutron.startToHealthy.toMillis(), neutron.baseUri);

        Map<String, JsonNode> after = snapshotAllSessions();
        assertEquals(before.keySet(), after.keySet(), "the same sessions after the restart");
        for (String id : before.keySet()) {
            assertEquals(before.get(id), after.get(id), "session " + id + " and its messages after the restart");
        }
        assertEquals("After rename", after.get(renamedId).get("session").get("title").asText());
    }

    // --- helpers ---

    private static JsonNode createSession(String title) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("title", title);
        Response created = send("POST", "api/v1/chat/sessions", JSON.writeValueAsString(body));
        assertEquals(201, created.status(), created.body());
        return created.json();
    }

    /** Every session with its messages, keyed by id; "generating" is left out (it is live state, not stored). */
    private static Map<String, JsonNode> snapshotAllSessions() throws Exception {
        Response list = send("GET", "api/v1/chat/sessions", null);
        assertEquals(200, list.status(), list.body());
        Map<String, JsonNode> snapshot = new LinkedHashMap<>();
        for (JsonNode listed : list.json().get("sessions")) {
            String id = listed.get("id").asText();
            Response full = send("GET", "api/v1/chat/sessions/" + id, null);
            assertEquals(200, full.status(), full.body());
            ObjectNode copy = full.json().deepCopy();
            ((ObjectNode) copy.get("session")).remove("generating");
            snapshot.put(id, copy);
        }
        return snapshot;
    }

    private static void sendMessageIgnoringTheOutcome(String sessionId, String content) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("content", content);
        HttpRequest request = HttpRequest.newBuilder(neutron.baseUri.resolve("api/v1/chat/sessions/" + sessionId + "/messages"))
                .timeout(REQUEST_DEADLINE)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        try {
            HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // the stream may end abruptly when the generation fails; the snapshot decides what counts
        }
        // Let the engine finish writing whatever it writes for a failed generation.
        long deadline = System.nanoTime() + REQUEST_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Response session = send("GET", "api/v1/chat/sessions/" + sessionId, null);
            if (!session.json().path("session").path("generating").asBoolean(false)) {
                return;
            }
            Thread.sleep(50);
        }
        fail("the generation for " + sessionId + " did not end within " + REQUEST_DEADLINE + " with Ollama unreachable");
    }

    private static void assertError(Response response, int status, String code) {
        assertEquals(status, response.status(), response.body());
        JsonNode error = response.json().path("error");
        assertEquals(code, error.path("code").asText(), response.body());
        assertFalse(error.path("message").asText().isBlank(), "an error message for " + code + ": " + response.body());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Response send(String method, String path, String json) throws Exception {
        URI uri = neutron.baseUri.resolve(path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_DEADLINE);
        if (json == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    private record Response(int status, String body) {
        JsonNode json() {
            try {
                return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): "
                        + body.substring(0, Math.min(500, body.length())), e);
            }
        }
    }
}
