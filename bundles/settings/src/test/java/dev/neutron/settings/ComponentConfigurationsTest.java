package dev.neutron.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neutron.api.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which setting goes to which component property, as Configuration Admin gets it. */
class ComponentConfigurationsTest {

    private static Map<String, String> properties(Settings settings) {
        Map<String, String> values = new LinkedHashMap<>();
        for (ComponentConfigurations.Target target : ComponentConfigurations.TARGETS) {
            values.put(target.pid() + "/" + target.key(), target.value().apply(settings));
        }
        return values;
    }

    @Test
    void everySettingHasItsComponentProperty() {
        Settings settings = new Settings("http://h:1", "m", "Be brief.", Map.of("temperature", 0.2, "seed", 42L,
                "stop", List.of("</s>", "a\"b")), "high", "off", "tiny:1b");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("dev.neutron.provider.ollama/baseUrl", "http://h:1");
        expected.put("dev.neutron.chat/defaultModel", "m");
        expected.put("dev.neutron.chat/systemPrompt", "Be brief.");
        expected.put("dev.neutron.chat/defaultOptions", "{\"seed\":42,\"stop\":[\"</s>\",\"a\\\"b\"],\"temperature\":0.2}");
        expected.put("dev.neutron.chat/defaultThink", "high");
        expected.put("dev.neutron.chat/titles", "off");
        expected.put("dev.neutron.chat/titleModel", "tiny:1b");
        assertEquals(expected, properties(settings));
    }

    @Test
    void emptySettingsAreEmptyProperties() {
        for (String value : properties(Settings.EMPTY.normalised()).values()) {
            assertEquals("", value);
        }
        assertEquals("", ComponentConfigurations.optionsJson(Settings.EMPTY));
    }

    @Test
    void everySettingNameIsOneOfSettings() {
        assertEquals(List.of(Settings.OLLAMA_URL, Settings.DEFAULT_MODEL, Settings.SYSTEM_PROMPT, Settings.DEFAULT_OPTIONS,
                Settings.DEFAULT_THINK, Settings.TITLES, Settings.TITLE_MODEL),
                ComponentConfigurations.TARGETS.stream().map(ComponentConfigurations.Target::setting).toList());
    }
}
