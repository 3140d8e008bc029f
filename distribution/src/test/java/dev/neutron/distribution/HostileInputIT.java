package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input against the distribution: a path-traversal corpus in every id and name the API takes (session,
 * message, attachment and job ids in paths, model names in bodies and queries, upload file names, ids in imports and
 * search), oversized bodies and headers, and deeply nested JSON on every JSON endpoint. Each gets a clear JSON 4xx,
 * never a 5xx, and nothing is written outside the data directory. (HttpHardeningIT covers the HTTP framing itself.)
 */
class HostileInputIT {
    /** Names that try to leave a directory; "pwned" marks any file they might create. */
    static final List<String> TRAVERSAL = List.of(
            "../pwned", "../../../../../../tmp/pwned", "..%2f..%2fpwned", "%2e%2e%2f%2e%2e%2fpwned",
            "%2e%2e/%2e%2e/pwned", "..%5c..%5cpwned", "..\\..\\pwned", "/etc/passwd", "%2fetc%2fpasswd",
            "C:\\Windows\\win.ini", "pwned%00.txt", "..%00/pwned", "%252e%252e%252fpwned", "..%c0%afpwned",
            "\uff0e\uff0e\uff0fpwned", "\u2025/pwned", "..\u2215pwned", "chat_0123456789abcdef/../../pwned",
            "./././pwned", "....//....//pwned", "~/pwned", "pwned" + "x".repeat(4000));
    private static final List<String> JSON_ENDPOINTS = List.of(
            "POST /api/v1/chat/sessions", "PATCH /api/v1/chat/sessions/{id}", "POST /api/v1/chat/sessions/{id}/messages",
            "POST /api/v1/chat/sessions/{id}/messages/msg_x/regenerate", "PUT /api/v1/settings",
            "POST /api/v1/models/pull", "POST /api/v1/models/copy", "POST /api/v1/models/load",
            "POST /api/v1/models/unload", "POST /api/v1/models/create");

    @TempDir
    static Path temp;
    private static ScriptedOllama ollama;
    private static NeutronServer neutron;
    private static String sessionId;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        ollama = new ScriptedOllama();
        neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", ollama.baseUrl())).start();
        port = java.net.URI.create(neutron.baseUrl()).getPort();
        sessionId = neutron.json("POST", "/api/v1/chat/sessions", Map.of("title", "hostile"), 201).get("id").asText();
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

    /** A path segment as a hostile client sends it: ASCII as it is (its %-escapes too), anything else UTF-8 escaped. */
    private static String segment(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            out.append(c < 0x80 && c > 0x20 && c != '?' && c != '#' ? String.valueOf((char) c) : String.format("%%%02X", c));
        }
        return out.toString();
    }

    private static RawHttp.Response raw(String method, String target) throws IOException {
        return RawHttp.exchange(port, method + " " + target + " HTTP/1.1\nHost: 127.0.0.1:" + port
                + "\nContent-Length: 0\nConnection: close\n");
    }

    private static void assertClientError(String what, int status, String contentType, String body, List<String> failures) {
        boolean json = contentType != null && contentType.startsWith("application/json");
        String code = "";
        try {
            code = json ? NeutronServer.JSON.readTree(body).path("error").path("code").asText("") : "";
        } catch (IOException e) {
            // stays empty: reported below
        }
        if (status < 400 || status >= 500 || code.isEmpty() || body.contains("root:")) {
            failures.add(what + " -> " + status + " " + body.substring(0, Math.min(200, body.length())));
        }
    }

    @Test
    void traversalInEveryPathIdIsAClearClientError() throws Exception {
        List<String> failures = new ArrayList<>();
        List<String> templates = List.of(
                "GET /api/v1/chat/sessions/{x}", "PATCH /api/v1/chat/sessions/{x}", "DELETE /api/v1/chat/sessions/{x}",
                "GET /api/v1/chat/sessions/{x}/messages", "GET /api/v1/chat/sessions/{x}/stream",
                "POST /api/v1/chat/sessions/{x}/stop", "GET /api/v1/chat/sessions/{x}/attachments",
                "DELETE /api/v1/chat/sessions/{s}/messages/{x}", "POST /api/v1/chat/sessions/{s}/messages/{x}/regenerate",
                "GET /api/v1/chat/sessions/{s}/attachments/{x}", "DELETE /api/v1/chat/sessions/{s}/attachments/{x}",
                "GET /api/v1/models/jobs/{x}", "DELETE /api/v1/models/jobs/{x}", "GET /api/v1/models/jobs/{x}/events");
        for (String template : templates) {
            for (String name : TRAVERSAL) {
                String[] request = template.replace("{s}", sessionId).replace("{x}", segment(name)).split(" ", 2);
                RawHttp.Response response = raw(request[0], request[1]);
                if (!java.net.URI.create(request[1].replace("\\", "%5C")).normalize().getPath().startsWith("/api/")) {
                    // "../" segments that climb out of /api name another path (RFC 3986 dot segments), here the UI's
                    if (response.status() >= 500 || response.body().contains("root:")) {
                        failures.add(template + " with " + name + " -> " + response.status());
                    }
                    continue;
                }
                assertClientError(template + " with " + name, response.status(), response.header("Content-Type"),
                        response.body(), failures);
            }
        }
        assertEquals(List.of(), failures);
        assertNothingEscapedTheDataDirectory();
    }

    @Test
    void traversalInModelNamesAndQueryIdsIsAClearClientError() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String name : TRAVERSAL) {
            String q = URLEncoder.encode(name, StandardCharsets.UTF_8);
            check(failures, "DELETE", "/api/v1/models?name=" + q, null);
            check(failures, "POST", "/api/v1/models/load", Map.of("name", name));
            check(failures, "POST", "/api/v1/models/unload", Map.of("name", name));
            check(failures, "POST", "/api/v1/models/copy", Map.of("from", name, "to", name));
            check(failures, "POST", "/api/v1/models/copy", Map.of("from", ScriptedOllama.MODEL, "to", name));
            check(failures, "POST", "/api/v1/models/pull", Map.of("name", name));
            check(failures, "POST", "/api/v1/models/create", Map.of("name", name, "blob", "sha256:" + "0".repeat(64)));
            check(failures, "POST", "/api/v1/models/create", Map.of("name", "ok:1", "blob", name));
            check(failures, "GET", "/api/v1/chat/search?q=hello&sessionId=" + q, null);
            check(failures, "PATCH", "/api/v1/chat/sessions/" + sessionId, Map.of("activeLeafId", name));
            check(failures, "POST", "/api/v1/chat/sessions/" + sessionId + "/messages",
                    Map.of("content", "hi", "attachments", List.of(name)));
            check(failures, "POST", "/api/v1/chat/sessions/" + sessionId + "/messages", Map.of("content", "hi", "parentId", name));
            HttpResponse<String> imported = neutron.sendRaw("POST", "/api/v1/chat/import", "application/x-ndjson",
                    ("{\"type\":\"session\",\"session\":{\"id\":" + NeutronServer.JSON.writeValueAsString(name)
                            + ",\"title\":\"x\"}}\n").getBytes(StandardCharsets.UTF_8));
            assertClientError("import session id " + name, imported.statusCode(),
                    imported.headers().firstValue("Content-Type").orElse(null), imported.body(), failures);
        }
        assertEquals(List.of(), failures);
        assertNothingEscapedTheDataDirectory();
    }

    private static void check(List<String> failures, String method, String path, Object body) throws Exception {
        HttpResponse<String> response = neutron.send(method, path, body);
        if (response.statusCode() == 200 && path.contains("/messages")) {
            failures.add(method + " " + path + " " + body + " was accepted");
            return;
        }
        assertClientError(method + " " + path + " " + body, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body(), failures);
    }

    @Test
    void traversalInUploadFileNamesIsSanitisedAndStaysInTheDataDirectory() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String name : TRAVERSAL) {
            String part = "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name.replace("\"", "")
                    + "\"\r\nContent-Type: text/plain\r\n\r\nhostile content\r\n--XX--\r\n";
            byte[] body = part.getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> response = neutron.sendRaw("POST", "/api/v1/chat/sessions/" + sessionId + "/upload",
                    "multipart/form-data; boundary=XX", body);
            if (response.statusCode() == 201) {
                JsonNode attachment = NeutronServer.JSON.readTree(response.body()).get("attachment");
                String stored = attachment.get("fileName").asText();
                if (stored.contains("/") || stored.contains("\\") || stored.equals("..") || stored.startsWith("..")
                        || stored.indexOf('\0') >= 0) {
                    failures.add(name + " stored as " + stored);
                }
                HttpResponse<String> download = neutron.send("GET", "/api/v1/chat/sessions/" + sessionId
                        + "/attachments/" + attachment.get("id").asText(), null);
                assertEquals("hostile content", download.body());
            } else {
                assertClientError("upload " + name, response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(null), response.body(), failures);
            }
        }
        assertEquals(List.of(), failures);
        assertNothingEscapedTheDataDirectory();
    }

    /** No file named like a corpus entry exists anywhere under the test's temp root but inside the data directory. */
    private static void assertNothingEscapedTheDataDirectory() throws IOException {
        Path data = temp.resolve("data").toRealPath();
        List<Path> outside;
        try (Stream<Path> walk = Files.walk(temp)) {
            outside = walk.filter(p -> p.getFileName().toString().contains("pwned"))
                    .filter(p -> !p.toAbsolutePath().normalize().startsWith(data)).toList();
        }
        assertEquals(List.of(), outside);
        assertFalse(Files.exists(Path.of("/tmp/pwned")), "a file escaped to /tmp");
    }

    @Test
    void anOversizedBodyOnEveryJsonEndpointIs413() throws Exception {
        String big = "{\"title\":\"" + "x".repeat(2 << 20) + "\"}";
        List<String> failures = new ArrayList<>();
        for (String endpoint : JSON_ENDPOINTS) {
            String[] request = endpoint.replace("{id}", sessionId).split(" ", 2);
            HttpResponse<String> response = neutron.send(request[0], request[1], big);
            if (response.statusCode() != 413 || !response.body().contains("\"code\":\"payload_too_large\"")) {
                failures.add(endpoint + " -> " + response.statusCode() + " " + response.body());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void anImportLineOverItsLimitIs413() throws Exception {
        byte[] line = ("{\"type\":\"session\",\"session\":{\"id\":\"chat_0123456789abcdef\",\"title\":\""
                + "x".repeat(17 << 20) + "\"}}\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = neutron.sendRaw("POST", "/api/v1/chat/import", "application/x-ndjson", line);
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("payload_too_large", NeutronServer.JSON.readTree(response.body()).path("error").path("code").asText(),
                response.body());
    }

    @Test
    void oneHugeHeaderOrThousandsOfHeadersAre431() throws Exception {
        RawHttp.Response huge = RawHttp.exchange(port, "GET /api/v1/health HTTP/1.1\nHost: 127.0.0.1:" + port
                + "\nX-Big: " + "a".repeat(64 << 10) + "\nConnection: close\n");
        assertEquals(431, huge.status(), huge.body());
        assertEquals("headers_too_large", huge.errorCode());
        StringBuilder many = new StringBuilder("GET /api/v1/health HTTP/1.1\nHost: 127.0.0.1:" + port + "\n");
        for (int i = 0; i < 3000; i++) {
            many.append("X-H").append(i).append(": v\n");
        }
        RawHttp.Response manyHeaders = RawHttp.exchange(port, many.append("Connection: close\n").toString());
        assertEquals(431, manyHeaders.status(), manyHeaders.body());
        assertEquals("headers_too_large", manyHeaders.errorCode());
    }

    @Test
    void deeplyNestedJsonOnEveryJsonEndpointIs400() throws Exception {
        List<String> bodies = List.of("[".repeat(100_000), "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000),
                "{\"options\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_001),
                "{\"title\":\"t\",\"x\":" + "[".repeat(3_000) + "]".repeat(3_000) + "}");
        List<String> failures = new ArrayList<>();
        for (String endpoint : JSON_ENDPOINTS) {
            String[] request = endpoint.replace("{id}", sessionId).split(" ", 2);
            for (String body : bodies) {
                HttpResponse<String> response = neutron.send(request[0], request[1], body);
                String code = response.statusCode() == 400
                        ? NeutronServer.JSON.readTree(response.body()).path("error").path("code").asText() : "";
                if (!Set.of("invalid_json", "invalid_request").contains(code)) {
                    failures.add(endpoint + " with " + body.substring(0, 12) + "… -> " + response.statusCode() + " " + response.body());
                }
            }
        }
        HttpResponse<String> imported = neutron.sendRaw("POST", "/api/v1/chat/import", "application/x-ndjson",
                ("[".repeat(100_000) + "\n").getBytes(StandardCharsets.UTF_8));
        if (imported.statusCode() != 400) {
            failures.add("import -> " + imported.statusCode() + " " + imported.body());
        }
        assertEquals(List.of(), failures);
        assertEquals(200, neutron.send("GET", "/api/v1/health", null).statusCode(), "Neutron still answers");
    }
}
