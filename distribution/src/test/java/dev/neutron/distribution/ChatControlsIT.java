package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat controls on the distribution: a chat's system prompt and model options reach the real Ollama (recorded by a
 * pass-through) and make its answer repeatable; titles, provisional then written by the model; an image refused for a
 * model without vision; and thinking, end to end against a scripted fake of Ollama (no model here thinks on cue).
 */
class ChatControlsIT {
    private static final String SYSTEM_PROMPT = "You answer in one short sentence.";
    private static final String TITLE_INSTRUCTION = "You name chat conversations.";
    private static final int TITLE_SECONDS = 300;

    @TempDir
    Path temp;

    private RecordingOllamaProxy proxy;
    private ScriptedThinkingOllama scripted;
    private NeutronServer neutron;

    @AfterEach
    void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (scripted != null) {
            scripted.close();
        }
    }

    private void startWithRealOllama() throws Exception {
        proxy = new RecordingOllamaProxy(NeutronServer.ollamaUrl());
        neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", proxy.baseUrl())).start();
    }

    private String newChat(Map<String, Object> fields) throws Exception {
        return "/api/v1/chat/sessions/" + neutron.json("POST", "/api/v1/chat/sessions", fields, 201).get("id").asText();
    }

    private JsonNode answered(SseClient.Stream stream) {
        assertEquals(200, stream.status(), stream.errorBody());
        assertEquals("done", stream.last().type(), stream.events().toString());
        return stream.last().data().get("message");
    }

    private JsonNode session(String chat) throws Exception {
        return neutron.json("GET", chat, null, 200).get("session");
    }

    /** The bodies of the chat requests that reached Ollama, in order. */
    private List<JsonNode> chatRequests() throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (RecordingOllamaProxy.Recorded recorded : proxy.requests()) {
            if (recorded.path().equals("/api/chat")) {
                bodies.add(NeutronServer.JSON.readTree(recorded.body()));
            }
        }
        return bodies;
    }

    private static boolean isTitleRequest(JsonNode body) {
        return body.path("messages").path(0).path("content").asText().startsWith(TITLE_INSTRUCTION);
    }

    @Test
    void aChatsSystemPromptAndOptionsReachOllamaAndTheSameSeedGivesTheSameAnswer() throws Exception {
        startWithRealOllama();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("temperature", 0);
        options.put("seed", 42);
        options.put("num_ctx", 2048);
        options.put("num_predict", 16);
        options.put("stop", List.of("STOP-HERE"));
        String chat = newChat(Map.of("title", "controls", "model", NeutronServer.model(), "systemPrompt", SYSTEM_PROMPT,
                "options", options));

        SseClient.Stream first = neutron.sse().post(chat + "/messages", Map.of("content", "Name a colour."), null);
        JsonNode answer = answered(first);

        JsonNode sent = chatRequests().get(0);
        assertEquals(NeutronServer.JSON.readTree("{\"role\":\"system\",\"content\":\"" + SYSTEM_PROMPT + "\"}"),
                sent.get("messages").get(0));
        JsonNode sentOptions = sent.get("options");
        assertEquals(0.0, sentOptions.get("temperature").asDouble());
        assertEquals(42, sentOptions.get("seed").asInt());
        assertEquals(2048, sentOptions.get("num_ctx").asInt());
        assertEquals(16, sentOptions.get("num_predict").asInt());
        assertEquals(NeutronServer.JSON.readTree("[\"STOP-HERE\"]"), sentOptions.get("stop"));
        assertEquals(5, sentOptions.size(), sentOptions.toString());
        JsonNode meta = first.first("meta").data();
        assertEquals(sentOptions, meta.get("options"), "meta shows the options as sent");
        assertTrue(meta.get("think").isNull());
        assertEquals(2048, meta.get("contextWindow").asInt());
        assertEquals(sentOptions, answer.get("stats").get("options"));
        assertFalse(answer.get("content").asText().isBlank());

        JsonNode again = answered(neutron.sse().post(chat + "/messages/" + answer.get("id").asText() + "/regenerate",
                Map.of(), null));

        assertEquals(sent, chatRequests().get(1), "the same request again");
        assertEquals(answer.get("content").asText(), again.get("content").asText(),
                "seed 42 at temperature 0 gives the same answer");
        assertEquals(2, chatRequests().size(), "a titled chat asks for no title");
    }

    /**
     * With a longer time for titles than the default 30 s (from a {@code .cfg} in a private copy's deploy/): the shared
     * test Ollama serves other tests at once and reloads models for their windows, so a title can take that long here.
     */
    private void startWithRealOllamaAndPatientTitles() throws Exception {
        proxy = new RecordingOllamaProxy(NeutronServer.ollamaUrl());
        Path distribution = NeutronServer.privateCopyOfTheDistribution(temp);
        Path staged = distribution.resolve("dev.neutron.chat.cfg.tmp");
        Files.writeString(staged, "titleTimeoutSeconds=" + TITLE_SECONDS + "\n", StandardCharsets.UTF_8);
        Files.move(staged, distribution.resolve("deploy/dev.neutron.chat.cfg"), StandardCopyOption.ATOMIC_MOVE);
        neutron = new NeutronServer(distribution, temp.resolve("data"), Map.of("OLLAMA_HOST", proxy.baseUrl())).start();
        String applied = "within " + TITLE_SECONDS + " s";
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!logged(applied)) {
            assertTrue(Instant.now().isBefore(deadline), "Neutron never logged '" + applied + "'");
            Thread.sleep(50);
        }
    }

    private boolean logged(String text) throws IOException {
        try (Stream<Path> logs = Files.list(temp.resolve("logs"))) {
            for (Path log : (Iterable<Path>) logs::iterator) {
                if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aNewChatIsTitledByItsFirstQuestionThenByItsModelAndAUsersNameIsKept() throws Exception {
        startWithRealOllamaAndPatientTitles();
        String named = newChat(Map.of("model", NeutronServer.model()));
        neutron.json("PATCH", named, Map.of("title", "My own name"), 200);
        answered(neutron.sse().post(named + "/messages", Map.of("content", "Say hi."), null));

        String chat = newChat(Map.of("model", NeutronServer.model()));
        JsonNode created = session(chat);
        assertEquals("New chat", created.get("title").asText());
        assertTrue(created.get("autoTitle").asBoolean());
        String question = "What colour is the sky on a clear day?";
        SseClient.Stream started = neutron.sse().post(chat + "/messages", Map.of("content", question),
                events -> !events.isEmpty());
        assertEquals("meta", started.events().get(0).type());
        assertEquals(question, session(chat).get("title").asText(), "the provisional title, before the answer");

        Instant deadline = Instant.now().plus(Duration.ofSeconds(TITLE_SECONDS + 120));
        JsonNode titled = session(chat);
        while (titled.get("title").asText().equals(question)) {
            assertTrue(Instant.now().isBefore(deadline), "no title from the model: " + titled + "; title requests: "
                    + chatRequests().stream().filter(ChatControlsIT::isTitleRequest).toList());
            Thread.sleep(200);
            titled = session(chat);
        }

        String title = titled.get("title").asText();
        assertFalse(title.isBlank());
        assertTrue(title.length() <= 60, title);
        assertFalse(title.contains("\n"), title);
        assertFalse(title.startsWith("\""), title);
        assertTrue(titled.get("autoTitle").asBoolean());
        List<JsonNode> titleRequests = chatRequests().stream().filter(ChatControlsIT::isTitleRequest).toList();
        assertEquals(1, titleRequests.size(), "only the chat without a user's name was titled");
        JsonNode titleRequest = titleRequests.get(0);
        assertTrue(titleRequest.get("messages").get(1).get("content").asText().startsWith("Question: " + question),
                titleRequest.toString());
        assertEquals(24, titleRequest.get("options").get("num_predict").asInt());

        JsonNode kept = session(named);
        assertEquals("My own name", kept.get("title").asText());
        assertFalse(kept.get("autoTitle").asBoolean());
        JsonNode listed = neutron.json("GET", "/api/v1/chat/sessions", null, 200).get("sessions");
        List<String> titles = new ArrayList<>();
        listed.forEach(s -> titles.add(s.get("title").asText()));
        assertTrue(titles.contains(title) && titles.contains("My own name"), titles.toString());
    }

    @Test
    void anImageForAChatWhoseModelCannotSeeIsRefusedAtUpload() throws Exception {
        startWithRealOllama();
        String chat = newChat(Map.of("title", "pictures", "model", NeutronServer.model()));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1};

        HttpResponse<String> refused = upload(chat, "photo.png", png);

        assertEquals(415, refused.statusCode(), refused.body());
        JsonNode error = NeutronServer.JSON.readTree(refused.body()).get("error");
        assertEquals("unsupported_file_type", error.get("code").asText());
        assertEquals("Model '" + NeutronServer.model() + "' cannot read images (it lacks the vision capability), so"
                + " photo.png was not attached. Pick a vision model for this chat (for example llava), then attach the"
                + " image again.", error.get("message").asText());
        assertEquals(0, neutron.json("GET", chat + "/attachments", null, 200).get("attachments").size());
        assertEquals(201, upload(chat, "notes.txt", "plain text".getBytes(StandardCharsets.UTF_8)).statusCode());
    }

    private HttpResponse<String> upload(String chat, String fileName, byte[] content) throws Exception {
        return neutron.upload(chat.substring(chat.lastIndexOf('/') + 1), fileName, content);
    }

    @Test
    void thinkingStreamsAsItsOwnEventsIsStoredApartAndIsNeverSentBackScriptedUpstream() throws Exception {
        scripted = new ScriptedThinkingOllama();
        neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", scripted.baseUrl())).start();
        String chat = newChat(Map.of("title", "thinking", "model", ScriptedThinkingOllama.MODEL, "think", true));

        SseClient.Stream stream = neutron.sse().post(chat + "/messages", Map.of("content", "Pick a number."), null);
        JsonNode answer = answered(stream);

        assertEquals(List.of("meta", "thinking", "thinking", "thinking", "token", "done"),
                stream.events().stream().map(SseClient.Event::type).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), stream.events().stream().map(SseClient.Event::id).toList());
        assertEquals(" a number;", stream.events().get(2).text());
        assertTrue(stream.first("meta").data().get("think").asBoolean());
        String thinking = String.join("", ScriptedThinkingOllama.THINKING);
        assertEquals(thinking, answer.get("thinking").asText());
        assertEquals(ScriptedThinkingOllama.ANSWER, answer.get("content").asText());
        assertTrue(answer.get("stats").get("thinkingMs").asLong() >= 0, answer.toString());
        JsonNode stored = neutron.json("GET", chat, null, 200).get("messages").get(1);
        assertEquals(thinking, stored.get("thinking").asText());
        assertEquals(ScriptedThinkingOllama.ANSWER, stored.get("content").asText());

        SseClient.Stream replayed = neutron.sse().get(chat + "/stream", 1L, null);
        assertEquals(stream.events().subList(1, 6), replayed.events(), "a client that reattaches gets the thinking");

        answered(neutron.sse().post(chat + "/messages", Map.of("content", "Another one?"), null));
        List<String> bodies = scripted.chatBodies();
        assertEquals(2, bodies.size());
        JsonNode second = NeutronServer.JSON.readTree(bodies.get(1));
        assertEquals(NeutronServer.JSON.readTree("[{\"role\":\"user\",\"content\":\"Pick a number.\"},"
                + "{\"role\":\"assistant\",\"content\":\"Seven.\"},{\"role\":\"user\",\"content\":\"Another one?\"}]"),
                second.get("messages"));
        assertTrue(second.get("think").asBoolean());
        assertFalse(bodies.get(1).contains("seven is fine"), "the thinking never goes back to the model");
        assertNotEquals(-1, bodies.get(0).indexOf("\"think\":true"));
    }
}
