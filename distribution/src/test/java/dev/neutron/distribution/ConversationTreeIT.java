package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversation tree over HTTP on the distribution, with the real Ollama behind a recording pass-through: an edited
 * question, a regenerated answer, switching branches, the whole tree, deleting a branch, and reattaching to a
 * regeneration that is still running.
 */
class ConversationTreeIT {
    private static final String COUNTING = "Count from 1 to 1000, one number per line.";

    @TempDir
    java.nio.file.Path temp;

    private RecordingOllamaProxy proxy;
    private NeutronServer neutron;
    private String chat;

    @BeforeEach
    void start() throws Exception {
        proxy = new RecordingOllamaProxy(NeutronServer.ollamaUrl());
        neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", proxy.baseUrl())).start();
        chat = "/api/v1/chat/sessions/" + neutron.json("POST", "/api/v1/chat/sessions",
                Map.of("title", "tree", "model", NeutronServer.model()), 201).get("id").asText();
    }

    @AfterEach
    void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private JsonNode answered(SseClient.Stream stream) {
        assertEquals(200, stream.status(), stream.errorBody());
        assertEquals("done", stream.last().type(), stream.events().toString());
        return stream.last().data().get("message");
    }

    private JsonNode ask(Map<String, Object> body) throws Exception {
        return answered(neutron.sse().post(chat + "/messages", body, null));
    }

    private JsonNode shown() throws Exception {
        return neutron.json("GET", chat, null, 200);
    }

    private static List<String> ids(JsonNode messages) {
        List<String> ids = new ArrayList<>();
        messages.forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** The body of the last chat request that reached Ollama. */
    private JsonNode lastChatRequest() throws Exception {
        List<RecordingOllamaProxy.Recorded> chats = proxy.requests().stream()
                .filter(r -> r.path().equals("/api/chat")).toList();
        return NeutronServer.JSON.readTree(chats.get(chats.size() - 1).body());
    }

    private static List<String> promptContents(JsonNode request) {
        List<String> contents = new ArrayList<>();
        request.get("messages").forEach(m -> contents.add(m.get("role").asText() + ": " + m.get("content").asText()));
        return contents;
    }

    private HttpResponse<String> patchLeaf(String messageId) throws Exception {
        return neutron.send("PATCH", chat, Map.of("activeLeafId", messageId));
    }

    private void awaitIdle() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (shown().get("session").get("generating").asBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), "the chat kept answering");
            Thread.sleep(50);
        }
    }

    private static String errorCode(HttpResponse<String> response) throws Exception {
        return NeutronServer.JSON.readTree(response.body()).path("error").path("code").asText();
    }

    @Test
    void editsRegeneratesSwitchesAndDeletesBranches() throws Exception {
        ask(Map.of("content", "Say hello in one word."));
        JsonNode q1 = shown().get("messages").get(0);
        JsonNode a1 = shown().get("messages").get(1);
        ask(Map.of("content", "Name one colour."));
        JsonNode q2 = shown().get("messages").get(2);
        JsonNode a2 = shown().get("messages").get(3);

        JsonNode a2Edited = ask(Map.of("content", "Name one fruit.", "editOf", q2.get("id").asText()));
        List<String> editedPrompt = promptContents(lastChatRequest());
        assertEquals(List.of("user: Say hello in one word.", "assistant: " + a1.get("content").asText(),
                "user: Name one fruit."), editedPrompt, "the edit replaces the old question in the prompt");
        JsonNode afterEdit = shown().get("messages");
        JsonNode q2Edited = afterEdit.get(2);
        assertEquals(List.of(q1.get("id").asText(), a1.get("id").asText(), q2Edited.get("id").asText(),
                a2Edited.get("id").asText()), ids(afterEdit));
        assertEquals(a1.get("id").asText(), q2Edited.get("parentId").asText());
        assertEquals(List.of(q2.get("id").asText(), q2Edited.get("id").asText()), strings(q2Edited.get("siblingIds")));
        assertEquals(1, q2Edited.get("siblingIndex").asInt());

        JsonNode a2Again = answered(neutron.sse().post(chat + "/messages/" + a2Edited.get("id").asText()
                + "/regenerate", Map.of(), null));
        assertEquals(q2Edited.get("id").asText(), a2Again.get("parentId").asText());
        assertEquals(editedPrompt, promptContents(lastChatRequest()), "the same question asked again");
        JsonNode last = shown().get("messages").get(3);
        assertEquals(a2Again.get("id").asText(), last.get("id").asText());
        assertEquals(List.of(a2Edited.get("id").asText(), a2Again.get("id").asText()), strings(last.get("siblingIds")));
        assertEquals(1, last.get("siblingIndex").asInt());

        HttpResponse<String> switched = patchLeaf(q2.get("id").asText());
        assertEquals(200, switched.statusCode(), switched.body());
        assertEquals(a2.get("id").asText(), NeutronServer.JSON.readTree(switched.body()).get("activeLeafId").asText(),
                "the newest leaf under the old question");
        JsonNode back = shown();
        assertEquals(List.of(q1.get("id").asText(), a1.get("id").asText(), q2.get("id").asText(), a2.get("id").asText()),
                ids(back.get("messages")));
        assertEquals(0, back.get("messages").get(2).get("siblingIndex").asInt());
        assertEquals(a2.get("id").asText(), back.get("session").get("activeLeafId").asText());

        JsonNode tree = neutron.json("GET", chat + "/messages?tree=all", null, 200).get("tree");
        assertEquals(List.of(q1.get("id").asText(), a1.get("id").asText(), q2.get("id").asText(), a2.get("id").asText(),
                q2Edited.get("id").asText(), a2Edited.get("id").asText(), a2Again.get("id").asText()), ids(tree));

        JsonNode deleted = neutron.json("DELETE", chat + "/messages/" + q2Edited.get("id").asText(), null, 200);
        assertEquals(3, deleted.get("deleted").asInt());
        assertEquals(4, deleted.get("session").get("messageCount").asInt());
        assertEquals(a2.get("id").asText(), deleted.get("session").get("activeLeafId").asText());
        assertEquals(4, neutron.json("GET", chat + "?tree=all", null, 200).get("tree").size());
        assertEquals(404, neutron.send("DELETE", chat + "/messages/" + q2Edited.get("id").asText(), null).statusCode());
    }

    @Test
    void aRunningRegenerationCanBeReattachedAndBlocksWhatWouldDisturbIt() throws Exception {
        ask(Map.of("content", "Say hello in one word."));
        JsonNode q1 = shown().get("messages").get(0);
        JsonNode question = neutron.sse().post(chat + "/messages", Map.of("content", COUNTING),
                events -> true).events().get(0).data().get("userMessage");
        neutron.json("POST", chat + "/stop", null, 200);
        awaitIdle();
        String questionId = question.get("id").asText();

        SseClient.Stream firstPart = neutron.sse().post(chat + "/messages/" + questionId + "/regenerate", Map.of(),
                events -> events.stream().filter(e -> e.type().equals("token")).count() >= 2);
        assertTrue(firstPart.disconnected(), "the regeneration was still running: " + firstPart.events());
        JsonNode meta = firstPart.first("meta").data();
        assertEquals(question, meta.get("userMessage"), "meta names the existing question");

        assertEquals("generation_in_progress", errorCode(neutron.send("POST", chat + "/messages/" + questionId
                + "/regenerate", null)));
        assertEquals("generation_in_progress", errorCode(patchLeaf(q1.get("id").asText())));
        assertEquals("generation_in_progress", errorCode(neutron.send("DELETE", chat + "/messages/" + questionId,
                null)));
        assertTrue(shown().get("session").get("generating").asBoolean());
        List<String> shownWhileAnswering = ids(shown().get("messages"));
        assertEquals(questionId, shownWhileAnswering.get(shownWhileAnswering.size() - 1),
                "the question is the active leaf while it is answered again");

        long seen = firstPart.last().id();
        SseClient.Stream reattached = neutron.sse().get(chat + "/stream", seen, events -> true);
        assertTrue(reattached.disconnected(), "still running: " + reattached.events());
        assertEquals(seen + 1, reattached.events().get(0).id(), "the events after the last one seen");
        assertEquals("token", reattached.events().get(0).type());
        neutron.json("POST", chat + "/stop", null, 200);
        SseClient.Stream end = neutron.sse().get(chat + "/stream", reattached.last().id(), null);
        assertEquals(reattached.last().id() + 1, end.events().get(0).id());
        JsonNode answer = answered(end);
        assertTrue(answer.get("content").asText().contains(reattached.events().get(0).text()));
        assertEquals("stopped", answer.get("status").asText());
        assertEquals(questionId, answer.get("parentId").asText());
        assertEquals(meta.get("messageId").asText(), answer.get("id").asText());

        JsonNode after = shown().get("messages");
        JsonNode newest = after.get(after.size() - 1);
        assertEquals(answer.get("id").asText(), newest.get("id").asText());
        assertEquals(2, newest.get("siblingIds").size(), "the stopped first answer and the regenerated one");
        assertEquals(1, newest.get("siblingIndex").asInt());
        assertFalse(shown().get("session").get("generating").asBoolean());
    }
}
