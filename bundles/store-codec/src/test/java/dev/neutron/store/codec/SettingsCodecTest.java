package dev.neutron.store.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.neutron.api.ChatSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsCodecTest {

    @Test
    void noSettingsIsNoText() throws JsonProcessingException {
        assertNull(SettingsCodec.write(ChatSettings.NONE));
        assertNull(SettingsCodec.write(null));
        assertNull(SettingsCodec.write(new ChatSettings(null, Map.of(), null)));
        assertEquals(ChatSettings.NONE, SettingsCodec.read(null));
        assertEquals(ChatSettings.NONE, SettingsCodec.read("null"));
        assertEquals(ChatSettings.NONE, SettingsCodec.read("{}"));
    }

    @Test
    void settingsAreWrittenAsCompactJsonAndReadBackEqual() throws JsonProcessingException {
        ChatSettings settings = new ChatSettings("Say \u0000 nothing.\n", Map.of("seed", 42L, "top_p", 0.9,
                "stop", List.of("a", "b")), "false");
        String json = SettingsCodec.write(settings);
        assertEquals("{\"systemPrompt\":\"Say \\u0000 nothing.\\n\",\"options\":{\"seed\":42,\"stop\":[\"a\",\"b\"],"
                + "\"top_p\":0.9},\"think\":\"false\"}", json);
        assertEquals(settings, SettingsCodec.read(json));
        assertEquals(new ChatSettings("", Map.of(), null), SettingsCodec.read(SettingsCodec.write(new ChatSettings("", null, null))));
    }

    @Test
    void fieldsOfANewerVersionAreIgnoredAndBrokenTextIsAnError() throws JsonProcessingException {
        assertEquals(new ChatSettings(null, Map.of(), "low"), SettingsCodec.read("{\"think\":\"low\",\"later\":1}"));
        assertThrows(JsonProcessingException.class, () -> SettingsCodec.read("{\"think\":"));
    }
}
