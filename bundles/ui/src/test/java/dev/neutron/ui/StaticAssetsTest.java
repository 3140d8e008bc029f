package dev.neutron.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StaticAssetsTest {

    @TempDir
    Path web;

    StaticAssets assets;

    static final String INDEX_HTML = "<!doctype html><title>Neutron</title><script type=module src=/assets/index-abc123.js></script>";
    static final String BIG_JS = "console.log('neutron');\n".repeat(200);

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(web.resolve("index.html"), INDEX_HTML);
        Files.createDirectories(web.resolve("assets"));
        Files.writeString(web.resolve("assets/index-abc123.js"), BIG_JS);
        Files.writeString(web.resolve("assets/index-def456.css"), "body{margin:0}");
        Files.writeString(web.resolve(".secret"), "nope");
        assets = new StaticAssets(name -> {
            Path f = web.resolve(name).normalize();
            if (!f.startsWith(web) || !Files.isRegularFile(f)) {
                return null;
            }
            try {
                return f.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void rootServesIndexHtmlThatIsRevalidatedAndHasACsp() {
        StaticAssets.Reply r = assets.handle("GET", "/", null, null);
        assertEquals(200, r.status());
        assertEquals("text/html; charset=utf-8", r.headers().get("Content-Type"));
        assertEquals("no-cache", r.headers().get("Cache-Control"));
        assertTrue(r.headers().get("Content-Security-Policy").contains("script-src 'self'"));
        assertEquals(INDEX_HTML, new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void hashedAssetsAreCachedForeverWithTheirContentType() {
        StaticAssets.Reply r = assets.handle("GET", "/assets/index-def456.css", null, null);
        assertEquals(200, r.status());
        assertEquals("text/css; charset=utf-8", r.headers().get("Content-Type"));
        assertEquals("public, max-age=31536000, immutable", r.headers().get("Cache-Control"));
        assertEquals("nosniff", r.headers().get("X-Content-Type-Options"));
    }

    @Test
    void largeTextIsGzippedOnlyWhenTheClientAcceptsIt() throws IOException {
        StaticAssets.Reply plain = assets.handle("GET", "/assets/index-abc123.js", null, null);
        assertNull(plain.headers().get("Content-Encoding"));
        assertEquals(BIG_JS, new String(plain.body(), StandardCharsets.UTF_8));
        assertEquals("Accept-Encoding", plain.headers().get("Vary"));

        StaticAssets.Reply gz = assets.handle("GET", "/assets/index-abc123.js", "br, gzip;q=0.8", null);
        assertEquals("gzip", gz.headers().get("Content-Encoding"));
        assertTrue(gz.body().length < plain.body().length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
        assertNull(assets.handle("GET", "/assets/index-abc123.js", "gzip;q=0", null).headers().get("Content-Encoding"));
    }

    @Test
    void matchingEtagGivesNotModifiedWithoutBody() {
        String etag = assets.handle("GET", "/", null, null).headers().get("ETag");
        StaticAssets.Reply r = assets.handle("GET", "/", null, "W/\"other\", " + etag);
        assertEquals(304, r.status());
        assertNull(r.body());
        assertEquals(200, assets.handle("GET", "/", null, "\"stale\"").status());
    }

    @Test
    void apiPathsNeverFallBackToTheUiButGetTheJsonErrorEnvelope() {
        for (String method : new String[] {"GET", "POST", "DELETE"}) {
            StaticAssets.Reply r = assets.handle(method, "/api/v1/chat/sessions/abc/upload", null, null);
            assertEquals(404, r.status());
            assertEquals("application/json; charset=utf-8", r.headers().get("Content-Type"));
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertTrue(body.startsWith("{\"error\":{\"code\":\"not_found\",\"message\":\"There is no API endpoint at /api/v1/chat/sessions/abc/upload."), body);
        }
    }

    @Test
    void extensionlessPathsAreClientRoutesServedWithIndexHtml() {
        StaticAssets.Reply r = assets.handle("GET", "/chat/123", null, null);
        assertEquals(200, r.status());
        assertEquals(INDEX_HTML, new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(404, assets.handle("GET", "/missing.js", null, null).status());
        assertEquals(404, assets.handle("GET", "/assets/missing", null, null).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../pom.xml", "/assets/../../x", "/.secret", "//etc/passwd", "/assets/", "/a\\b.js", "/c:/x.js", "/a%2e.js"})
    void unsafeOrDirectoryPathsAreNotFound(String path) {
        assertNull(StaticAssets.resourceName(path));
        assertEquals(404, assets.handle("GET", path, null, null).status());
    }

    @Test
    void onlyGetAndHeadAreAllowed() {
        StaticAssets.Reply r = assets.handle("POST", "/", null, null);
        assertEquals(405, r.status());
        assertEquals("GET, HEAD", r.headers().get("Allow"));
        assertEquals(200, assets.handle("HEAD", "/", null, null).status());
    }

    @ParameterizedTest
    @CsvSource({
        "index.html, text/html; charset=utf-8",
        "assets/a.js, text/javascript; charset=utf-8",
        "assets/a.css, text/css; charset=utf-8",
        "assets/a.svg, image/svg+xml",
        "assets/a.woff2, font/woff2",
        "assets/a.bin, application/octet-stream",
    })
    void contentTypesFollowTheExtension(String name, String type) {
        assertEquals(type, StaticAssets.contentType(name));
    }

    @Test
    void jsonEscapingKeepsMessagesInertInHtmlAndValidInJson() {
        assertEquals("a\\\"b\\\\c\\u003cscript\\u003e\\n", StaticAssets.jsonEscape("a\"b\\c<script>\n"));
        assertFalse(StaticAssets.acceptsGzip(null));
        assertTrue(StaticAssets.acceptsGzip("gzip, deflate, br"));
    }
}
