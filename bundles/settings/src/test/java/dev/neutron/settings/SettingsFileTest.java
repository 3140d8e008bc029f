package dev.neutron.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsFileTest {
    @TempDir
    Path data;

    @Test
    void readsASettingsFileWrittenByEarlierVersions() throws Exception {
        Files.writeString(data.resolve("settings.json"), """
                {
                  "ollamaUrl" : " http://127.0.0.1:11434 ",
                  "defaultModel" : "smollm2:135m",
                  "systemPrompt" : "Be brief.\\n"
                }""");
        assertEquals(new Settings("http://127.0.0.1:11434", "smollm2:135m", "Be brief.\n"), new SettingsFile(data).load());
    }

    @Test
    void readsNullsAndMissingFieldsAsDefaults() throws Exception {
        Files.writeString(data.resolve("settings.json"), "{\"defaultModel\":null}");
        assertEquals(Settings.EMPTY, new SettingsFile(data).load());
    }

    @Test
    void isEmptyWithoutAFile() {
        assertEquals(Settings.EMPTY, new SettingsFile(data.resolve("not-yet")).load());
    }

    @Test
    void writesTheSameFormatAndReadsItBack() throws Exception {
        SettingsFile file = new SettingsFile(data.resolve("nested"));
        Settings settings = new Settings("http://u:p@h:1", "m", "line 1\nline 2");
        file.save(settings);

        assertEquals(settings, file.load());
        assertEquals("""
                {
                  "ollamaUrl" : "http://u:p@h:1",
                  "defaultModel" : "m",
                  "systemPrompt" : "line 1\\nline 2"
                }""", Files.readString(file.path()));
        assertFalse(Files.exists(file.path().resolveSibling("settings.json.tmp")));
    }

    @Test
    void aBrokenFileIsAStorageErrorNamingIt() throws Exception {
        Files.writeString(data.resolve("settings.json"), "{not json");
        NeutronException e = assertThrows(NeutronException.class, () -> new SettingsFile(data).load());
        assertEquals(ErrorCode.STORAGE_ERROR, e.code());
        assertEquals(true, e.getMessage().contains(data.resolve("settings.json").toString()), e.getMessage());
    }

    @Test
    void keepsTheChatDefaultsAndTitleSettingsAndWritesThemOnlyWhenSet() throws Exception {
        SettingsFile file = new SettingsFile(data);
        Settings settings = new Settings("", "m", "", Map.of("temperature", 0.2, "seed", 42L, "stop", List.of("</s>")),
                "low", "off", "smollm2:135m");
        file.save(settings);
        assertEquals(settings, file.load());
        assertEquals("""
                {
                  "ollamaUrl" : "",
                  "defaultModel" : "m",
                  "systemPrompt" : "",
                  "defaultOptions" : {
                    "seed" : 42,
                    "stop" : [ "</s>" ],
                    "temperature" : 0.2
                  },
                  "defaultThink" : "low",
                  "titles" : "off",
                  "titleModel" : "smollm2:135m"
                }""", Files.readString(file.path()));
    }

    @Test
    void aFileWithoutTheNewFieldsHasNoChatDefaultsAndTitlesOn() throws Exception {
        Files.writeString(data.resolve("settings.json"), "{\"ollamaUrl\":\"\",\"defaultModel\":\"m\",\"systemPrompt\":\"\"}");
        Settings loaded = new SettingsFile(data).load();
        assertEquals(new Settings("", "m", "", Map.of(), "", "", ""), loaded);
        assertEquals(true, loaded.titlesOn());
        assertEquals(dev.neutron.api.ChatSettings.NONE, loaded.chatDefaults());
    }
}
