package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What external probes of the assembled distribution send: malformed HTTP, odd bodies, foreign origins. Every answer
 * is a coded JSON 4xx error with {@code X-Content-Type-Options: nosniff}; never a 500, never Jetty's HTML page.
 */
class HttpHardeningIT {
    /** Short, so that the stalled-body cases end soon; the server's own timeout decides when, not this test. */
    private static final String IDLE_TIMEOUT_OPTS = "-Dorg.apache.felix.http.timeout=3000";

    @TempDir
    static Path temp;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static RunningNeutron neutron;
    private static int port;
    private static String sessionId;

    @BeforeAll
    static void start() throws Exception {
        neutron = RunningNeutron.start(NeutronServer.distribution(), temp.resolve("data"), temp.resolve("logs"), HTTP,
                Duration.ofSeconds(30), Map.of("JAVA_OPTS", IDLE_TIMEOUT_OPTS));
        port = neutron.baseUri.getPort();
        RawHttp.Response created = postJson("/api/v1/chat/sessions", "{\"title\":\"probe\"}");
        assertEquals(201, created.status(), created.body());
        sessionId = created.json().get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
    }

    private static void assertJsonError(RawHttp.Response response, int status, String code) throws IOException {
        assertEquals(status, response.status(), response.headers() + " " + response.body());
        assertEquals(code, response.errorCode(), response.body());
        assertTrue(response.json().path("error").path("message").asText().length() > 10, response.body());
        assertTrue(response.header("Content-Type").startsWith("application/json"), response.header("Content-Type"));
        assertEquals("nosniff", response.header("X-Content-Type-Options"), response.headers().toString());
    }

    private static RawHttp.Response postJson(String path, String json) throws IOException {
        return postJson(path, json.getBytes(StandardCharsets.UTF_8));
    }

    private static RawHttp.Response postJson(String path, byte[] json) throws IOException {
        return RawHttp.exchange(port, "POST " + path + " HTTP/1.1\nHost: 127.0.0.1:" + port
                + "\nContent-Type: application/json\nContent-Length: " + json.length + "\nConnection: close\n", json);
    }

    private static RawHttp.Response get(String target, String headers) throws IOException {
        return RawHttp.exchange(port, "GET " + target + " HTTP/1.1\n" + headers + "Connection: close\n");
    }

    private String host() {
        return "Host: 127.0.0.1:" + port + "\n";
    }

    // --- Host header ---

    @Test
    void aRequestWithoutHostIsRefused() throws Exception {
        assertJsonError(get("/api/v1/chat/sessions", ""), 400, "invalid_request");
    }

    @Test
    void anHttp10RequestWithoutHostIsRefused() throws Exception {
        assertJsonError(RawHttp.exchange(port, "GET /api/v1/chat/sessions HTTP/1.0\n"), 400, "invalid_request");
    }

    @Test
    void anEmptyHostIsRefused() throws Exception {
        assertJsonError(get("/api/v1/chat/sessions", "Host: \n"), 400, "invalid_request");
    }

    @Test
    void twoHostHeadersAreRefused() throws Exception {
        assertJsonError(get("/api/v1/chat/sessions", host() + "Host: evil.example\n"), 400, "invalid_request");
    }

    @Test
    void aForeignHostIsForbidden() throws Exception {
        assertJsonError(get("/api/v1/chat/sessions", "Host: evil.example:" + port + "\n"), 403, "forbidden_host");
    }

    // --- what Jetty refuses before any servlet runs ---

    @Test
    void anAmbiguousUriIsABadRequest() throws Exception {
        assertJsonError(get("/api/v1/chat/sessions/..%2F..%2Fetc%2Fpasswd", host()), 400, "invalid_request");
    }

    @Test
    void aTooLongUriIsRefused() throws Exception {
        assertJsonError(get("/api/v1/chat/sessions/" + "a".repeat(20_000), host()), 414, "uri_too_long");
    }

    @Test
    void tooLargeHeadersAreRefused() throws Exception {
        assertJsonError(get("/api/v1/chat/sessions", host() + "X-Filler: " + "a".repeat(20_000) + "\n"), 431,
                "headers_too_large");
    }

    @Test
    void anUnknownPathIsAJsonNotFound() throws Exception {
        assertJsonError(get("/api/v1/no-such-thing", host()), 404, "not_found");
    }

    // --- bodies ---

    @Test
    void aMalformedChunkedBodyIsABadRequest() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port, "POST /api/v1/chat/sessions HTTP/1.1\n" + host()
                + "Content-Type: application/json\nTransfer-Encoding: chunked\nConnection: close\n",
                "ZZ\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertJsonError(response, 400, "invalid_request");
    }

    @Test
    void aBodyThatStopsArrivingTimesOut() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port, "POST /api/v1/chat/sessions HTTP/1.1\n" + host()
                + "Content-Type: application/json\nContent-Length: 100\nConnection: close\n",
                "{\"title\":".getBytes(StandardCharsets.US_ASCII));
        assertJsonError(response, 408, "request_timeout");
    }

    @Test
    void anUploadThatStopsArrivingTimesOut() throws Exception {
        byte[] start = ("--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhel").getBytes(StandardCharsets.US_ASCII);
        RawHttp.Response response = RawHttp.exchange(port, "POST /api/v1/chat/sessions/" + sessionId + "/upload HTTP/1.1\n"
                + host() + "Content-Type: multipart/form-data; boundary=XX\nContent-Length: 1000\nConnection: close\n", start);
        assertJsonError(response, 408, "request_timeout");
    }

    // --- multipart uploads ---

    private RawHttp.Response upload(String multipartBody) throws IOException {
        byte[] body = multipartBody.getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(port, "POST /api/v1/chat/sessions/" + sessionId + "/upload HTTP/1.1\n" + host()
                + "Content-Type: multipart/form-data; boundary=XX\nContent-Length: " + body.length
                + "\nConnection: close\n", body);
    }

    private static String filePart(String fileName) {
        return "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n";
    }

    @Test
    void aMultipartBodyWithoutClosingBoundaryIsABadRequest() throws Exception {
        assertJsonError(upload(filePart("a.txt")), 400, "invalid_request");
    }

    @Test
    void aMultipartBodyWithThousandsOfPartsIsABadRequest() throws Exception {
        String parts = IntStream.range(0, 3000).mapToObj(i -> "--XX\r\nContent-Disposition: form-data; name=\"f" + i
                + "\"\r\n\r\nx\r\n").collect(Collectors.joining());
        assertJsonError(upload(parts + "--XX--\r\n"), 400, "invalid_request");
    }

    @Test
    void aFileNameWithNulIsABadRequest() throws Exception {
        assertJsonError(upload(filePart("a\u0000b.txt") + "--XX--\r\n"), 400, "invalid_request");
    }

    @Test
    void aVeryLongFileNameIsABadRequest() throws Exception {
        assertJsonError(upload(filePart("a".repeat(5000) + ".txt") + "--XX--\r\n"), 400, "invalid_request");
    }

    @Test
    void aWellFormedUploadStillWorks() throws Exception {
        RawHttp.Response response = upload(filePart("notes.txt") + "--XX--\r\n");
        assertEquals(201, response.status(), response.body());
        assertEquals("notes.txt", response.json().get("attachment").get("fileName").asText());
        assertEquals("nosniff", response.header("X-Content-Type-Options"));
    }

    // --- strict JSON ---

    @Test
    void jsonWithTrailingGarbageIsInvalid() throws Exception {
        assertJsonError(postJson("/api/v1/chat/sessions", "{}xyz"), 400, "invalid_json");
        assertJsonError(postJson("/api/v1/chat/sessions", "{} {}"), 400, "invalid_json");
    }

    @Test
    void numbersWhereStringsBelongAreInvalid() throws Exception {
        assertJsonError(postJson("/api/v1/chat/sessions", "{\"title\":5}"), 400, "invalid_request");
        assertJsonError(postJson("/api/v1/chat/sessions/" + sessionId + "/messages", "{\"content\":5}"), 400,
                "invalid_request");
    }

    @Test
    void duplicateKeysAreInvalid() throws Exception {
        assertJsonError(postJson("/api/v1/chat/sessions", "{\"title\":\"a\",\"title\":\"b\"}"), 400, "invalid_json");
    }

    @Test
    void overlongUtf8IsInvalid() throws Exception {
        byte[] body = {'{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xC0, (byte) 0xAE, (byte) 0xC0, (byte) 0xAE, '"', '}'};
        assertJsonError(postJson("/api/v1/chat/sessions", body), 400, "invalid_json");
    }

    // --- CORS ---

    @Test
    void anotherLocalhostPortCannotReadTheChats() throws Exception {
        RawHttp.Response response = get("/api/v1/chat/export", host() + "Origin: http://localhost:5173\n");
        assertJsonError(response, 403, "forbidden_origin");
        assertNull(response.header("Access-Control-Allow-Origin"));
        RawHttp.Response preflight = RawHttp.exchange(port, "OPTIONS /api/v1/chat/sessions HTTP/1.1\n" + host()
                + "Origin: http://127.0.0.1:9999\nAccess-Control-Request-Method: GET\nConnection: close\n");
        assertJsonError(preflight, 403, "forbidden_origin");
        assertNull(preflight.header("Access-Control-Allow-Origin"));
    }

    @Test
    void neutronsOwnOriginNeedsNoCors() throws Exception {
        RawHttp.Response response = get("/api/v1/chat/export", host() + "Origin: http://127.0.0.1:" + port + "\n");
        assertEquals(200, response.status(), response.body());
        assertNull(response.header("Access-Control-Allow-Origin"));
        assertFalse(response.body().isEmpty());
    }

    @Test
    void theUiLoadsWithNosniff() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(null));
    }
}
