package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.Settings;
import dev.neutron.api.SettingsService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET/PUT /api/v1/settings}: the JSON shape of the settings, over a settings service kept in memory. */
class SettingsServletTest {
    /** Test double of the settings bundle (whose own tests cover its checks): stores what it is given. */
    private static final class StoredSettings implements SettingsService {
        Settings stored = Settings.EMPTY;

        @Override
        public Settings current() {
            return stored;
        }

        @Override
        public Settings update(Settings settings) {
            stored = settings.normalised();
            return stored;
        }

        @Override
        public Map<String, String> fixedBy() {
            return Map.of();
        }
    }

    private final StoredSettings service = new StoredSettings();
    private final SettingsServlet servlet = new SettingsServlet(HttpConfigDefaults.config());

    @BeforeEach
    void wire() {
        servlet.settings = service;
    }

    private FakeExchange call(FakeExchange exchange) throws Exception {
        servlet.service(exchange.request(), exchange.response());
        return exchange;
    }

    private static JsonNode json(FakeExchange exchange) throws Exception {
        return Json.MAPPER.readTree(exchange.text());
    }

    @Test
    void getShowsEverySettingWithEmptyDefaults() throws Exception {
        FakeExchange got = call(FakeExchange.sessions("GET", null));
        assertEquals(200, got.status, got.text());
        assertEquals("{\"ollamaUrl\":\"\",\"defaultModel\":\"\",\"systemPrompt\":\"\",\"defaultOptions\":{},"
                + "\"defaultThink\":null,\"titles\":\"\",\"titleModel\":\"\",\"fixedBy\":{}}", got.text());
    }

    @Test
    void putStoresTheChatDefaultsAndTitleSettingsAndAnswersLikeGet() throws Exception {
        FakeExchange put = call(FakeExchange.sessions("PUT", null).json("{\"ollamaUrl\":\"\",\"defaultModel\":\"m\","
                + "\"systemPrompt\":\"Be brief.\",\"defaultOptions\":{\"temperature\":0.2,\"seed\":42,\"stop\":[\"</s>\"]},"
                + "\"defaultThink\":true,\"titles\":\"off\",\"titleModel\":\"tiny:1b\"}"));
        assertEquals(200, put.status, put.text());
        assertEquals(new Settings("", "m", "Be brief.", Map.of("temperature", 0.2, "seed", 42L, "stop", List.of("</s>")),
                "true", "off", "tiny:1b"), service.stored);
        String expected = "{\"ollamaUrl\":\"\",\"defaultModel\":\"m\",\"systemPrompt\":\"Be brief.\",\"defaultOptions\":"
                + "{\"seed\":42,\"stop\":[\"</s>\"],\"temperature\":0.2},\"defaultThink\":true,\"titles\":\"off\","
                + "\"titleModel\":\"tiny:1b\",\"fixedBy\":{}}";
        assertEquals(expected, put.text());
        assertEquals(expected, call(FakeExchange.sessions("GET", null)).text());
    }

    @Test
    void defaultThinkIsABooleanALevelOrNullOnTheWire() throws Exception {
        call(FakeExchange.sessions("PUT", null).json("{\"defaultThink\":false}"));
        assertEquals("false", service.stored.defaultThink());
        assertEquals(false, json(call(FakeExchange.sessions("GET", null))).get("defaultThink").booleanValue());
        call(FakeExchange.sessions("PUT", null).json("{\"defaultThink\":\"medium\"}"));
        assertEquals("medium", service.stored.defaultThink());
        assertEquals("\"medium\"", json(call(FakeExchange.sessions("GET", null))).get("defaultThink").toString());
        call(FakeExchange.sessions("PUT", null).json("{\"defaultThink\":null}"));
        assertEquals("", service.stored.defaultThink());
        assertEquals(true, json(call(FakeExchange.sessions("GET", null))).get("defaultThink").isNull());
    }

    @Test
    void aDefaultThinkThatIsNoneOfThoseIsRefused() throws Exception {
        FakeExchange number = call(FakeExchange.sessions("PUT", null).json("{\"defaultThink\":1}"));
        assertEquals(400, number.status, number.text());
        assertEquals("invalid_request", json(number).path("error").path("code").asText());
        assertEquals("Field 'defaultThink' is true, false, \"low\", \"medium\", \"high\", or null for the model's "
                + "default; not 1.", json(number).path("error").path("message").asText());
        FakeExchange object = call(FakeExchange.sessions("PUT", null).json("{\"defaultThink\":{\"on\":true}}"));
        assertEquals(400, object.status, object.text());
        assertEquals(Settings.EMPTY, service.stored, "nothing was stored");
    }

    @Test
    void defaultOptionsMustBeAnObjectAndUnknownFieldsAreRefused() throws Exception {
        FakeExchange list = call(FakeExchange.sessions("PUT", null).json("{\"defaultOptions\":[1]}"));
        assertEquals(400, list.status, list.text());
        FakeExchange unknown = call(FakeExchange.sessions("PUT", null).json("{\"defaultOption\":{}}"));
        assertEquals(400, unknown.status, unknown.text());
        assertEquals("invalid_request", json(unknown).path("error").path("code").asText(), unknown.text());
        assertEquals(Settings.EMPTY, service.stored);
    }
}
