package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beyond loopback Neutron needs NEUTRON_API_TOKEN: without it, it does not start (bin/neutron) or does not answer
 * other machines (a plain {@code java -jar bin/felix.jar}); with it, every API call must send the token.
 */
class ApiTokenIT {
    private static final Pattern LISTENING = Pattern.compile("Neutron listening on (http://\\S+)");
    private static final String TOKEN = "it-" + Long.toHexString(System.nanoTime()) + "-secret";

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void refusesToListenBeyondLoopbackWithoutAToken() throws Exception {
        try (Launched neutron = Launched.start(launcher(Map.of("NEUTRON_HOST", "0.0.0.0")), temp)) {
            assertTrue(neutron.process.waitFor(30, TimeUnit.SECONDS), "bin/neutron should refuse at once");
            assertEquals(2, neutron.process.exitValue());
            String stderr = neutron.stderr();
            assertTrue(stderr.contains("NEUTRON_HOST=0.0.0.0") && stderr.contains("set NEUTRON_API_TOKEN"), stderr);
            assertEquals(null, neutron.listening.get(30, TimeUnit.SECONDS), "no 'Neutron listening on' line");
        }
    }

    @Test
    void beyondLoopbackEveryApiCallNeedsTheToken() throws Exception {
        try (Launched neutron = Launched.start(launcher(Map.of("NEUTRON_HOST", "0.0.0.0", "NEUTRON_API_TOKEN", TOKEN)), temp)) {
            URI printed = neutron.awaitListening();
            assertNotEquals("0.0.0.0", printed.getHost(), "the printed URL names a concrete address");
            awaitHealthy(printed);

            HttpResponse<String> missing = send(printed.resolve("api/v1/chat/sessions"), null);
            assertEquals(401, missing.statusCode(), missing.body());
            assertEquals("unauthorized", NeutronServer.JSON.readTree(missing.body()).path("error").path("code").asText());
            assertEquals("nosniff", missing.headers().firstValue("X-Content-Type-Options").orElse(null));
            assertTrue(missing.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

            HttpResponse<String> wrong = send(printed.resolve("api/v1/chat/sessions"), "Bearer " + TOKEN + "x");
            assertEquals(401, wrong.statusCode(), wrong.body());
            assertEquals("unauthorized", NeutronServer.JSON.readTree(wrong.body()).path("error").path("code").asText());

            HttpResponse<String> right = send(printed.resolve("api/v1/chat/sessions"), "Bearer " + TOKEN);
            assertEquals(200, right.statusCode(), right.body());

            HttpResponse<String> encodedPath = send(printed.resolve("%61pi/v1/chat/export"), null);
            assertEquals(401, encodedPath.statusCode(), "an encoded /api path needs the token too: " + encodedPath.body());

            HttpResponse<String> page = send(printed, null);
            assertEquals(200, page.statusCode(), "the UI's page loads without the token, then asks for it");

            HttpResponse<String> viaLoopback = send(URI.create("http://127.0.0.1:" + printed.getPort() + "/api/v1/health"),
                    "Bearer " + TOKEN);
            assertEquals(200, viaLoopback.statusCode(), viaLoopback.body());
            assertFalse(neutron.stderr().contains(TOKEN), "the token is never logged");
            assertFalse(neutron.stdout().contains(TOKEN), "the token is never printed");
        }
    }

    @Test
    void aTokenSetOnLoopbackIsRequiredThereToo() throws Exception {
        try (Launched neutron = Launched.start(launcher(Map.of("NEUTRON_API_TOKEN", TOKEN)), temp)) {
            URI printed = neutron.awaitListening();
            assertEquals("127.0.0.1", printed.getHost());
            awaitHealthy(printed);
            assertEquals(401, send(printed.resolve("api/v1/chat/export"), null).statusCode());
            assertEquals(200, send(printed.resolve("api/v1/chat/export"), "Bearer " + TOKEN).statusCode());
            // a servlet of another bundle (search) sits behind the same filter
            assertEquals(401, send(printed.resolve("api/v1/chat/search?q=x"), null).statusCode());
            assertEquals(200, send(printed.resolve("api/v1/chat/search?q=x"), "Bearer " + TOKEN).statusCode());
        }
    }

    /** {@code java -jar bin/felix.jar} skips bin/neutron's check; Neutron itself still refuses other machines. */
    @Test
    void withoutTheLauncherOtherMachinesAreStillRefused() throws Exception {
        Optional<InetAddress> lan = nonLoopbackIpv4();
        assertTrue(lan.isPresent(), "this test needs a non-loopback IPv4 address to connect through, and the machine has none");
        Path distribution = NeutronServer.distribution();
        ProcessBuilder plain = new ProcessBuilder(javaBinary(), "-Dfelix.config.properties=file:" + distribution.resolve("conf/config.properties"),
                "-Dfelix.system.properties=file:/dev/null", "-Dfelix.auto.deploy.dir=" + distribution.resolve("bundle"),
                "-Dfelix.fileinstall.dir=" + distribution.resolve("deploy"),
                "-Dorg.osgi.framework.storage=" + temp.resolve("cache"), "-Dorg.apache.felix.http.host=0.0.0.0",
                "-Dorg.osgi.service.http.port=0", "-Dneutron.data.dir=" + temp.resolve("data"),
                "-Djava.util.logging.config.file=" + distribution.resolve("conf/logging.properties"),
                "-jar", distribution.resolve("bin/felix.jar").toString());
        plain.environment().remove("NEUTRON_API_TOKEN");
        plain.environment().put("OLLAMA_HOST", RunningNeutron.UNREACHABLE_OLLAMA);
        try (Launched neutron = Launched.start(plain, temp)) {
            URI printed = neutron.awaitListening();
            assertEquals("127.0.0.1", printed.getHost(), "other machines are refused, so the loopback URL is printed");
            awaitHealthy(printed);
            String lanHost = lan.get().getHostAddress();
            HttpResponse<String> remote = send(URI.create("http://" + lanHost + ":" + printed.getPort() + "/api/v1/chat/export"), null);
            assertEquals(503, remote.statusCode(), remote.body());
            assertEquals("service_unavailable", NeutronServer.JSON.readTree(remote.body()).path("error").path("code").asText());
            assertTrue(NeutronServer.JSON.readTree(remote.body()).path("error").path("message").asText()
                    .contains("NEUTRON_API_TOKEN"));
            assertTrue(neutron.stderr().contains("without NEUTRON_API_TOKEN"), neutron.stderr());
        }
    }

    private ProcessBuilder launcher(Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(NeutronServer.distribution().resolve("bin/neutron").toString())
                .directory(temp.toFile());
        Map<String, String> env = builder.environment();
        env.remove("JAVA_OPTS");
        env.remove("NEUTRON_API_TOKEN");
        env.remove("NEUTRON_HOST");
        env.put("NEUTRON_PORT", "0");
        env.put("NEUTRON_DATA_DIR", temp.resolve("data").toString());
        env.put("OLLAMA_HOST", RunningNeutron.UNREACHABLE_OLLAMA);
        env.putAll(environment);
        return builder;
    }

    private HttpResponse<String> send(URI uri, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitHealthy(URI base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (send(base.resolve("api/v1/health"), "Bearer " + TOKEN).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Neutron at " + base + " was not healthy within 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Optional<InetAddress> nonLoopbackIpv4() throws IOException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!network.isUp() || network.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(network.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    /** One started process with its stdout scanned for the "Neutron listening on" line; killed on close. */
    private static final class Launched implements AutoCloseable {
        final Process process;
        final CompletableFuture<URI> listening = new CompletableFuture<>();
        private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
        private final Path stderrLog;

        private Launched(Process process, Path stderrLog) {
            this.process = process;
            this.stderrLog = stderrLog;
        }

        static Launched start(ProcessBuilder builder, Path temp) throws IOException {
            Path stderrLog = Files.createTempFile(temp, "neutron", ".stderr.log");
            Launched launched = new Launched(builder.redirectError(stderrLog.toFile()).start(), stderrLog);
            Thread pump = new Thread(launched::pump, "neutron-stdout");
            pump.setDaemon(true);
            pump.start();
            return launched;
        }

        private void pump() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    stdout.add(line);
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        listening.complete(URI.create(matcher.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            listening.complete(null);
        }

        URI awaitListening() throws Exception {
            URI uri = listening.get(30, TimeUnit.SECONDS);
            if (uri == null) {
                throw new AssertionError("Neutron printed no 'Neutron listening on' line; stderr:\n" + stderr());
            }
            return uri;
        }

        String stderr() throws IOException {
            return Files.readString(stderrLog, StandardCharsets.UTF_8);
        }

        String stdout() {
            synchronized (stdout) {
                return String.join("\n", stdout);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
