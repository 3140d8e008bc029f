package dev.neutron.http;

import dev.neutron.store.contract.InMemoryChatStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.ChatSession;
import dev.neutron.api.NewSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sessions servlet with its real routing and handlers, over test doubles of the services and the container. */
class SessionsServletTest {
    private final InMemoryChatStore store = InMemoryChatStore.atFixedTime();
    private final FakeChatService chat = new FakeChatService();
    private final FakeAttachmentStore attachments = new FakeAttachmentStore();
    private final ManualScheduler heartbeats = new ManualScheduler();
    private final SseStreams streams = new SseStreams(heartbeats, 15);
    private final SessionsServlet servlet = new SessionsServlet(HttpConfigDefaults.config(), streams);
    private String sessionId;

    @BeforeEach
    void wire() {
        servlet.store = store;
        servlet.chat = chat;
        servlet.attachments = attachments;
        sessionId = store.createSession(new NewSession("First", null)).id();
    }

    private FakeExchange call(FakeExchange exchange) throws Exception {
        servlet.service(exchange.request(), exchange.response());
        return exchange;
    }

    private static JsonNode json(FakeExchange exchange) throws Exception {
        return Json.MAPPER.readTree(exchange.text());
    }

    private static void assertError(FakeExchange exchange, int status, String code) throws Exception {
        assertEquals(status, exchange.status, exchange.text());
        assertEquals(code, json(exchange).path("error").path("code").asText(), exchange.text());
    }

    @Test
    void aNullAmongTheAttachmentIdsIsABadRequestNotACrash() throws Exception {
        // found by schemathesis: {"content":"0","attachments":[null]} was a 500 (NullPointerException)
        FakeExchange sending = call(FakeExchange.sessions("POST", "/" + sessionId + "/messages")
                .json("{\"content\":\"Hi\",\"attachments\":[null]}"));
        assertError(sending, 400, "invalid_request");
        assertTrue(json(sending).path("error").path("message").asText().contains("'attachments'"));
    }

    @Test
    void deactivationEndsEveryOpenStreamSoItsClientCanReattach() throws Exception {
        FakeExchange sending = call(FakeExchange.sessions("POST", "/" + sessionId + "/messages").json("{\"content\":\"Hi\"}"));
        FakeLiveGeneration generation = chat.generations.get(sessionId);
        generation.emit("meta", Map.of());
        FakeExchange watching = call(FakeExchange.sessions("GET", "/" + sessionId + "/stream").header("Last-Event-ID", "1"));
        assertEquals(2, streams.openCount());
        assertEquals(0, sending.async.completions.get());

        servlet.deactivate();

        assertEquals(1, sending.async.completions.get());
        assertEquals(1, watching.async.completions.get());
        assertEquals(0, generation.subscribers());
        assertEquals(0, streams.openCount());
        assertTrue(heartbeats.tasks.stream().allMatch(task -> task.isCancelled()));
        generation.emit("token", Map.of("text", "goes on without the old servlet"));
        assertEquals("retry: 2000\n\nid: 1\nevent: meta\ndata: {}\n\n", sending.text());
    }

    @Test
    void aStreamRequestedWhileDeactivatingIsRefusedAsRetryable() throws Exception {
        call(FakeExchange.sessions("POST", "/" + sessionId + "/messages").json("{\"content\":\"Hi\"}"));
        servlet.deactivate();

        assertError(call(FakeExchange.sessions("GET", "/" + sessionId + "/stream")), 503, "service_unavailable");
    }

    @Test
    void aFinishedStreamLeavesTheOpenSet() throws Exception {
        FakeExchange sending = call(FakeExchange.sessions("POST", "/" + sessionId + "/messages").json("{\"content\":\"Hi\"}"));
        chat.generations.get(sessionId).emit("done", Map.of());

        assertEquals(1, sending.async.completions.get());
        assertEquals(0, streams.openCount());
    }

    @Test
    void createsListsRenamesAndDeletesSessions() throws Exception {
        FakeExchange created = call(FakeExchange.sessions("POST", null).json("{\"title\":\"Second\"}"));
        assertEquals(201, created.status);
        String id = json(created).path("id").asText();
        assertEquals("/api/v1/chat/sessions/" + id, created.responseHeaders.get("Location"));

        FakeExchange listed = call(FakeExchange.sessions("GET", "/"));
        assertEquals(2, json(listed).path("sessions").size());

        FakeExchange renamed = call(FakeExchange.sessions("PATCH", "/" + id).json("{\"title\":\"Renamed\"}"));
        assertEquals("Renamed", json(renamed).path("title").asText());

        attachments.put(id, "att_0000000000000001", "a.txt", new byte[] {1});
        assertEquals(204, call(FakeExchange.sessions("DELETE", "/" + id)).status);
        assertEquals(List.of(id), chat.stopped);
        assertEquals(List.of(id), attachments.deletedSessions);
        assertError(call(FakeExchange.sessions("GET", "/" + id)), 404, "session_not_found");
    }

    @Test
    void refusesATitleOverTheLimitAndAnUnknownMethod() throws Exception {
        String title = "x".repeat(SessionsResource.MAX_TITLE_CHARS + 1);
        assertError(call(FakeExchange.sessions("PATCH", "/" + sessionId).json("{\"title\":\"" + title + "\"}")), 400,
                "invalid_request");

        FakeExchange put = call(FakeExchange.sessions("PUT", "/" + sessionId));
        assertError(put, 405, "method_not_allowed");
        assertEquals("GET, PATCH, DELETE", put.responseHeaders.get("Allow"));
    }

    @Test
    void answersRoutingErrorsAsJson() throws Exception {
        assertError(call(FakeExchange.sessions("GET", "/not-an-id")), 400, "invalid_session_id");
        assertError(call(FakeExchange.sessions("GET", "/" + sessionId + "/nothing")), 404, "not_found");
    }

    @Test
    void sendingNeedsContentAndStreamingNeedsAnAnswerInFlight() throws Exception {
        assertError(call(FakeExchange.sessions("POST", "/" + sessionId + "/messages").json("{\"content\":\" \"}")), 400,
                "invalid_request");
        assertError(call(FakeExchange.sessions("GET", "/" + sessionId + "/stream")), 404, "no_active_generation");
    }

    @Test
    void resumesAfterTheLastEventIdAndStops() throws Exception {
        call(FakeExchange.sessions("POST", "/" + sessionId + "/messages").json("{\"content\":\"Hi\",\"model\":\"m\"}"));
        assertEquals("m", chat.sent.get(0).model());
        FakeLiveGeneration generation = chat.generations.get(sessionId);
        generation.emit("meta", Map.of());
        generation.emit("token", Map.of("text", "a"));

        FakeExchange resumed = call(FakeExchange.sessions("GET", "/" + sessionId + "/stream").header("Last-Event-ID", "1"));
        assertEquals(1, generation.subscribedAfter);
        assertEquals("retry: 2000\n\nid: 2\nevent: token\ndata: {\"text\":\"a\"}\n\n", resumed.text());

        assertError(call(FakeExchange.sessions("GET", "/" + sessionId + "/stream").header("Last-Event-ID", "two")), 400,
                "invalid_request");
        FakeExchange stopped = call(FakeExchange.sessions("POST", "/" + sessionId + "/stop"));
        assertEquals(200, stopped.status);
        assertTrue(json(stopped).path("stopped").asBoolean());
    }

    @Test
    void listsDownloadsAndDeletesAttachments() throws Exception {
        attachments.put(sessionId, "att_0000000000000001", "my notes.txt", "hello".getBytes());
        FakeExchange listed = call(FakeExchange.sessions("GET", "/" + sessionId + "/attachments"));
        assertEquals("my notes.txt", json(listed).path("attachments").get(0).path("fileName").asText());

        FakeExchange downloaded = call(FakeExchange.sessions("GET", "/" + sessionId + "/attachments/att_0000000000000001"));
        assertEquals("hello", downloaded.text());
        assertEquals("text/plain", downloaded.responseContentType);
        assertEquals("attachment; filename*=UTF-8''my%20notes.txt", downloaded.responseHeaders.get("Content-Disposition"));
        assertEquals("default-src 'none'; sandbox", downloaded.responseHeaders.get("Content-Security-Policy"));

        assertEquals(204, call(FakeExchange.sessions("DELETE", "/" + sessionId + "/attachments/att_0000000000000001")).status);
        assertError(call(FakeExchange.sessions("DELETE", "/" + sessionId + "/attachments/att_0000000000000001")), 404,
                "attachment_not_found");
        assertError(call(FakeExchange.sessions("GET", "/" + sessionId + "/attachments/..%2Fx")), 404, "attachment_not_found");
    }

    @Test
    void anUploadMustBeMultipart() throws Exception {
        assertError(call(FakeExchange.sessions("POST", "/" + sessionId + "/attachments").json("{}")), 415,
                "unsupported_media_type");
        FakeExchange get = call(FakeExchange.sessions("GET", "/" + sessionId + "/upload"));
        assertError(get, 405, "method_not_allowed");
        assertEquals("POST", get.responseHeaders.get("Allow"));
    }

    @Test
    void aMissingServiceIsUnavailableAndNamesItsBundle() throws Exception {
        servlet.attachments = null;
        FakeExchange noUploads = call(FakeExchange.sessions("GET", "/" + sessionId + "/attachments"));
        assertError(noUploads, 503, "service_unavailable");
        assertTrue(json(noUploads).path("error").path("message").asText().contains("upload bundle"));

        servlet.chat = null;
        assertEquals(200, call(FakeExchange.sessions("GET", "/")).status);
        assertError(call(FakeExchange.sessions("POST", "/" + sessionId + "/stop")), 503, "service_unavailable");

        servlet.store = null;
        FakeExchange noStore = call(FakeExchange.sessions("GET", "/"));
        assertError(noStore, 503, "service_unavailable");
        assertTrue(json(noStore).path("error").path("message").asText().contains("store bundle"));
    }

    @Test
    void aSessionIdThatDoesNotExistIsNotFoundOnEveryResource() throws Exception {
        String missing = "chat_9999999999999999";
        for (String path : List.of("", "/messages", "/stream", "/attachments", "/attachments/att_0000000000000001")) {
            assertError(call(FakeExchange.sessions("GET", "/" + missing + path)), 404, "session_not_found");
        }
        assertTrue(store.findSession(missing).map(ChatSession::id).isEmpty());
    }
}
