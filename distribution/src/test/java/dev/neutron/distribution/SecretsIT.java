package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret leaves Neutron: started with an API key for an OpenAI-compatible server, a database password in the
 * PostgreSQL store's URL and configuration, a user name and password in the Ollama address and an access token, then
 * driven through settings, models, health, errors and a failing upstream, none of those secrets appears in any API
 * answer (bodies and headers), in stdout, in stderr or in any file under the data directory but the two that keep
 * configuration.
 */
class SecretsIT {
    private static final String API_KEY = "sk-apikey-7f3a9c1e5b";
    private static final String DB_URL_PASSWORD = "pg-urlpass-4d8e2a";
    private static final String DB_PASSWORD = "pg-cfgpass-9b1c7f";
    private static final String OLLAMA_PASSWORD = "ollama-pass-2e6d4b";
    private static final String SETTINGS_PASSWORD = "settings-pass-8a5f3c";
    private static final String TOKEN = "neutron-token-5c9e1a7b3d";
    private static final List<String> SECRETS = List.of(API_KEY, DB_URL_PASSWORD, DB_PASSWORD, OLLAMA_PASSWORD,
            SETTINGS_PASSWORD, TOKEN);
    private static final String PREFIX = "leaky";

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> answers = new ArrayList<>();

    @Test
    void noSecretReachesAnApiAnswerOrALog() throws Exception {
        ScriptedLeakyOpenAi upstream = new ScriptedLeakyOpenAi();
        Path distribution = NeutronServer.privateCopyOfTheDistribution(temp);
        Path deploy = distribution.resolve("deploy");
        dropIn(deploy, "neutron-provider-openai.jar", Files.readAllBytes(providerJar()));
        dropIn(deploy, "dev.neutron.provider.openai-" + PREFIX + ".cfg", ("baseUrl = " + upstream.baseUrl() + "\n"
                + ".apiKey = " + API_KEY + "\ndisplayPrefix = " + PREFIX + "\nmodelCacheSeconds = 1\n").getBytes(StandardCharsets.UTF_8));
        // nothing listens on port 9: the store fails to connect, and says so, with the URL it was given
        dropIn(deploy, "dev.neutron.store.jdbc.cfg", ("url = jdbc:postgresql://neutron:" + DB_URL_PASSWORD
                + "@127.0.0.1:9/neutron?user=neutron&password=" + DB_URL_PASSWORD + "&connectTimeout=1\nuser = neutron\n"
                + "password = " + DB_PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        URI ollama = URI.create(NeutronServer.ollamaUrl());
        String ollamaWithCredentials = ollama.getScheme() + "://neutron:" + OLLAMA_PASSWORD + "@" + ollama.getAuthority();
        Path dataDir = temp.resolve("data");
        try (upstream; NeutronServer neutron = new NeutronServer(distribution, dataDir,
                Map.of("OLLAMA_HOST", ollamaWithCredentials, "NEUTRON_API_TOKEN", TOKEN)).start()) {
            String base = neutron.baseUrl();
            awaitModel(base, PREFIX + "/" + ScriptedLeakyOpenAi.MODEL);
            assertTrue(upstream.authorizations.contains("Bearer " + API_KEY), "the key reached the upstream: "
                    + upstream.authorizations);

            call(base, "GET", "/api/v1/health", null, TOKEN);
            call(base, "GET", "/api/v1/settings", null, TOKEN);
            call(base, "PUT", "/api/v1/settings", "{\"ollamaUrl\":\"http://neutron:" + SETTINGS_PASSWORD + "@"
                    + ollama.getAuthority() + "\"}", TOKEN);
            JsonNode settings = NeutronServer.JSON.readTree(call(base, "GET", "/api/v1/settings", null, TOKEN).body());
            assertTrue(settings.path("ollamaUrl").asText().contains("***@"), settings.toString());
            call(base, "PUT", "/api/v1/settings", "{\"ollamaUrl\":\"http://neutron:" + SETTINGS_PASSWORD + "@127.0.0.1:9\"}", TOKEN);
            call(base, "GET", "/api/v1/chat/models", null, TOKEN);
            call(base, "PUT", "/api/v1/settings", "{\"ollamaUrl\":\"http://neutron:" + SETTINGS_PASSWORD + "@"
                    + ollama.getAuthority() + "\"}", TOKEN);
            call(base, "GET", "/api/v1/chat/models", null, TOKEN);
            call(base, "GET", "/api/v1/models", null, TOKEN);
            call(base, "GET", "/api/v1/chat/sessions", null, null);
            call(base, "GET", "/api/v1/chat/sessions", null, TOKEN + "x");
            call(base, "GET", "/api/v1/chat/sessions/chat_0000000000000000", null, TOKEN);
            call(base, "POST", "/api/v1/chat/sessions", "{\"title\":", TOKEN);
            String session = NeutronServer.JSON.readTree(call(base, "POST", "/api/v1/chat/sessions",
                    "{\"title\":\"secrets\",\"model\":\"" + PREFIX + "/" + ScriptedLeakyOpenAi.MODEL + "\"}", TOKEN).body())
                    .get("id").asText();
            HttpResponse<String> failed = call(base, "POST", "/api/v1/chat/sessions/" + session + "/messages",
                    "{\"content\":\"Hello\"}", TOKEN);
            assertTrue(failed.body().contains("event: error"), "the failing upstream gives an error event: " + failed.body());
            call(base, "GET", "/api/v1/chat/sessions/" + session + "/messages", null, TOKEN);
            call(base, "POST", "/api/v1/chat/sessions/" + session + "/messages",
                    "{\"content\":\"Hello\",\"model\":\"no-such-model\"}", TOKEN);
            call(base, "GET", "/api/v1/chat/export", null, TOKEN);
            call(base, "GET", "/api/v1/openapi.json", null, TOKEN);
            call(base, "GET", "/api/v1/nothing-here", null, TOKEN);
            neutron.stop();

            Map<String, String> places = new LinkedHashMap<>();
            for (int i = 0; i < answers.size(); i++) {
                places.put("API answer " + i, answers.get(i));
            }
            try (Stream<Path> logs = Files.list(dataDir.resolveSibling("logs"))) {
                for (Path log : logs.toList()) {
                    places.put("log " + log.getFileName(), Files.readString(log, StandardCharsets.ISO_8859_1));
                }
            }
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path file : files.filter(Files::isRegularFile).filter(f -> !keepsConfiguration(dataDir.relativize(f))).toList()) {
                    places.put("data file " + dataDir.relativize(file), Files.readString(file, StandardCharsets.ISO_8859_1));
                }
            }
            List<String> leaks = new ArrayList<>();
            places.forEach((place, text) -> {
                for (String secret : SECRETS) {
                    int at = text.indexOf(secret);
                    if (at >= 0) {
                        leaks.add(secret + " in " + place + ": …" + text.substring(Math.max(0, at - 120),
                                Math.min(text.length(), at + secret.length() + 40)) + "…");
                    }
                }
            });
            assertTrue(places.keySet().stream().anyMatch(p -> p.startsWith("log ")), "the logs were read: " + places.keySet());
            assertTrue(places.values().stream().anyMatch(text -> text.contains("url has a user name or password before the"
                    + " host (jdbc:postgresql://neutron@127.0.0.1:9/neutron?user=neutron&connectTimeout=1)")),
                    "the store refuses a URL with credentials before the host, which the driver would quote");
            assertEquals(List.of(), leaks);
            System.out.printf("Secrets: %d API answers, %d log and data files checked for %d secrets: no leak%n",
                    answers.size(), places.size() - answers.size(), SECRETS.size());
        }
    }

    /**
     * The stores of configuration, which must hold the secrets to use them: the settings the user saved and Felix's
     * ConfigAdmin (the .cfg files of deploy/). Everything else in the data directory (chats, index, logs) is checked.
     */
    private static boolean keepsConfiguration(Path relative) {
        String path = relative.toString().replace('\\', '/');
        return path.equals("settings.json") || path.startsWith("cache/felix/") && path.contains("/data/config/");
    }

    /** Sends the request and keeps the whole answer, status line and headers included, for the leak check. */
    private HttpResponse<String> call(String base, String method, String path, String json, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        answers.add(method + " " + path + " → " + response.statusCode() + "\n" + response.headers().map() + "\n"
                + response.body());
        return response;
    }

    private void awaitModel(String base, String model) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            HttpResponse<String> models = call(base, "GET", "/api/v1/chat/models", null, TOKEN);
            if (models.statusCode() == 200 && models.body().contains("\"" + model + "\"")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(model + " was not listed within 120 s: " + models.body());
            }
            Thread.sleep(100);
        }
    }

    private static Path providerJar() {
        Path jar = Path.of(System.getProperty("neutron.extraBundles", "target/extra-bundles"))
                .resolve("neutron-provider-openai.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with `mvn -pl distribution -am package`");
        }
        return jar;
    }

    /** Written beside deploy/ and moved in, so that FileInstall never sees a half-written file. */
    private void dropIn(Path deploy, String name, byte[] content) throws IOException {
        Path staged = temp.resolve(name + ".staged");
        Files.write(staged, content);
        Files.move(staged, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A scripted fake OpenAI-compatible server (a fault injector, not a model): lists one model, and refuses every
     * chat with a 401 whose message repeats the Authorization header it was sent, as some proxies do.
     */
    static final class ScriptedLeakyOpenAi implements AutoCloseable {
        static final String MODEL = "leaky-model";
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        ScriptedLeakyOpenAi() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/models", exchange -> {
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                respond(exchange, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}");
            });
            server.createContext("/v1/chat/completions", exchange -> {
                String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
                authorizations.add(authorization);
                exchange.getRequestBody().readAllBytes();
                respond(exchange, 401, "{\"error\":{\"message\":\"Incorrect API key provided: " + authorization
                        + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
            });
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
