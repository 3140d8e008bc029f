package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real Chromium (Debian's, driven by playwright-core) against the assembled distribution and the real
 * test Ollama: runs the browser suite of {@code bundles/ui/web/e2e} and fails when any of its scenarios fails. Neutron
 * reaches that Ollama through a {@link RecordingOllamaProxy}, so a scenario can check what Neutron sent it
 * ({@code NEUTRON_OLLAMA_RECORDED_URL}). The model manager's and the thinking model's scenarios get a second Neutron
 * on a private, empty Ollama and a real registry ({@link ModelManagerStage}).
 */
class UiBrowserIT {
    private static final Path WEB = Path.of(System.getProperty("neutron.ui.web", "../bundles/ui/web")).toAbsolutePath().normalize();
    /** ~98 MB of GGUF at this rate is about 20 s: time to watch the progress bar and reload the page mid-pull. */
    private static final long PULL_BYTES_PER_SECOND = 5L << 20;
    /** vitest's JUnit report, one testcase per scenario: scripts/check-tests-ran checks that each one ran. */
    private static final Path REPORT = Path.of(System.getProperty("neutron.browserReports", "target/browser-reports"))
            .toAbsolutePath().resolve("TEST-browser-scenarios.xml");

    @TempDir
    Path temp;

    @Test
    void browserScenariosPassAgainstTheDistribution() throws Exception {
        assertTrue(Files.isDirectory(WEB.resolve("node_modules")), "run the UI build first (npm ci in " + WEB + ")");
        try (RecordingOllamaProxy recorder = new RecordingOllamaProxy(NeutronServer.ollamaUrl());
                NeutronServer neutron = new NeutronServer(temp.resolve("data"),
                        Map.of("OLLAMA_HOST", recorder.baseUrl())).start();
                ModelManagerStage models = ModelManagerStage.start(temp, PULL_BYTES_PER_SECOND)) {
            Path log = temp.resolve("ui-e2e.log");
            List<String> command = new ArrayList<>(List.of("npm", "run", "e2e"));
            String only = System.getProperty("neutron.e2e.only", "");
            if (!only.isBlank()) {
                // e.g. -Dneutron.e2e.only=models runs only e2e/models.e2e.ts (a partial run, for development)
                command.addAll(List.of("--", only));
            }
            ProcessBuilder npm = new ProcessBuilder(command).directory(WEB.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            npm.environment().put("NEUTRON_URL", neutron.baseUrl());
            npm.environment().put("NEUTRON_OLLAMA_RECORDED_URL", recorder.recordedUrl());
            npm.environment().putAll(models.environment());
            npm.environment().put("CI", "true");
            npm.environment().put("NEUTRON_E2E_REPORT", REPORT.toString());
            Files.deleteIfExists(REPORT);
            Process process = npm.start();
            // a hang guard only: on a busy 2-core machine the chat scenarios alone took about 15 minutes
            boolean finished = process.waitFor(45, TimeUnit.MINUTES);
            if (!finished) {
                // npm's children (vitest, Chromium) would outlive it and go on against servers that are gone
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = read(log);
            System.out.println(output);
            assertTrue(finished, "the browser suite did not finish within 45 minutes");
            assertEquals(0, process.exitValue(), "the browser suite failed:\n" + output);
            assertTrue(Files.exists(REPORT), "the browser suite wrote no report to " + REPORT);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
    }
}
