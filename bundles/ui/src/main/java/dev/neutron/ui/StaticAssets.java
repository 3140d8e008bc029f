package dev.neutron.ui;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the built web UI from the bundle: "/" is index.html, Vite's content-hashed files under
 * assets/ are cached forever, everything is ETagged and gzipped when the client accepts it.
 * Paths under /api/ never fall back to the UI: they get the API's JSON 404, so a missing
 * endpoint reads as an error in the UI rather than as an HTML page.
 *
 * <p>Pure logic (no servlet types) so it can be tested without a container.
 */
final class StaticAssets {

    /** What to send back: status, headers, and a body (null for none). */
    record Reply(int status, Map<String, String> headers, byte[] body) {}

    static final String INDEX = "index.html";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final int GZIP_MIN_BYTES = 1024;

    private record Asset(byte[] bytes, byte[] gzipped, String etag, String contentType) {}

    private final Function<String, URL> lookup;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    /**
     * @param lookup finds a file of the UI by its name relative to the web root ("index.html",
     *     "assets/index-abc.js"), or returns null
     */
    StaticAssets(Function<String, URL> lookup) {
        this.lookup = lookup;
    }

    Reply handle(String method, String path, String acceptEncoding, String ifNoneMatch) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (p.equals("/api") || p.startsWith("/api/")) {
            return json(404, "not_found", "There is no API endpoint at " + p + ".");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Map<String, String> h = baseHeaders();
            h.put("Allow", "GET, HEAD");
            return text(405, h, "Method not allowed");
        }
        String name = resourceName(p);
        if (name == null) {
            return text(404, baseHeaders(), "Not found");
        }
        Optional<Asset> asset = load(name);
        if (asset.isEmpty() && isClientRoute(name)) {
            name = INDEX;
            asset = load(INDEX);
        }
        if (asset.isEmpty()) {
            return text(404, baseHeaders(), "Not found");
        }
        Asset a = asset.get();
        Map<String, String> h = baseHeaders();
        h.put("Content-Type", a.contentType());
        h.put("Cache-Control", cacheControl(name));
        h.put("ETag", a.etag());
        if (name.equals(INDEX)) {
            h.put("Content-Security-Policy", CSP);
            h.put("Referrer-Policy", "no-referrer");
            h.put("X-Frame-Options", "DENY");
        }
        if (a.gzipped() != null) {
            h.put("Vary", "Accept-Encoding");
        }
        if (ifNoneMatch != null && etagMatches(ifNoneMatch, a.etag())) {
            return new Reply(304, h, null);
        }
        byte[] body = a.bytes();
        if (a.gzipped() != null && acceptsGzip(acceptEncoding)) {
            h.put("Content-Encoding", "gzip");
            body = a.gzipped();
        }
        return new Reply(200, h, body);
    }

    /** Maps a request path to a file name under the web root, or null when it is not a safe name. */
    static String resourceName(String path) {
        if (path.equals("/") || path.equals("/" + INDEX)) {
            return INDEX;
        }
        if (!path.startsWith("/") || path.endsWith("/")) {
            return null;
        }
        String name = path.substring(1);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == '%' || c == ':') {
                return null;
            }
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".")) {
                return null; // "//", "..", ".hidden"
            }
        }
        return name;
    }

    /** A path without a file extension is a route of the single-page app: it gets index.html. */
    static boolean isClientRoute(String name) {
        String last = name.substring(name.lastIndexOf('/') + 1);
        return !last.contains(".") && !name.startsWith("assets/");
    }

    static String cacheControl(String name) {
        return name.startsWith("assets/") ? IMMUTABLE : REVALIDATE;
    }

    static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "html", "htm" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "json", "map" -> "application/json; charset=utf-8";
            case "webmanifest" -> "application/manifest+json; charset=utf-8";
            case "txt" -> "text/plain; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "gif" -> "image/gif";
            case "webp" -> "image/webp";
            case "ico" -> "image/x-icon";
            case "woff" -> "font/woff";
            case "woff2" -> "font/woff2";
            case "wasm" -> "application/wasm";
            default -> "application/octet-stream";
        };
    }

    static boolean compressible(String contentType) {
        return contentType.startsWith("text/") || contentType.startsWith("application/json")
                || contentType.startsWith("application/manifest+json") || contentType.startsWith("image/svg+xml");
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] kv = part.trim().split(";");
            if (kv[0].trim().equalsIgnoreCase("gzip")) {
                for (int i = 1; i < kv.length; i++) {
                    String q = kv[i].trim();
                    if (q.startsWith("q=") && q.substring(2).trim().matches("0(\\.0*)?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    static boolean etagMatches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private Optional<Asset> load(String name) {
        return cache.computeIfAbsent(name, n -> {
            URL url = lookup.apply(n);
            if (url == null) {
                return Optional.empty();
            }
            byte[] bytes;
            try (InputStream in = url.openStream()) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                return Optional.empty();
            }
            String type = contentType(n);
            byte[] gz = compressible(type) && bytes.length >= GZIP_MIN_BYTES ? gzip(bytes) : null;
            return Optional.of(new Asset(bytes, gz, etag(bytes), type));
        });
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> baseHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Content-Type-Options", "nosniff");
        return h;
    }

    private static Reply text(int status, Map<String, String> h, String message) {
        h.put("Content-Type", "text/plain; charset=utf-8");
        h.put("Cache-Control", REVALIDATE);
        return new Reply(status, h, message.getBytes(StandardCharsets.UTF_8));
    }

    private static Reply json(int status, String code, String message) {
        Map<String, String> h = baseHeaders();
        h.put("Content-Type", "application/json; charset=utf-8");
        h.put("Cache-Control", "no-store");
        String body = "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + jsonEscape(message) + "\"}}";
        return new Reply(status, h, body.getBytes(StandardCharsets.UTF_8));
    }

    static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
