package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat over SSE against the assembled distribution and a real Ollama serving real small models. */
class ChatStreamingIT {
    private static final String COUNTING = "Count from 1 to 100, one number per line.";

    @TempDir
    Path temp;

    private NeutronServer neutron;

    private NeutronServer startNeutron(String ollamaUrl) throws Exception {
        neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", ollamaUrl)).start();
        return neutron;
    }

    @AfterEach
    void stopNeutron() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
    }

    private static Map<String, Object> message(String content) {
        return Map.of("content", content, "model", NeutronServer.model());
    }

    private JsonNode session(String id) throws Exception {
        return neutron.json("GET", "/api/v1/chat/sessions/" + id, null, 200);
    }

    /** The chat's messages once it is idle, as stored: without the sibling fields that the active path shows. */
    private JsonNode awaitIdle(String id) throws Exception {
        JsonNode messages = neutron.awaitIdle(id).get("messages");
        messages.forEach(message -> ((ObjectNode) message).remove(List.of("siblingIds", "siblingIndex")));
        return messages;
    }

    @Test
    void streamsAnAnswerAsSeveralTokenEventsEndingWithDone() throws Exception {
        startNeutron(NeutronServer.ollamaUrl());
        String id = neutron.createSession("streaming");
        SseClient.Stream stream = neutron.sse().post("/api/v1/chat/sessions/" + id + "/messages",
                message("Write two sentences about the sea."), null);

        assertEquals(200, stream.status(), stream.errorBody());
        assertEquals("meta", stream.events().get(0).type());
        assertEquals(NeutronServer.model(), stream.events().get(0).data().get("model").asText());
        assertTrue(stream.tokenCount() > 1, "expected several token events, got " + stream.tokenCount());
        assertEquals("done", stream.last().type());
        for (int i = 0; i < stream.events().size(); i++) {
            assertEquals(i + 1, stream.events().get(i).id(), "event ids count up from 1");
        }
        JsonNode answer = stream.last().data().get("message");
        assertEquals(stream.tokens(), answer.get("content").asText());
        assertFalse(answer.get("content").asText().isBlank());
        assertEquals("complete", answer.get("status").asText());
        assertTrue(answer.get("stats").get("completionTokens").asInt() > 0);
        assertEquals(8192, stream.first("meta").data().get("modelContextLength").asInt(), "the model's real context length");
        assertEquals(4096, answer.get("stats").get("contextWindow").asInt(), "num_ctx sized to the short prompt");

        JsonNode messages = awaitIdle(id);
        assertEquals(2, messages.size());
        assertEquals("user", messages.get(0).get("role").asText());
        assertEquals(answer, messages.get(1));
    }

    @Test
    void keepsHistoryAcrossARestart() throws Exception {
        startNeutron(NeutronServer.ollamaUrl());
        String id = neutron.createSession("persist");
        SseClient.Stream stream = neutron.sse().post("/api/v1/chat/sessions/" + id + "/messages", message("Say hi."), null);
        assertEquals("done", stream.last().type());
        JsonNode before = session(id);
        int exit = neutron.stop();
        assertTrue(exit == 0 || exit == 143, "clean exit on SIGTERM, got " + exit);

        startNeutron(NeutronServer.ollamaUrl());
        assertEquals(before.get("messages"), session(id).get("messages"));
    }

    @Test
    void switchingModelsMidSessionSendsTheWholeHistoryToTheNewModel() throws Exception {
        startNeutron(NeutronServer.ollamaUrl());
        String id = neutron.createSession("switch");
        SseClient.Stream first = neutron.sse().post("/api/v1/chat/sessions/" + id + "/messages",
                message("My name is Zorblax. Please remember it."), null);
        assertEquals("done", first.last().type());

        JsonNode patched = neutron.json("PATCH", "/api/v1/chat/sessions/" + id,
                Map.of("model", NeutronServer.secondModel()), 200);
        assertEquals(NeutronServer.secondModel(), patched.get("model").asText());
        SseClient.Stream second = neutron.sse().post("/api/v1/chat/sessions/" + id + "/messages",
                Map.of("content", "What is my name?"), null);
        assertEquals("done", second.last().type(), second.events().toString());
        assertEquals(NeutronServer.secondModel(), second.first("meta").data().get("model").asText());

        JsonNode messages = session(id).get("messages");
        assertEquals(4, messages.size());
        assertEquals(NeutronServer.model(), messages.get(1).get("model").asText());
        assertEquals(NeutronServer.secondModel(), messages.get(3).get("model").asText());
        int firstPrompt = messages.get(1).get("stats").get("promptTokens").asInt();
        int secondPrompt = messages.get(3).get("stats").get("promptTokens").asInt();
        assertTrue(secondPrompt > firstPrompt + 5, "the second model saw the history: prompt tokens "
                + firstPrompt + " then " + secondPrompt);
    }

    @Test
    void stopMidStreamKeepsThePartialAnswerMarkedStopped() throws Exception {
        startNeutron(NeutronServer.ollamaUrl());
        String id = neutron.createSession("stop");
        CompletableFuture<SseClient.Stream> reading = readInBackground(id, COUNTING);
        awaitTokens(id, 3);
        JsonNode stopped = neutron.json("POST", "/api/v1/chat/sessions/" + id + "/stop", null, 200);
        assertTrue(stopped.get("stopped").asBoolean());
        SseClient.Stream result = reading.get(30, TimeUnit.SECONDS);
        assertEquals("done", result.last().type());
        JsonNode answer = result.last().data().get("message");
        assertEquals("stopped", answer.get("status").asText());
        assertFalse(answer.get("content").asText().isEmpty());
        assertEquals(result.tokens(), answer.get("content").asText(), "the partial answer is exactly the tokens streamed");
        assertEquals(answer, awaitIdle(id).get(1));
    }

    @Test
    void aDroppedConnectionStillStoresTheWholeAnswer() throws Exception {
        startNeutron(NeutronServer.ollamaUrl());
        String id = neutron.createSession("disconnect");
        SseClient.Stream partial = neutron.sse().post("/api/v1/chat/sessions/" + id + "/messages", message(COUNTING),
                events -> events.size() >= 4);
        assertTrue(partial.disconnected());

        JsonNode messages = awaitIdle(id);
        assertEquals(2, messages.size());
        JsonNode answer = messages.get(1);
        assertEquals("complete", answer.get("status").asText());
        assertTrue(answer.get("content").asText().startsWith(partial.tokens()));
        assertTrue(answer.get("content").asText().length() > partial.tokens().length(),
                "the answer went on after the client left");
    }

    @Test
    void reattachingWithLastEventIdDeliversExactlyTheMissedEvents() throws Exception {
        startNeutron(NeutronServer.ollamaUrl());
        String id = neutron.createSession("reattach");
        SseClient.Stream partial = neutron.sse().post("/api/v1/chat/sessions/" + id + "/messages", message(COUNTING),
                events -> events.size() >= 4);
        long lastSeen = partial.last().id();

        SseClient.Stream rest = neutron.sse().get("/api/v1/chat/sessions/" + id + "/stream", lastSeen, null);
        assertEquals(200, rest.status(), rest.errorBody());
        assertEquals(lastSeen + 1, rest.events().get(0).id(), "resumes right after the last event seen");
        assertEquals("done", rest.last().type());
        String whole = partial.tokens() + rest.tokens();
        assertEquals(rest.last().data().get("message").get("content").asText(), whole);
        assertEquals(whole, awaitIdle(id).get(1).get("content").asText());
    }

    @Test
    void ollamaKilledMidStreamGivesAnErrorEventAndKeepsThePartialAnswer() throws Exception {
        try (OllamaProcess ollama = OllamaProcess.start(temp.resolve("ollama.log"))) {
            startNeutron(ollama.baseUrl());
            String id = neutron.createSession("crash");
            CompletableFuture<SseClient.Stream> reading = readInBackground(id, COUNTING);
            awaitTokens(id, 3);
            ollama.kill();
            SseClient.Stream result = reading.get(60, TimeUnit.SECONDS);
            SseClient.Event last = result.last();
            assertEquals("error", last.type(), result.events().toString());
            // the connection to Ollama broke mid-answer: the backend failed (502 provider_error), it is not "unreachable"
            assertEquals("provider_error", last.data().get("error").get("code").asText(), last.data().toString());
            JsonNode kept = awaitIdle(id).get(1);
            assertEquals("error", kept.get("status").asText());
            assertEquals(result.tokens(), kept.get("content").asText());
            assertFalse(kept.get("content").asText().isEmpty(), "the partial answer is kept");
        }
    }

    @Test
    void stoppingNeutronMidAnswerKeepsThePartialAnswer() throws Exception {
        startNeutron(NeutronServer.ollamaUrl());
        String id = neutron.createSession("shutdown");
        CompletableFuture<SseClient.Stream> reading = readInBackground(id, COUNTING);
        awaitTokens(id, 3);
        int exit = neutron.stop();
        assertTrue(exit == 0 || exit == 143, "clean exit on SIGTERM, got " + exit);
        SseClient.Stream seen = reading.handle((stream, failure) -> stream).get(30, TimeUnit.SECONDS);

        startNeutron(NeutronServer.ollamaUrl());
        JsonNode messages = session(id).get("messages");
        assertEquals(2, messages.size(), messages.toString());
        JsonNode partial = messages.get(1);
        assertEquals("error", partial.get("status").asText());
        assertFalse(partial.get("content").asText().isEmpty(), "the text generated before the shutdown is kept");
        if (seen != null) {
            assertTrue(partial.get("content").asText().startsWith(seen.tokens()));
        }
    }

    @Test
    void ollamaDownAtStartGivesAClearErrorWhileSessionsKeepWorking() throws Exception {
        int closedPort = OllamaProcess.freePort();
        startNeutron("http://127.0.0.1:" + closedPort);
        JsonNode models = neutron.json("GET", "/api/v1/chat/models", null, 200);
        assertEquals(0, models.get("models").size());
        JsonNode provider = models.get("providers").get(0);
        assertFalse(provider.get("available").asBoolean());
        assertEquals("provider_unreachable", provider.get("errorCode").asText());
        assertTrue(provider.get("message").asText().contains("ollama serve"), provider.toString());

        String id = neutron.createSession("offline");
        var response = neutron.send("POST", "/api/v1/chat/sessions/" + id + "/messages", Map.of("content", "hello?"));
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("provider_unreachable", NeutronServer.JSON.readTree(response.body()).get("error").get("code").asText());
        assertEquals(1, neutron.json("GET", "/api/v1/chat/sessions", null, 200).get("sessions").size());
        assertEquals(0, session(id).get("messages").size(), "nothing half-stored for a message that could not start");
    }

    @Test
    void longConversationsDropTheOldestTurnsToFitTheContextWindow() throws Exception {
        startNeutron(NeutronServer.ollamaUrl());
        String id = neutron.createSession("long");
        String filler = "The quick brown fox jumps over the lazy dog. ".repeat(280); // ~12 600 chars
        SseClient.Stream last = null;
        for (int i = 0; i < 3; i++) {
            last = neutron.sse().post("/api/v1/chat/sessions/" + id + "/messages",
                    message("Part " + i + ". Reply with one word.\n" + filler), null);
            assertEquals("done", last.last().type(), last.events().toString());
        }
        JsonNode meta = last.first("meta").data();
        assertTrue(meta.get("droppedMessages").asInt() > 0, meta.toString());
        assertTrue(meta.get("promptTokenEstimate").asInt() <= meta.get("contextWindow").asInt(), meta.toString());
        assertEquals(8192, meta.get("contextWindow").asInt(), "a long prompt gets the model's whole window");
        assertEquals(meta.get("droppedMessages").asInt(),
                last.last().data().get("message").get("stats").get("droppedMessages").asInt());
    }

    private CompletableFuture<SseClient.Stream> readInBackground(String id, String content) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return neutron.sse().post("/api/v1/chat/sessions/" + id + "/messages", message(content), null);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private void awaitTokens(String id, int tokens) throws Exception {
        neutron.awaitTokens(id, tokens);
    }
}
