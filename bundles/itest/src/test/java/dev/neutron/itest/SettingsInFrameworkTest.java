package dev.neutron.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.neutron.api.Settings;
import dev.neutron.api.SettingsService;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The settings bundle with the real Configuration Admin: settings reach the components' configurations, except a
 * component configured by a {@code .cfg} in {@code deploy/} (marked as Felix FileInstall marks it), which wins.
 */
@ExtendWith(ServiceExtension.class)
class SettingsInFrameworkTest {
    private static final String OLLAMA_PID = "dev.neutron.provider.ollama";
    private static final String CHAT_PID = "dev.neutron.chat";
    private static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    @InjectService(timeout = 10_000)
    SettingsService settings;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @AfterEach
    void reset() throws Exception {
        Configuration[] fromFiles = configAdmin.listConfigurations("(" + FILEINSTALL_FILENAME + "=*)");
        if (fromFiles != null) {
            for (Configuration configuration : fromFiles) {
                configuration.delete();
            }
        }
        settings.update(Settings.EMPTY);
    }

    @Test
    void appliesEachSettingToItsComponentsConfigurationAndRemovesItWhenEmptied() throws Exception {
        settings.update(new Settings("http://127.0.0.1:9", "tiny:1b", "Be brief."));

        assertEquals("http://127.0.0.1:9", property(OLLAMA_PID, "baseUrl"));
        assertEquals("tiny:1b", property(CHAT_PID, "defaultModel"));
        assertEquals("Be brief.", property(CHAT_PID, "systemPrompt"));
        assertEquals(Map.of(), settings.fixedBy());

        settings.update(new Settings("http://127.0.0.1:9", "", "Be brief."));
        assertNull(property(CHAT_PID, "defaultModel"));
    }

    @Test
    void aCfgFileInDeployWinsOverTheSettingsOfItsComponentUntilItIsRemoved() throws Exception {
        settings.update(new Settings("http://127.0.0.1:9", "", "From the UI."));
        fileInstallConfiguration(CHAT_PID, "systemPrompt", "From the file.");

        Settings stored = settings.update(new Settings("http://127.0.0.1:9", "tiny:1b", "Changed in the UI."));

        String file = CHAT_PID + ".cfg";
        assertEquals(Map.of(Settings.DEFAULT_MODEL, file, Settings.SYSTEM_PROMPT, file, Settings.DEFAULT_OPTIONS, file,
                Settings.DEFAULT_THINK, file, Settings.TITLES, file, Settings.TITLE_MODEL, file), settings.fixedBy(),
                "every setting of the chat component is the file's");
        assertEquals("Changed in the UI.", stored.systemPrompt());
        assertEquals("From the file.", property(CHAT_PID, "systemPrompt"));
        assertNull(property(CHAT_PID, "defaultModel"), "a setting is never written into a file's configuration");
        assertEquals("http://127.0.0.1:9", property(OLLAMA_PID, "baseUrl"), "other components still get theirs");

        configAdmin.getConfiguration(CHAT_PID, "?").delete();

        assertEquals("Changed in the UI.", awaitProperty(CHAT_PID, "systemPrompt", "Changed in the UI."));
        assertEquals("tiny:1b", property(CHAT_PID, "defaultModel"));
        assertEquals(Map.of(), settings.fixedBy());
    }

    @Test
    void keepsTheStoredCredentialsWhenTheRedactedUrlComesBack() throws Exception {
        Settings shown = settings.update(new Settings("http://user:secret@127.0.0.1:9", "", ""));
        assertEquals("http://***@127.0.0.1:9", shown.ollamaUrl());
        assertEquals("http://***@127.0.0.1:9", settings.current().ollamaUrl());

        settings.update(new Settings(shown.ollamaUrl(), "", "Now with a prompt."));

        assertEquals("http://user:secret@127.0.0.1:9", property(OLLAMA_PID, "baseUrl"));
    }

    /** A configuration as Felix FileInstall makes it from {@code deploy/<pid>.cfg}. */
    private void fileInstallConfiguration(String pid, String key, String value) throws IOException {
        Configuration configuration = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(key, value);
        properties.put(FILEINSTALL_FILENAME, "file:/neutron/deploy/" + pid + ".cfg");
        configuration.update(properties);
    }

    private Object property(String pid, String key) throws Exception {
        Configuration[] found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + pid + ")");
        if (found == null || found[0].getProperties() == null) {
            return null;
        }
        return found[0].getProperties().get(key);
    }

    /** Configuration events are delivered asynchronously: poll until the listener has acted. */
    private Object awaitProperty(String pid, String key, Object expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Supplier<Object> current = () -> {
            try {
                return property(pid, key);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        while (!expected.equals(current.get()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return current.get();
    }
}
