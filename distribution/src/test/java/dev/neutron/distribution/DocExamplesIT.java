package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every {@code $ curl …} example of CHAT_API.md and README.md, in order, against the distribution and the real
 * Ollama, and fails when what it prints no longer has the documented shape ({@link OutputShape}). So an example that
 * drifts from the API fails the build. Each file's examples run in one shell state (variables carry over), in a
 * working directory of their own, with the documented address replaced by the real one.
 */
class DocExamplesIT {
    private static final String DOCUMENTED_BASE = "http://127.0.0.1:8000";

    @TempDir
    static Path temp;
    private static NeutronServer neutron;
    private static final Map<String, String> ids = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", NeutronServer.ollamaUrl())).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
    }

    @TestFactory
    List<DynamicTest> chatApiExamplesPrintWhatTheyShow() throws Exception {
        return examplesOf("CHAT_API.md");
    }

    @TestFactory
    List<DynamicTest> readmeExamplesPrintWhatTheyShow() throws Exception {
        return examplesOf("README.md");
    }

    private List<DynamicTest> examplesOf(String file) throws Exception {
        Path markdown = Path.of(System.getProperty("user.dir")).getParent().resolve(file);
        List<DocExamples.Example> examples = DocExamples.read(markdown);
        assertFalse(examples.isEmpty(), file + " has no console examples: the parser or the file changed");
        Path workDir = Files.createDirectories(temp.resolve("shell-" + file));
        List<DynamicTest> tests = new ArrayList<>();
        for (DocExamples.Example example : examples) {
            tests.add(DynamicTest.dynamicTest(example.where() + " " + firstLine(example.command()),
                    () -> run(example, workDir)));
        }
        return tests;
    }

    private static void run(DocExamples.Example example, Path workDir) throws Exception {
        String command = withRealAddresses(example);
        Path output = workDir.resolve(".output");
        String script = "set -a\n[ -f .state ] && . ./.state\n" + command
                + "\nrc=$?\nexport -p | grep -E '^declare -x [A-Z][A-Z0-9_]*=' > .state\nexit $rc\n";
        Process process = new ProcessBuilder("bash", "-c", script).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), example.where() + ": the command did not finish: " + command);
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        List<String> problems = new OutputShape(ids).compare(example.output(), printed);
        assertTrue(problems.isEmpty(), example.where() + ": the example no longer prints what CHAT_API/README shows.\n"
                + "command: " + command + "\nproblems:\n  " + String.join("\n  ", problems) + "\nprinted:\n" + printed);
    }

    private static String withRealAddresses(DocExamples.Example example) {
        String command = example.command().replace(DOCUMENTED_BASE, neutron.baseUrl());
        Matcher id = OutputShape.ID.matcher(command);
        StringBuilder real = new StringBuilder();
        while (id.find()) {
            String known = ids.get(id.group());
            boolean inPath = id.start() > 0 && command.charAt(id.start() - 1) == '/';
            assertTrue(known != null || !inPath, example.where() + " calls a URL with " + id.group()
                    + ", which no earlier example printed: use an id shown above it");
            id.appendReplacement(real, known == null ? id.group() : known);
        }
        id.appendTail(real);
        return real.toString();
    }

    private static String firstLine(String command) {
        String line = command.lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }
}
