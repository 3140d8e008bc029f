package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property-based fuzzing of the whole API from its own OpenAPI document: schemathesis ({@code scripts/test-schemathesis},
 * from PyPI) runs every operation of {@code /api/v1/openapi.json} against the distribution, wired to the fast
 * {@link ScriptedOllama} so that answers never wait on a real model. Fails on any 5xx and on any response that breaks
 * the document (status, content type, schema). The normal run fuzzes for about a minute with a fixed seed (so a failure
 * replays); {@code scripts/fuzz} raises the budget ({@code -Dneutron.fuzz.maxSeconds}, {@code -Dneutron.fuzz.maxExamples})
 * and draws a random {@code -Dneutron.fuzz.seed}.
 */
class OpenApiFuzzIT {
    private static final String CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,"
            + "content_type_conformance";
    private static final Pattern GENERATED = Pattern.compile("(\\d+) generated");
    private static final Pattern OPERATIONS = Pattern.compile("Tested: (\\d+)");

    @TempDir
    Path temp;

    @Test
    void everyOperationSurvivesGeneratedRequestsWithoutA5xxOrASchemaViolation() throws Exception {
        try (ScriptedOllama ollama = new ScriptedOllama()) {
            Path distribution = NeutronServer.privateCopyOfTheDistribution(temp);
            // a .cfg fixes Ollama's address, so a fuzzed PUT /api/v1/settings cannot point Neutron elsewhere
            Path staged = temp.resolve("ollama.cfg");
            Files.writeString(staged, "baseUrl=" + ollama.baseUrl() + "\n");
            Files.move(staged, distribution.resolve("deploy/dev.neutron.provider.ollama.cfg"), StandardCopyOption.ATOMIC_MOVE);
            try (NeutronServer neutron = new NeutronServer(distribution, temp.resolve("data"),
                    Map.of("OLLAMA_HOST", ollama.baseUrl())).start()) {
                assertEquals(ScriptedOllama.MODEL,
                        neutron.json("GET", "/api/v1/chat/models", null, 200).path("defaultModel").asText());
                Run run = schemathesis(neutron.baseUrl());
                System.out.println("FUZZ schemathesis: " + run.operations() + " operations, " + run.generated()
                        + " test cases generated, exit " + run.exitCode());
                assertEquals(0, run.exitCode(), "schemathesis found failures:\n" + run.output());
                assertTrue(run.operations() >= 30, run.output());
            }
        }
    }

    record Run(int exitCode, String output, int operations, int generated) {
    }

    private Run schemathesis(String baseUrl) throws IOException, InterruptedException {
        Path repo = Path.of("").toAbsolutePath().getParent(); // failsafe runs in distribution/
        Path reports = Path.of(System.getProperty("neutron.fuzz.reports", "target/schemathesis")).toAbsolutePath();
        Files.createDirectories(reports);
        List<String> command = new ArrayList<>(List.of(schemathesisBin(repo), "run", baseUrl + "/api/v1/openapi.json",
                "--checks", CHECKS, "--workers", "1", "--no-color",
                "--max-time", System.getProperty("neutron.fuzz.maxSeconds", "60"),
                "--max-examples", System.getProperty("neutron.fuzz.maxExamples", "100"),
                "--request-timeout", "30", "--generation-database", "none",
                "--report", "junit", "--report-dir", reports.toString()));
        String seed = System.getProperty("neutron.fuzz.seed", "17");
        if (!seed.equals("random")) {
            command.addAll(List.of("--seed", seed));
        }
        Path log = temp.resolve("schemathesis.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SCHEMATHESIS_HOOKS", repo.resolve("scripts/schemathesis-hooks.py").toString());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("schemathesis did not finish within 60 minutes:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.writeString(reports.resolve("schemathesis.log"), output);
        return new Run(process.exitValue(), output, lastInt(OPERATIONS, output), lastInt(GENERATED, output));
    }

    /** $SCHEMATHESIS_BIN, else the cached venv of scripts/test-schemathesis (installed on first use). */
    private static String schemathesisBin(Path repo) throws IOException, InterruptedException {
        String bin = System.getenv("SCHEMATHESIS_BIN");
        if (bin != null && !bin.isBlank()) {
            return bin;
        }
        Process process = new ProcessBuilder(repo.resolve("scripts/test-schemathesis").toString(), "path")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String path = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), "scripts/test-schemathesis path failed");
        return path;
    }

    private static int lastInt(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int value = -1;
        while (matcher.find()) {
            value = Integer.parseInt(matcher.group(1));
        }
        return value;
    }
}
