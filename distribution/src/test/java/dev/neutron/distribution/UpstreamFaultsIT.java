package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the model backend and of clients, against the distribution and {@link ScriptedFastOllama} (the real
 * Ollama killed mid-answer is {@code ChatStreamingIT}), and the OpenAI-compatible provider bundle removed from
 * {@code deploy/} mid-answer (as in {@code HotDeployIT}, here answering from the fake's {@code /v1}).
 * Each fault ends the answer with a clear SSE event, keeps the partial answer in the chat, and, repeated, leaks no
 * thread, connection or file handle: counted in {@code /proc/<pid>} before and after, once the process has settled.
 */
class UpstreamFaultsIT {
    /** Times each fault is repeated: a leak of one handle per fault shows as at least this many. */
    private static final int REPEATS = Integer.getInteger("neutron.faults.repeats", 3);
    /** Neutron's silence limit for this test, short so that a stalled backend is given up on quickly. */
    private static final int IDLE_TIMEOUT_MS = 4_000;
    /** Connections and pool threads that may come and go on their own (the test's own keep-alive connection, say). */
    private static final int SLACK = 3;

    private static final String OPENAI_JAR = "neutron-provider-openai.jar";
    private static final String OPENAI_PREFIX = "scripted-openai";
    private static final String OPENAI_MODEL = OPENAI_PREFIX + "/" + ScriptedFastOllama.MODEL;

    @TempDir
    static Path temp;
    private static Path deploy;
    private static ScriptedFastOllama ollama;
    private static NeutronServer neutron;

    @BeforeAll
    static void start() throws Exception {
        ollama = new ScriptedFastOllama();
        Path distribution = NeutronServer.privateCopyOfTheDistribution(temp);
        deploy = distribution.resolve("deploy");
        NeutronServer.dropIn(deploy, "dev.neutron.provider.ollama.cfg", ("baseUrl=" + ollama.baseUrl() + "\nidleTimeoutMs="
                + IDLE_TIMEOUT_MS + "\n").getBytes(StandardCharsets.UTF_8));
        NeutronServer.dropIn(deploy, "dev.neutron.provider.openai-scripted.cfg", ("baseUrl=" + ollama.baseUrl() + "/v1\n"
                + "displayPrefix=" + OPENAI_PREFIX + "\n").getBytes(StandardCharsets.UTF_8));
        neutron = new NeutronServer(distribution, temp.resolve("data"), Map.of()).start();
        awaitScriptedModelListed();
    }

    @AfterAll
    static void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    /** OLLAMA_HOST points nowhere, so the model is listed only once the .cfg (with the short idle timeout) is applied. */
    private static void awaitScriptedModelListed() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!neutron.json("GET", "/api/v1/chat/models", null, 200).toString().contains(ScriptedFastOllama.MODEL)) {
            assertTrue(System.nanoTime() < deadline, "the Ollama provider never took its .cfg from deploy/");
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    @Test
    void eachFaultEndsClearlyKeepsThePartialAnswerAndLeaksNothing() throws Exception {
        ProcessGauges gauges = new ProcessGauges(neutron.pid());
        allFaultsOnce(); // warms up every pool the faults use, so that the baseline holds their threads
        ProcessGauges.Reading before = gauges.settleTo(Integer.MAX_VALUE, Integer.MAX_VALUE, 0);
        for (int i = 0; i < REPEATS; i++) {
            allFaultsOnce();
        }
        ProcessGauges.Reading after = gauges.settleTo(before.fds() + SLACK, before.threads() + SLACK, 90);
        System.out.printf("Upstream faults: %d rounds of 8 faults; before: %s; after: %s%n", REPEATS, before, after);
        assertTrue(after.fds() <= before.fds() + SLACK, "file descriptors: " + before.fds() + " before, " + after.fds() + " after");
        assertTrue(after.threads() <= before.threads() + SLACK, "threads: " + before.threads() + " before, " + after.threads()
                + " after");
    }

    private void allFaultsOnce() throws Exception {
        stalledMidAnswer();
        errorLineMidAnswer();
        connectionCutMidAnswer();
        ollamaStoppedMidAnswerThenRestarted();
        clientDisconnectsMidAnswer();
        clientThatNeverReads();
        normalAnswer();
        providerBundleRemovedMidAnswer();
    }

    private void stalledMidAnswer() throws Exception {
        String id = neutron.createSession("stall");
        SseClient.Stream stream = send(id, "Think " + ScriptedFastOllama.STALL);
        assertPartialKept(id, stream, "provider_timeout");
    }

    private void errorLineMidAnswer() throws Exception {
        String id = neutron.createSession("error");
        SseClient.Stream stream = send(id, "Think " + ScriptedFastOllama.ERROR);
        JsonNode error = assertPartialKept(id, stream, "provider_error");
        assertTrue(error.get("message").asText().contains(ScriptedFastOllama.ERROR_TEXT), error.toString());
    }

    private void connectionCutMidAnswer() throws Exception {
        String id = neutron.createSession("cut");
        SseClient.Stream stream = send(id, "Think " + ScriptedFastOllama.CUT);
        // a connection reset may take the last lines still unread with it, so there may be no tokens at all
        assertPartialKept(id, stream, "provider_error", false);
    }

    private void ollamaStoppedMidAnswerThenRestarted() throws Exception {
        String id = neutron.createSession("stopped");
        CompletableFuture<SseClient.Stream> reading = sendInBackground(id, Map.of("content", "Count " + ScriptedFastOllama.SLOW,
                "model", ScriptedFastOllama.MODEL));
        neutron.awaitTokens(id, 3);
        ollama.stop();
        SseClient.Stream stream = reading.get(60, TimeUnit.SECONDS);
        String code = stream.last().data().path("error").path("code").asText();
        assertTrue(List.of("provider_error", "provider_unreachable").contains(code), stream.last().data().toString());
        assertPartialKept(id, stream, code);

        // Refused up front (503) when Neutron already knows; while its model list is cached it finds out on sending,
        // so the answer ends at once with the same error, stored as such with the question
        SseClient.Stream refused = send(id, "Still there?");
        String refusal = refused.status() == 200 ? refused.last().data().get("error").get("code").asText()
                : NeutronServer.JSON.readTree(refused.errorBody()).get("error").get("code").asText();
        assertEquals("provider_unreachable", refusal, refused.events() + " " + refused.errorBody());
        assertTrue(refused.status() == 503 || "error".equals(refused.last().type()), refused.events().toString());
        ollama.restart();
        SseClient.Stream again = send(id, "Back again?");
        assertEquals("done", again.last().type(), again.events().toString());
        assertEquals(ScriptedFastOllama.answerTo("Back again?"), again.last().data().get("message").get("content").asText());
    }

    /** The OpenAI-compatible provider bundle dropped into deploy/, then deleted from it while it answers. */
    private void providerBundleRemovedMidAnswer() throws Exception {
        NeutronServer.dropIn(deploy, OPENAI_JAR, Files.readAllBytes(NeutronServer.extraBundle(OPENAI_JAR)));
        awaitModelListed(OPENAI_MODEL, true);
        String id = neutron.createSession("removed");
        CompletableFuture<SseClient.Stream> reading = sendInBackground(id, Map.of("content", "Count " + ScriptedFastOllama.SLOW,
                "model", OPENAI_MODEL));
        neutron.awaitTokens(id, 3);
        Files.delete(deploy.resolve(OPENAI_JAR));
        assertPartialKept(id, reading.get(60, TimeUnit.SECONDS), "provider_removed");
        awaitModelListed(OPENAI_MODEL, false);
    }

    private static void awaitModelListed(String model, boolean listed) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (neutron.json("GET", "/api/v1/chat/models", null, 200).toString().contains("\"" + model + "\"") != listed) {
            assertTrue(System.nanoTime() < deadline, model + (listed ? " never listed" : " still listed"));
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static CompletableFuture<SseClient.Stream> sendInBackground(String id, Map<String, Object> message) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return neutron.sse().post(messages(id), message, null);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private void clientDisconnectsMidAnswer() throws Exception {
        String id = neutron.createSession("disconnect");
        SseClient.Stream partial = neutron.sse().post(messages(id), Map.of("content", "Count " + ScriptedFastOllama.SLOW,
                "model", ScriptedFastOllama.MODEL), events -> events.size() >= 4);
        assertTrue(partial.disconnected());
        JsonNode answer = awaitIdle(id).get(1);
        assertEquals("complete", answer.get("status").asText(), "the answer goes on without its client");
        assertEquals(ScriptedFastOllama.slowAnswer(), answer.get("content").asText());
    }

    /** Sends the question over a raw socket and never reads: the 1.2 MB answer must not wait for that client. */
    private void clientThatNeverReads() throws Exception {
        String id = neutron.createSession("never reads");
        byte[] body = NeutronServer.JSON.writeValueAsBytes(Map.of("content", "Tell " + ScriptedFastOllama.BIG,
                "model", ScriptedFastOllama.MODEL));
        int port = java.net.URI.create(neutron.baseUrl()).getPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setReceiveBufferSize(4096);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + messages(id) + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Accept: text/event-stream\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            JsonNode messages = awaitIdle(id);
            while (messages.size() < 2) { // the request may not have reached the chat engine yet
                TimeUnit.MILLISECONDS.sleep(20);
                messages = awaitIdle(id);
            }
            JsonNode answer = messages.get(1);
            assertEquals("complete", answer.get("status").asText(), answer.get("error") + " after "
                    + answer.get("content").asText().length() + " characters");
            assertEquals(ScriptedFastOllama.bigAnswer(), answer.get("content").asText());
        }
    }

    private void normalAnswer() throws Exception {
        String id = neutron.createSession("normal");
        SseClient.Stream stream = send(id, "All well?");
        assertEquals("done", stream.last().type(), stream.events().toString());
        assertEquals(ScriptedFastOllama.answerTo("All well?"), stream.last().data().get("message").get("content").asText());
    }

    /** The stream ended with an error event of {@code code}, and the chat keeps exactly the tokens streamed before it. */
    private static JsonNode assertPartialKept(String id, SseClient.Stream stream, String code) throws Exception {
        return assertPartialKept(id, stream, code, true);
    }

    private static JsonNode assertPartialKept(String id, SseClient.Stream stream, String code, boolean tokensCame)
            throws Exception {
        assertEquals(200, stream.status(), stream.errorBody());
        SseClient.Event last = stream.last();
        assertEquals("error", last.type(), stream.events().toString());
        JsonNode error = last.data().get("error");
        assertEquals(code, error.get("code").asText(), last.data().toString());
        assertFalse(error.get("message").asText().isBlank(), last.data().toString());
        assertTrue(!tokensCame || !stream.tokens().isEmpty(), "tokens came before the fault: " + stream.events());
        JsonNode kept = awaitIdle(id).get(1);
        assertEquals("error", kept.get("status").asText(), kept.toString());
        assertEquals(code, kept.get("error").get("code").asText(), kept.toString());
        assertEquals(stream.tokens(), kept.get("content").asText(), "the partial answer is kept");
        return error;
    }

    private static SseClient.Stream send(String id, String content) throws Exception {
        return neutron.sse().post(messages(id), Map.of("content", content, "model", ScriptedFastOllama.MODEL), null);
    }

    private static String messages(String id) {
        return "/api/v1/chat/sessions/" + id + "/messages";
    }

    private static JsonNode awaitIdle(String id) throws Exception {
        return neutron.awaitIdle(id).get("messages");
    }
}
