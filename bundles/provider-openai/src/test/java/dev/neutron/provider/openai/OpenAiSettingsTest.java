package dev.neutron.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OpenAiSettingsTest {
    private static final Map<String, Object> FROM_FILE = Map.of(OpenAiSettings.FILEINSTALL_FILENAME,
            "file:/opt/neutron/deploy/dev.neutron.provider.openai-work.cfg");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://127.0.0.1:11434/v1,          http://127.0.0.1:11434/v1",
            "http://127.0.0.1:11434/v1/,         http://127.0.0.1:11434/v1",
            "'  https://api.openai.com/v1//  ',  https://api.openai.com/v1",
            "http://localhost:8080,              http://localhost:8080"})
    void baseUrlIsTakenAsGivenWithoutTrailingSlashes(String configured, String expected) {
        assertEquals(expected, settings("baseUrl", configured).baseUrl().toString());
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"''", "127.0.0.1:11434", "ftp://example.com/v1", "http://user:secret@example.com/v1", "http://example.com/v1?x=1"})
    void unusableBaseUrlNamesTheFileToFix(String configured) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> settings("baseUrl", configured));

        assertTrue(error.getMessage().contains("Set baseUrl in /opt/neutron/deploy/dev.neutron.provider.openai-work.cfg "
                + "to the URL that /models and /chat/completions hang off"), error.getMessage());
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({
            "http://user:secret@example.com/v1,        'http://***@example.com/v1'",
            "https://user:se@cret@example.com:8443/v1, 'https://***@example.com:8443/v1'",
            "user:secret@example.com/v1,               '***@example.com/v1'",
            "http://example.com/v1?api-key=secret,     'http://example.com/v1?***'",
            "http://user:secret@exa mple.com/v1,       'http://***@exa mple.com/v1'"})
    void aRefusedBaseUrlIsQuotedWithoutItsSecrets(String configured, String shown) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> settings("baseUrl", configured));

        assertTrue(error.getMessage().startsWith("baseUrl '" + shown + "' "), error.getMessage());
        assertFalse(error.getMessage().contains("secret"), error.getMessage());
        assertNull(error.getCause());
    }

    @Test
    void missingBaseUrlIsRefused() {
        Map<String, Object> values = new HashMap<>();
        values.put("baseUrl", null);

        assertThrows(IllegalArgumentException.class, () -> OpenAiSettings.from(TestConfigs.config(values), FROM_FILE));
    }

    @Test
    void defaultsMatchTheConfigurationTable() {
        OpenAiSettings settings = settings();

        assertEquals("openai", settings.displayPrefix());
        assertEquals("openai", settings.providerId(), "the id defaults to the display prefix");
        assertEquals("", settings.apiKey());
        assertEquals(3000, settings.connectTimeout().toMillis());
        assertEquals(120_000, settings.idleTimeout().toMillis());
        assertNull(settings.contextLength());
        assertEquals(5, settings.modelCacheTtl().toSeconds());
        assertTrue(settings.includeUsage());
    }

    @Test
    void idAndContextLengthCanBeSet() {
        OpenAiSettings settings = settings("id", "work-vllm", "displayPrefix", "work/", "contextLength", 32768);

        assertEquals("work-vllm", settings.providerId());
        assertEquals("work", settings.displayPrefix());
        assertEquals(32768, settings.contextLength());
    }

    @Test
    void displayNamesCarryThePrefixWhichIsStrippedForTheServer() {
        OpenAiSettings settings = settings("displayPrefix", "local-openai");

        assertEquals("local-openai/smollm2:135m", settings.displayName("smollm2:135m"));
        assertEquals("smollm2:135m", settings.upstreamName("local-openai/smollm2:135m"));
        assertEquals("org/model", settings.upstreamName("local-openai/org/model"));
        assertNull(settings.upstreamName("smollm2:135m"));
        assertNull(settings.upstreamName("local-openai/"));
        assertNull(settings.upstreamName("other/smollm2:135m"));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"''", "'  '", "my prefix", "/"})
    void unusableDisplayPrefixIsRefused(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> settings("displayPrefix", prefix));
    }

    @Test
    void nonPositiveTimeoutsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> settings("idleTimeoutMs", 0));
        assertThrows(IllegalArgumentException.class, () -> settings("connectTimeoutMs", -1));
    }

    @Test
    void toStringNeverShowsTheApiKey() {
        OpenAiSettings settings = settings("_apiKey", "sk-very-secret");

        assertTrue(settings.hasApiKey());
        assertFalse(settings.toString().contains("sk-very-secret"), settings.toString());
    }

    @Test
    void withoutAFileMessagesNameTheConfigurationPid() {
        OpenAiSettings settings = OpenAiSettings.from(TestConfigs.config(Map.of("baseUrl", "http://h/v1")),
                Map.of("service.pid", "dev.neutron.provider.openai~work"));

        assertEquals("the configuration dev.neutron.provider.openai~work", settings.configuredIn());
    }

    private static OpenAiSettings settings(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        values.put("baseUrl", "http://127.0.0.1:11434/v1");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return OpenAiSettings.from(TestConfigs.config(values), FROM_FILE);
    }
}
