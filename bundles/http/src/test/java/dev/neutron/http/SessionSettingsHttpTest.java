package dev.neutron.http;

import dev.neutron.store.contract.InMemoryChatStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A chat's system prompt, options and thinking, and whose its title is, through the sessions API. */
class SessionSettingsHttpTest {
    private final InMemoryChatStore store = InMemoryChatStore.atFixedTime();
    private final SessionsServlet servlet = new SessionsServlet(HttpConfigDefaults.config(),
            new SseStreams(new ManualScheduler(), 15));

    @BeforeEach
    void wire() {
        servlet.store = store;
        servlet.chat = new FakeChatService();
        servlet.attachments = new FakeAttachmentStore();
    }

    private FakeExchange call(FakeExchange exchange) throws Exception {
        servlet.service(exchange.request(), exchange.response());
        return exchange;
    }

    private JsonNode ok(FakeExchange exchange, int status) throws Exception {
        assertEquals(status, exchange.status, exchange.text());
        return Json.MAPPER.readTree(exchange.text());
    }

    private String refused(FakeExchange exchange) throws Exception {
        assertEquals(400, exchange.status, exchange.text());
        JsonNode error = Json.MAPPER.readTree(exchange.text()).path("error");
        assertEquals("invalid_request", error.path("code").asText());
        return error.path("message").asText();
    }

    private FakeExchange patch(String id, String json) throws Exception {
        return call(FakeExchange.sessions("PATCH", "/" + id).json(json));
    }

    @Test
    void aNewChatShowsItsSettingsAndThatItsTitleIsNeutrons() throws Exception {
        JsonNode created = ok(call(FakeExchange.sessions("POST", null).json("{\"systemPrompt\":\"Be brief.\","
                + "\"options\":{\"temperature\":0.2,\"seed\":42,\"stop\":[\"END\"]},\"think\":true}")), 201);

        assertEquals("New chat", created.get("title").asText());
        assertTrue(created.get("autoTitle").asBoolean());
        assertEquals("Be brief.", created.get("systemPrompt").asText());
        assertEquals(Json.MAPPER.readTree("{\"seed\":42,\"stop\":[\"END\"],\"temperature\":0.2}"), created.get("options"));
        assertTrue(created.get("think").isBoolean());
        assertTrue(created.get("think").asBoolean());
        assertEquals(new ChatSettings("Be brief.", Map.of("temperature", 0.2, "seed", 42, "stop", List.of("END")), "true"),
                store.findSession(created.get("id").asText()).orElseThrow().settings());
    }

    @Test
    void aChatWithoutSettingsShowsTheDefaultsAsNullAndEmpty() throws Exception {
        JsonNode created = ok(call(FakeExchange.sessions("POST", null).json("{\"title\":\"Mine\"}")), 201);

        assertTrue(created.get("systemPrompt").isNull());
        assertEquals(0, created.get("options").size());
        assertTrue(created.get("think").isNull());
        assertFalse(created.get("autoTitle").asBoolean(), "a title given at creation is the user's");
    }

    @Test
    void aPatchReplacesTheFieldsItHasResetsThoseItNullsAndKeepsTheRest() throws Exception {
        String id = store.createSession(new NewSession("Chat", null, new ChatSettings("Old prompt.",
                Map.of("temperature", 0.5, "top_k", 40), "high"))).id();

        JsonNode options = ok(patch(id, "{\"options\":{\"seed\":1}}"), 200);
        assertEquals("Old prompt.", options.get("systemPrompt").asText());
        assertEquals(Json.MAPPER.readTree("{\"seed\":1}"), options.get("options"), "options are replaced as a whole");
        assertEquals("high", options.get("think").asText());

        JsonNode reset = ok(patch(id, "{\"systemPrompt\":null,\"think\":false}"), 200);
        assertTrue(reset.get("systemPrompt").isNull());
        assertFalse(reset.get("think").asBoolean());
        assertTrue(reset.get("think").isBoolean());
        assertEquals(new ChatSettings(null, Map.of("seed", 1), "false"), store.findSession(id).orElseThrow().settings());

        JsonNode none = ok(patch(id, "{\"systemPrompt\":\"\",\"options\":null,\"think\":null}"), 200);
        assertEquals("", none.get("systemPrompt").asText(), "an empty prompt: none at all");
        assertEquals(0, none.get("options").size());
        assertTrue(none.get("think").isNull());
    }

    @Test
    void aTitleGivenByPatchIsTheUsersAndNeutronNoLongerRenamesTheChat() throws Exception {
        String id = store.createSession(new NewSession(null, null)).id();

        JsonNode renamed = ok(patch(id, "{\"title\":\"My trip\"}"), 200);

        assertEquals("My trip", renamed.get("title").asText());
        assertFalse(renamed.get("autoTitle").asBoolean());
        store.updateSession(id, SessionPatch.autoTitle("Written by a model"));
        assertEquals("My trip", store.findSession(id).orElseThrow().title());
    }

    @Test
    void badSettingsAreRefusedWithWhatTheyTakeAndNothingChanges() throws Exception {
        String id = store.createSession(new NewSession("Chat", null)).id();

        assertEquals("Field 'options': Model option \"temperature\" must be from 0.0 to 2.0; 3 is out of range.",
                refused(patch(id, "{\"options\":{\"temperature\":3}}")));
        assertTrue(refused(patch(id, "{\"options\":{\"warmth\":1}}")).startsWith(
                "Field 'options': Unknown model option \"warmth\". Known options: temperature, "), "unknown option");
        assertEquals("Field 'options': Model option \"seed\" takes a number (a whole one), not the string \"1\".",
                refused(patch(id, "{\"options\":{\"seed\":\"1\"}}")));
        assertEquals("Field 'options' is an object of model options, e.g. {\"temperature\": 0.2}, or null for the"
                + " defaults.", refused(patch(id, "{\"options\":[1]}")));
        assertEquals("Field 'think' is true, false, \"low\", \"medium\" or \"high\", or null for the default; not"
                + " \"very\".", refused(patch(id, "{\"think\":\"very\"}")));
        assertEquals("Field 'think' is true, false, \"low\", \"medium\" or \"high\", or null for the default; not 1.",
                refused(patch(id, "{\"think\":1}")));
        assertEquals("Field 'systemPrompt' is a string (\"\" for no system prompt), or null for the default.",
                refused(patch(id, "{\"systemPrompt\":5}")));
        assertEquals("Field 'options': Model option \"temperature\" must be from 0.0 to 2.0; -1 is out of range.",
                refused(call(FakeExchange.sessions("POST", null).json("{\"options\":{\"temperature\":-1}}"))));
        assertTrue(refused(patch(id, "{\"temperature\":1}")).startsWith("Unknown field 'temperature'. Allowed fields:"));
        assertEquals("Field 'systemPrompt' is longer than 20000 characters.", refused(patch(id,
                "{\"systemPrompt\":\"" + "x".repeat(20_001) + "\"}")));

        assertEquals(ChatSettings.NONE, store.findSession(id).orElseThrow().settings());
        assertEquals(1, store.listSessions().size(), "no chat was created");
    }
}
