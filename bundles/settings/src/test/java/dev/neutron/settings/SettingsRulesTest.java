package dev.neutron.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SettingsRulesTest {

    private static Settings with(Map<String, Object> options, String think, String titles) {
        return new Settings("", "", "", options, think, titles, "").normalised();
    }

    private static String refused(Executable check) {
        NeutronException e = assertThrows(NeutronException.class, check);
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        return e.getMessage();
    }

    @Test
    void acceptsEveryThinkValueAndTitlesSetting() {
        for (String think : new String[] {"", "true", "false", "low", "medium", "high"}) {
            for (String titles : new String[] {"", "on", "off"}) {
                SettingsRules.validate(with(Map.of(), think, titles));
            }
        }
    }

    @Test
    void defaultOptionsAreCheckedByTheOneRuleAndNamedAsTheField() {
        assertEquals(Map.of("seed", 1L, "temperature", 1.0), SettingsRules.validOptions(Map.of("seed", 1, "temperature", 1)));
        assertEquals("Field 'defaultOptions': Model option \"temperature\" must be from 0.0 to 2.0; 3 is out of range.",
                refused(() -> SettingsRules.validOptions(Map.of("temperature", 3))));
        assertEquals(true, refused(() -> SettingsRules.validOptions(Map.of("mirostat", 1)))
                .startsWith("Field 'defaultOptions': Unknown model option \"mirostat\". Known options: temperature,"));
    }

    @Test
    void refusesAnUnknownThinkValue() {
        assertEquals("Field 'defaultThink' is one of true, false, low, medium, high, or empty for the model's default;"
                + " not \"max\".", refused(() -> SettingsRules.validate(with(Map.of(), "max", ""))));
    }

    @Test
    void titlesAreOnOrOff() {
        assertEquals("Field 'titles' is \"on\", \"off\" or empty (on); not \"sometimes\".",
                refused(() -> SettingsRules.validate(with(Map.of(), "", "sometimes"))));
    }

    @Test
    void theOlderRulesStay() {
        assertEquals("Field 'ollamaUrl' must be an http(s) URL such as http://127.0.0.1:11434, or empty for the default.",
                refused(() -> SettingsRules.validate(new Settings("ftp://h", "", "").normalised())));
        assertEquals("Field 'systemPrompt' is longer than 20000 characters.",
                refused(() -> SettingsRules.validate(new Settings("", "", "x".repeat(20_001)).normalised())));
    }
}
