package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad message requests get coded errors, and nothing already stored changes. */
class ChatBadInputIT {
    @TempDir
    Path temp;

    private NeutronServer neutron;
    private String sessionId;
    private JsonNode storedBefore;

    @BeforeEach
    void startWithOneAnsweredMessage() throws Exception {
        neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", NeutronServer.ollamaUrl())).start();
        sessionId = neutron.createSession("bad input");
        SseClient.Stream first = neutron.sse().post("/api/v1/chat/sessions/" + sessionId + "/messages",
                Map.of("content", "Say one word.", "model", NeutronServer.model()), null);
        assertEquals("done", first.last().type());
        storedBefore = neutron.json("GET", "/api/v1/chat/sessions/" + sessionId, null, 200).get("messages");
    }

    @AfterEach
    void stop() throws Exception {
        assertEquals(storedBefore, neutron.json("GET", "/api/v1/chat/sessions/" + sessionId, null, 200).get("messages"),
                "stored history unchanged");
        neutron.close();
    }

    private void expectError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, NeutronServer.JSON.readTree(response.body()).get("error").get("code").asText());
    }

    private HttpResponse<String> send(Object body) throws Exception {
        return neutron.send("POST", "/api/v1/chat/sessions/" + sessionId + "/messages", body);
    }

    @Test
    void emptyContentIsRejected() throws Exception {
        expectError(send(Map.of("content", "  ")), 400, "invalid_request");
        expectError(send(Map.of()), 400, "invalid_request");
    }

    @Test
    void contentOfTheWrongTypeIsRejected() throws Exception {
        expectError(send("{\"content\": 42, \"attachments\": \"x\"}"), 400, "invalid_request");
        expectError(send("{\"content\": \"hi\", \"temperature\": 3}"), 400, "invalid_request");
        expectError(send("{\"content\": "), 400, "invalid_json");
    }

    @Test
    void anUnknownModelIsNotFound() throws Exception {
        expectError(send(Map.of("content", "hi", "model", "no-such-model:1b")), 404, "model_not_found");
    }

    @Test
    void anUnknownSessionIsNotFound() throws Exception {
        expectError(neutron.send("POST", "/api/v1/chat/sessions/chat_0123456789abcdef/messages", Map.of("content", "hi")),
                404, "session_not_found");
        expectError(neutron.send("POST", "/api/v1/chat/sessions/chat_NOT-VALID/messages", Map.of("content", "hi")),
                400, "invalid_session_id");
    }

    @Test
    void aFiveMegabyteMessageIsTooLarge() throws Exception {
        expectError(send(Map.of("content", "x".repeat(5 * 1024 * 1024))), 413, "payload_too_large");
    }

    @Test
    void aSecondMessageWhileAnswerRunsIsAConflict() throws Exception {
        SseClient.Stream running = neutron.sse().post("/api/v1/chat/sessions/" + sessionId + "/messages",
                Map.of("content", "Count from 1 to 100, one number per line."), events -> events.size() >= 2);
        expectError(send(Map.of("content", "me too")), 409, "generation_in_progress");
        neutron.json("POST", "/api/v1/chat/sessions/" + sessionId + "/stop", null, 200);
        SseClient.Stream end = neutron.sse().get("/api/v1/chat/sessions/" + sessionId + "/stream", running.last().id(), null);
        assertEquals("done", end.last().type());
        storedBefore = neutron.json("GET", "/api/v1/chat/sessions/" + sessionId, null, 200).get("messages");
        assertEquals(4, storedBefore.size(), "the conflicting message was not stored; the running one was");
    }
}
