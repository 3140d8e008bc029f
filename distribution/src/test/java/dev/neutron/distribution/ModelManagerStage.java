package dev.neutron.distribution;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the browser scenarios of the model manager need, all real: the test model pushed with the real {@code ollama
 * push --insecure} into the real registry of {@code scripts/test-registry}, the scripted CDN proxy in front of it
 * (Ollama downloads only redirected layers; throttled, so a pull lasts long enough to watch and to reload the page
 * during it), a private Ollama whose model store starts
 * empty (so every layer really downloads), a Neutron wired to that Ollama, and the SmolLM2 GGUF file.
 */
final class ModelManagerStage implements AutoCloseable {
    private static final Pattern FROM_BLOB = Pattern.compile("(?m)^FROM (.*sha256-[0-9a-f]{64})$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final OllamaProcess ollama;
    private final ScriptedCdnRegistryProxy proxy;
    private final NeutronServer neutron;

    private ModelManagerStage(OllamaProcess ollama, ScriptedCdnRegistryProxy proxy, NeutronServer neutron) {
        this.ollama = ollama;
        this.proxy = proxy;
        this.neutron = neutron;
    }

    /**
     * Pushes the shared test model into the test registry with the real `ollama push --insecure` (through a temporary
     * name on the shared Ollama, removed again). @return the name it has in the registry
     */
    static String pushTestModel(Path temp) throws Exception {
        return pushModel(temp, NeutronServer.model(), "library/smollm2:135m");
    }

    /**
     * Pushes the shared Ollama's {@code sharedModel} into the test registry as {@code repository} (e.g.
     * {@code library/smollm2:135m}). @return the name it has in the registry
     */
    static String pushModel(Path temp, String sharedModel, String repository) throws Exception {
        String registry = registryHost();
        String binary = requiredEnv("OLLAMA_TEST_BIN", "scripts/test-ollama env");
        String shared = NeutronServer.ollamaUrl();
        String pushed = registry + "/" + repository;
        ollamaCli(temp, binary, shared, "cp", sharedModel, pushed);
        try {
            ollamaCli(temp, binary, shared, "push", "--insecure", pushed);
        } finally {
            ollamaCli(temp, binary, shared, "rm", pushed);
        }
        return pushed;
    }

    /** The host:port of the test registry (scripts/test-registry). */
    static String registryHost() {
        return requiredEnv("REGISTRY_TEST_HOST", "scripts/test-registry env");
    }

    static ModelManagerStage start(Path temp, long bytesPerSecond) throws Exception {
        pushTestModel(temp);
        OllamaProcess ollama = OllamaProcess.startEmpty(temp.resolve("private-ollama.log"),
                Files.createDirectories(temp.resolve("private-models")));
        ScriptedCdnRegistryProxy proxy = null;
        try {
            proxy = new ScriptedCdnRegistryProxy(registryHost(), bytesPerSecond);
            NeutronServer neutron = new NeutronServer(temp.resolve("models-data"),
                    Map.of("OLLAMA_HOST", ollama.baseUrl())).start();
            return new ModelManagerStage(ollama, proxy, neutron);
        } catch (Exception e) {
            if (proxy != null) {
                proxy.close();
            }
            ollama.close();
            throw e;
        }
    }

    /** The environment the browser scenarios read (see bundles/ui/web/e2e/models.e2e.ts). */
    Map<String, String> environment() throws Exception {
        return Map.of(
                "NEUTRON_MODELS_URL", neutron.baseUrl(),
                "NEUTRON_MODELS_OLLAMA_URL", ollama.baseUrl(),
                "NEUTRON_MODELS_PULL_NAME", proxy.host() + "/library/smollm2:135m",
                "NEUTRON_MODELS_GGUF", ggufFile().toString());
    }

    /** The SmolLM2 GGUF of scripts/test-ollama: its cached file, else the blob the shared test model was built from. */
    static Path ggufFile() throws Exception {
        String cached = System.getenv("OLLAMA_TEST_GGUF");
        if (cached != null && !cached.isBlank()) {
            return Path.of(cached);
        }
        HttpResponse<String> show = HTTP.send(HttpRequest.newBuilder(URI.create(NeutronServer.ollamaUrl() + "/api/show"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + NeutronServer.model() + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher from = FROM_BLOB.matcher(NeutronServer.JSON.readTree(show.body()).path("modelfile").asText());
        if (!from.find()) {
            throw new IllegalStateException("the shared test model does not name its GGUF blob: " + show.body());
        }
        return Path.of(from.group(1));
    }

    private static void ollamaCli(Path temp, String binary, String ollamaUrl, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(temp, "ollama-cli-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OLLAMA_HOST", URI.create(ollamaUrl).getAuthority());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("`ollama " + String.join(" ", args) + "` failed:\n" + Files.readString(log));
        }
    }

    private static String requiredEnv(String name, String source) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set. Run the tests with scripts/test, or run "
                    + "`eval \"$(" + source + ")\"` first.");
        }
        return value;
    }

    @Override
    public void close() throws Exception {
        try {
            neutron.close();
        } finally {
            proxy.close();
            ollama.close();
        }
    }
}
