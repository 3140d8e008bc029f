package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings on the assembled distribution: a settings.json from an earlier version is read as it is, the Ollama URL's
 * credentials are shown redacted and kept when the redacted form comes back, and a real {@code .cfg} dropped into
 * {@code deploy/} (Felix FileInstall) wins over the settings of its component, is never rewritten by them, and hands
 * them back when it is deleted. Runs a private copy of the distribution, since it changes deploy/.
 */
class SettingsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT_CFG = "dev.neutron.chat.cfg";

    @TempDir
    Path temp;

    @Test
    void keepsOldSettingsRedactsCredentialsAndLetsACfgInDeployWin() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.writeString(data.resolve("settings.json"), """
                {
                  "ollamaUrl" : "http://user:secret@127.0.0.1:9",
                  "defaultModel" : "tiny:1b",
                  "systemPrompt" : "Old prompt"
                }""");
        Path distribution = NeutronServer.privateCopyOfTheDistribution(temp);
        assertTrue(Files.isDirectory(distribution.resolve("deploy")));
        try (NeutronServer neutron = new NeutronServer(distribution, data, Map.of()).start()) {
            JsonNode shown = neutron.json("GET", "/api/v1/settings", null, 200);
            assertEquals("http://***@127.0.0.1:9", shown.get("ollamaUrl").asText());
            assertEquals("tiny:1b", shown.get("defaultModel").asText());
            assertEquals("Old prompt", shown.get("systemPrompt").asText());
            assertEquals(0, shown.get("fixedBy").size());

            neutron.json("PUT", "/api/v1/settings", Map.of("ollamaUrl", shown.get("ollamaUrl").asText(),
                    "defaultModel", "tiny:1b", "systemPrompt", "New prompt"), 200);
            JsonNode stored = JSON.readTree(data.resolve("settings.json").toFile());
            assertEquals("http://user:secret@127.0.0.1:9", stored.get("ollamaUrl").asText());
            assertEquals("New prompt", stored.get("systemPrompt").asText());

            Path cfg = distribution.resolve("deploy").resolve(CHAT_CFG);
            Files.writeString(cfg, "systemPrompt = From the file\n");
            // the file fixes every setting of the chat component: the model, the prompt, the defaults and the titles
            JsonNode fixed = awaitFixedBy(neutron, CHAT_SETTINGS);
            for (String setting : List.of("systemPrompt", "defaultModel", "defaultOptions", "defaultThink", "titles",
                    "titleModel")) {
                assertEquals(CHAT_CFG, fixed.get("fixedBy").get(setting).asText(), setting);
            }

            JsonNode afterPut = neutron.json("PUT", "/api/v1/settings", Map.of("ollamaUrl", "",
                    "defaultModel", "other:2b", "systemPrompt", "Typed while fixed"), 200);
            assertEquals(CHAT_SETTINGS, afterPut.get("fixedBy").size());
            assertEquals("Typed while fixed", afterPut.get("systemPrompt").asText());
            assertEquals("systemPrompt = From the file\n", Files.readString(cfg), "settings never rewrite a .cfg");

            Files.delete(cfg);
            assertEquals(0, awaitFixedBy(neutron, 0).get("fixedBy").size());
        }
    }

    private static final int CHAT_SETTINGS = 6;

    /** Polls GET /api/v1/settings until {@code fixedBy} has {@code count} entries (FileInstall polls deploy/). */
    private static JsonNode awaitFixedBy(NeutronServer neutron, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode settings = neutron.json("GET", "/api/v1/settings", null, 200);
        while (settings.get("fixedBy").size() != count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            settings = neutron.json("GET", "/api/v1/settings", null, 200);
        }
        assertEquals(count, settings.get("fixedBy").size(), settings.toString());
        return settings;
    }
}
