package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code /api/v1/openapi.json} from drifting: every servlet pattern the distribution's bundles register (read
 * from their DS descriptors) is documented, every documented path is served, and on every documented path each
 * documented method is served while every other method is a 405 whose {@code Allow} lists exactly the documented ones.
 */
class OpenApiContractIT {
    private static final String PATTERN_PROPERTY = "osgi.http.whiteboard.servlet.pattern";
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    @TempDir
    static Path temp;
    private static ScriptedOllama ollama;
    private static NeutronServer neutron;
    private static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        ollama = new ScriptedOllama();
        neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", ollama.baseUrl())).start();
        document = neutron.json("GET", "/api/v1/openapi.json", null, 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    @Test
    void theDocumentIsServedAsJson() throws Exception {
        HttpResponse<String> response = neutron.send("GET", "/api/v1/openapi.json", null);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("3.1.0", document.path("openapi").asText());
    }

    @Test
    void everyServletPatternOfTheBundlesIsDocumentedAndEveryDocumentedPathIsServed() throws IOException {
        Set<String> patterns = servletPatterns(NeutronServer.distribution().resolve("bundle"));
        patterns.remove("/*"); // the UI's static files
        assertTrue(patterns.contains("/api/v1/chat/sessions/*"), "patterns read: " + patterns);
        Set<String> paths = documentedPaths();
        List<String> undocumented = new ArrayList<>();
        for (String pattern : patterns) {
            boolean covered = pattern.endsWith("/*")
                    ? paths.stream().anyMatch(path -> path.startsWith(pattern.substring(0, pattern.length() - 1)))
                    : paths.contains(pattern);
            if (!covered) {
                undocumented.add(pattern);
            }
        }
        assertEquals(List.of(), undocumented, "servlet patterns without a documented path");
        List<String> unserved = paths.stream().filter(path -> patterns.stream().noneMatch(pattern -> pattern.endsWith("/*")
                ? path.startsWith(pattern.substring(0, pattern.length() - 1)) || path.equals(pattern.substring(0, pattern.length() - 2))
                : path.equals(pattern))).toList();
        assertEquals(List.of(), unserved, "documented paths no servlet pattern serves");
    }

    @Test
    void everyDocumentedMethodIsServedAndEveryOtherIsA405ListingTheDocumentedOnes() throws Exception {
        List<String> drift = new ArrayList<>();
        for (String path : documentedPaths()) {
            Set<String> documented = new TreeSet<>();
            document.path("paths").path(path).fieldNames().forEachRemaining(name -> {
                if (METHODS.contains(name.toUpperCase())) {
                    documented.add(name.toUpperCase());
                }
            });
            String concrete = path.replace("{sessionId}", "chat_0123456789abcdef").replace("{messageId}", "msg_unknown")
                    .replace("{attachmentId}", "att_0123456789abcdef").replace("{jobId}", "no-such-job");
            for (String method : METHODS) {
                HttpResponse<String> response = neutron.send(method, concrete, null);
                String code = errorCode(response);
                if (documented.contains(method)) {
                    if (response.statusCode() == 405 || "not_found".equals(code)) {
                        drift.add(method + " " + path + " is documented but answers " + response.statusCode() + " " + code);
                    }
                } else if (response.statusCode() != 405) {
                    drift.add(method + " " + path + " is not documented but answers " + response.statusCode() + " " + code);
                } else {
                    Set<String> allowed = new TreeSet<>(List.of(response.headers().firstValue("Allow").orElse("").split(",\\s*")));
                    if (!allowed.equals(documented)) {
                        drift.add(method + " " + path + ": Allow " + allowed + " but documented " + documented);
                    }
                }
            }
        }
        assertEquals(List.of(), drift);
    }

    @Test
    void aWrongMethodOnAnUnknownModelJobIsA405NotA404() throws Exception {
        HttpResponse<String> response = neutron.send("PUT", "/api/v1/models/jobs/no-such-job", null);
        assertEquals(405, response.statusCode(), response.body());
        assertEquals("GET, DELETE", response.headers().firstValue("Allow").orElse(""));
        assertNotEquals("job_not_found", errorCode(response));
    }

    private static String errorCode(HttpResponse<String> response) throws IOException {
        String body = response.body();
        if (body == null || !body.startsWith("{")) {
            return "";
        }
        return NeutronServer.JSON.readTree(body).path("error").path("code").asText("");
    }

    private static Set<String> documentedPaths() {
        Set<String> paths = new TreeSet<>();
        Iterator<String> names = document.path("paths").fieldNames();
        names.forEachRemaining(paths::add);
        return paths;
    }

    /** The whiteboard servlet patterns declared in the DS descriptors (OSGI-INF/*.xml) of every bundle. */
    static Set<String> servletPatterns(Path bundleDir) throws IOException {
        Pattern property = Pattern.compile("<property name=\"" + Pattern.quote(PATTERN_PROPERTY)
                + "\"[^>]*?(?:value=\"([^\"]*)\"\\s*/>|>([^<]*)</property>)");
        Set<String> patterns = new TreeSet<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(bundleDir, "*.jar")) {
            for (Path jar : jars) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    for (ZipEntry entry : file.stream().filter(e -> e.getName().startsWith("OSGI-INF/")
                            && e.getName().endsWith(".xml")).toList()) {
                        String xml;
                        try (InputStream in = file.getInputStream(entry)) {
                            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }
                        Matcher matcher = property.matcher(xml);
                        while (matcher.find()) {
                            String values = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
                            for (String value : values.split("\\R")) {
                                if (!value.isBlank()) {
                                    patterns.add(value.strip());
                                }
                            }
                        }
                    }
                }
            }
        }
        return patterns;
    }
}
