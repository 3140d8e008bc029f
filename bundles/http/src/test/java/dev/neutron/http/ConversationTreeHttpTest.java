package dev.neutron.http;

import dev.neutron.store.contract.InMemoryChatStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NewSession;
import dev.neutron.api.SendMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tree endpoints through the sessions servlet: sibling information, {@code ?tree=all}, switching and deleting
 * branches, regenerating, and sending with {@code parentId}/{@code editOf}, over a tree-aware in-memory store.
 */
class ConversationTreeHttpTest {
    private final InMemoryChatStore store = InMemoryChatStore.atFixedTime();
    private final FakeChatService chat = new FakeChatService();
    private final SseStreams streams = new SseStreams(new ManualScheduler(), 15);
    private final SessionsServlet servlet = new SessionsServlet(HttpConfigDefaults.config(), streams);
    private String sessionId;

    @BeforeEach
    void wire() {
        servlet.store = store;
        servlet.chat = chat;
        servlet.attachments = new FakeAttachmentStore();
        sessionId = store.createSession(new NewSession("Tree", null)).id();
    }

    /** Appends as the engine does; {@code parentId} null follows the active leaf. */
    private String append(String id, MessageRole role, String parentId) {
        return store.appendMessage(sessionId, new ChatMessage(id, role, id, "m", Instant.EPOCH, MessageStatus.complete,
                List.of(), null, null, parentId)).id();
    }

    /** q1 ─ a1 ─ q2 ─ a2 and a second answer a2b to q2, shown. */
    private void regeneratedChat() {
        append("msg_q1", MessageRole.user, null);
        append("msg_a1", MessageRole.assistant, null);
        append("msg_q2", MessageRole.user, null);
        append("msg_a2", MessageRole.assistant, null);
        append("msg_a2b", MessageRole.assistant, "msg_q2");
    }

    private FakeExchange call(FakeExchange exchange) throws Exception {
        servlet.service(exchange.request(), exchange.response());
        return exchange;
    }

    private String path(String rest) {
        return "/" + sessionId + rest;
    }

    private static JsonNode json(FakeExchange exchange) throws Exception {
        return Json.MAPPER.readTree(exchange.text());
    }

    private static void assertError(FakeExchange exchange, int status, String code) throws Exception {
        assertEquals(status, exchange.status, exchange.text());
        assertEquals(code, json(exchange).path("error").path("code").asText(), exchange.text());
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.path(field).asText()));
        return values;
    }

    @Test
    void theActivePathCarriesSiblingsAndTheSessionItsLeaf() throws Exception {
        regeneratedChat();

        JsonNode body = json(call(FakeExchange.sessions("GET", path(""))));

        JsonNode messages = body.path("messages");
        assertEquals(List.of("msg_q1", "msg_a1", "msg_q2", "msg_a2b"), texts(messages, "id"));
        assertEquals("[\"msg_a2\",\"msg_a2b\"]", messages.get(3).path("siblingIds").toString());
        assertEquals(1, messages.get(3).path("siblingIndex").asInt());
        assertEquals("[\"msg_q1\"]", messages.get(0).path("siblingIds").toString());
        assertEquals(0, messages.get(0).path("siblingIndex").asInt());
        assertEquals("msg_q2", messages.get(3).path("parentId").asText());
        assertEquals("msg_a2b", body.path("session").path("activeLeafId").asText());
        assertTrue(body.path("tree").isMissingNode(), "the whole tree only when asked for");
    }

    @Test
    void treeAllAddsEveryMessageInAppendOrderAndOtherValuesAreRefused() throws Exception {
        regeneratedChat();

        for (String resource : List.of("", "/messages")) {
            JsonNode body = json(call(FakeExchange.sessions("GET", path(resource)).parameter("tree", "all")));
            assertEquals(List.of("msg_q1", "msg_a1", "msg_q2", "msg_a2", "msg_a2b"), texts(body.path("tree"), "id"));
            assertEquals("msg_q2", body.path("tree").get(3).path("parentId").asText());
            assertTrue(body.path("tree").get(3).path("siblingIds").isMissingNode(), "plain messages in the tree");
            assertEquals(4, body.path("messages").size());
            assertError(call(FakeExchange.sessions("GET", path(resource)).parameter("tree", "yes")), 400,
                    "invalid_request");
        }
    }

    @Test
    void anEmptyChatHasNoLeaf() throws Exception {
        JsonNode body = json(call(FakeExchange.sessions("GET", path(""))));
        assertTrue(body.path("session").path("activeLeafId").isNull());
        assertEquals(0, body.path("messages").size());
    }

    @Test
    void patchingTheActiveLeafShowsTheNewestLeafUnderThatMessage() throws Exception {
        regeneratedChat();
        append("msg_q2b", MessageRole.user, "msg_a1");

        FakeExchange switched = call(FakeExchange.sessions("PATCH", path("")).json("{\"activeLeafId\":\"msg_q2\"}"));

        assertEquals(200, switched.status, switched.text());
        assertEquals("msg_a2b", json(switched).path("activeLeafId").asText());
        assertEquals("Tree", json(switched).path("title").asText());
        assertEquals(List.of("msg_q1", "msg_a1", "msg_q2", "msg_a2b"),
                store.messages(sessionId).stream().map(ChatMessage::id).toList());

        FakeExchange renamedToo = call(FakeExchange.sessions("PATCH", path(""))
                .json("{\"activeLeafId\":\"msg_a2\",\"title\":\"Renamed\"}"));
        assertEquals("msg_a2", json(renamedToo).path("activeLeafId").asText());
        assertEquals("Renamed", json(renamedToo).path("title").asText());
    }

    @Test
    void patchingTheActiveLeafRefusesUnknownIdsAndAChatThatIsAnswering() throws Exception {
        regeneratedChat();
        assertError(call(FakeExchange.sessions("PATCH", path("")).json("{\"activeLeafId\":\"msg_none\"}")), 404,
                "message_not_found");
        assertError(call(FakeExchange.sessions("PATCH", path("")).json("{\"activeLeafId\":7}")), 400, "invalid_request");
        assertError(call(FakeExchange.sessions("PATCH", path("")).json("{\"leaf\":\"msg_q1\"}")), 400, "invalid_request");

        call(FakeExchange.sessions("POST", path("/messages")).json("{\"content\":\"q3\"}"));
        assertError(call(FakeExchange.sessions("PATCH", path("")).json("{\"activeLeafId\":\"msg_a2\"}")), 409,
                "generation_in_progress");
        assertEquals("msg_a2b", store.findSession(sessionId).orElseThrow().activeLeafId(), "nothing switched");
    }

    @Test
    void deletingABranchRemovesItAndEverythingUnderIt() throws Exception {
        regeneratedChat();

        FakeExchange deleted = call(FakeExchange.sessions("DELETE", path("/messages/msg_q2")));

        assertEquals(200, deleted.status, deleted.text());
        assertEquals(3, json(deleted).path("deleted").asInt());
        assertEquals("msg_a1", json(deleted).path("session").path("activeLeafId").asText());
        assertEquals(2, json(deleted).path("session").path("messageCount").asInt());
        assertEquals(List.of("msg_q1", "msg_a1"), store.allMessages(sessionId).stream().map(ChatMessage::id).toList());
        assertError(call(FakeExchange.sessions("DELETE", path("/messages/msg_q2"))), 404, "message_not_found");
        FakeExchange get = call(FakeExchange.sessions("GET", path("/messages/msg_q1")));
        assertError(get, 405, "method_not_allowed");
        assertEquals("DELETE", get.responseHeaders.get("Allow"));
    }

    @Test
    void theBranchOfTheAnswerInFlightCannotBeDeletedButOthersCan() throws Exception {
        regeneratedChat();
        call(FakeExchange.sessions("POST", path("/messages/msg_a2/regenerate")));
        chat.generations.get(sessionId).userMessageId = "msg_q2";

        assertError(call(FakeExchange.sessions("DELETE", path("/messages/msg_a1"))), 409, "generation_in_progress");
        assertError(call(FakeExchange.sessions("DELETE", path("/messages/msg_q2"))), 409, "generation_in_progress");
        assertEquals(5, store.allMessages(sessionId).size());

        FakeExchange other = call(FakeExchange.sessions("DELETE", path("/messages/msg_a2")));
        assertEquals(200, other.status, other.text());
        assertEquals(1, json(other).path("deleted").asInt());
        assertTrue(json(other).path("session").path("generating").asBoolean());
    }

    @Test
    void regenerateStreamsLikeASendWithAnOptionalModel() throws Exception {
        regeneratedChat();
        FakeExchange noBody = call(FakeExchange.sessions("POST", path("/messages/msg_a2/regenerate")));
        chat.generations.get(sessionId).emit("meta", Map.of());
        assertEquals("retry: 2000\n\nid: 1\nevent: meta\ndata: {}\n\n", noBody.text());
        chat.generations.get(sessionId).emit("done", Map.of());

        call(FakeExchange.sessions("POST", path("/messages/msg_q2/regenerate")).json("{}"));
        call(FakeExchange.sessions("POST", path("/messages/msg_q2/regenerate")).json("{\"model\":\"other\"}"));

        assertEquals(List.of(Arrays.asList(sessionId, "msg_a2", null), Arrays.asList(sessionId, "msg_q2", null),
                List.of(sessionId, "msg_q2", "other")), chat.regenerated);
        assertError(call(FakeExchange.sessions("POST", path("/messages/msg_q2/regenerate")).json("{\"content\":\"x\"}")),
                400, "invalid_request");
        assertError(call(FakeExchange.sessions("GET", path("/messages/msg_q2/regenerate"))), 405, "method_not_allowed");
        assertError(call(FakeExchange.sessions("POST", "/chat_9999999999999999/messages/msg_q2/regenerate")), 404,
                "session_not_found");
    }

    @Test
    void sendPassesParentIdAndEditOfToTheEngine() throws Exception {
        call(FakeExchange.sessions("POST", path("/messages")).json("{\"content\":\"x\",\"parentId\":\"msg_a1\"}"));
        call(FakeExchange.sessions("POST", path("/messages")).json("{\"content\":\"y\",\"editOf\":\"msg_q2\"}"));
        call(FakeExchange.sessions("POST", path("/messages")).json("{\"content\":\"z\"}"));

        assertEquals(List.of(new SendMessage("x", null, null, "msg_a1", null),
                new SendMessage("y", null, null, null, "msg_q2"), new SendMessage("z", null, null, null, null)), chat.sent);
        assertError(call(FakeExchange.sessions("POST", path("/messages")).json("{\"content\":\"x\",\"parentId\":1}")),
                400, "invalid_request");
    }
}
