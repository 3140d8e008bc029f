package dev.neutron.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A scripted stand-in for the CDN in front of a registry, between Ollama and the real registry. Ollama 0.11.4 only
 * downloads a layer it is redirected for (as ollama.com redirects to its CDN), and the registry's filesystem storage
 * never redirects; so a blob GET on {@code 127.0.0.1:<port>} is answered with a 307 to {@code localhost:<port>}, and
 * everything else is passed to the registry as it is. It also injects the faults a real registry can't be made to
 * show on demand: answers are sent at most {@code bytesPerSecond}, so a small model's pull lasts long enough to watch
 * and cancel, {@link #stop()} cuts every transfer and refuses new ones, like a registry that goes away, and
 * {@link #stall()} holds every transfer and new request open without sending a byte, like a registry that hangs.
 */
final class ScriptedCdnRegistryProxy implements AutoCloseable {
    private static final Pattern BLOB = Pattern.compile("/v2/.+/blobs/sha256:[0-9a-f]{64}");
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "date");

    private final HttpServer server;
    private final String registry;
    private final long bytesPerSecond;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Set<HttpExchange> open = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean stopped;
    private volatile boolean stalled;

    ScriptedCdnRegistryProxy(String registryHostPort, long bytesPerSecond) throws IOException {
        this.registry = "http://" + registryHostPort;
        this.bytesPerSecond = bytesPerSecond;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "scripted-cdn-registry-proxy");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code 127.0.0.1:<port>}, to put in front of a model name. */
    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The registry hangs: transfers in flight stop sending, new requests get no answer, connections stay open. */
    void stall() {
        stalled = true;
    }

    /** The registry sends again after {@link #stall()}. */
    void resume() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    private void holdWhileStalled() throws InterruptedException {
        synchronized (gate) {
            while (stalled && !stopped) {
                gate.wait();
            }
        }
    }

    /** The registry goes away: transfers in flight are cut, new connections refused. */
    void stop() {
        synchronized (gate) {
            stopped = true;
            gate.notifyAll();
        }
        open.forEach(HttpExchange::close);
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange exchange) throws IOException {
        open.add(exchange);
        try {
            holdWhileStalled();
            if (stopped) {
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String host = exchange.getRequestHeaders().getFirst("Host");
            if ("GET".equals(exchange.getRequestMethod()) && BLOB.matcher(path).matches() && host != null
                    && host.startsWith("127.0.0.1:")) {
                exchange.getResponseHeaders().set("Location", "http://localhost:" + server.getAddress().getPort()
                        + exchange.getRequestURI());
                exchange.sendResponseHeaders(307, -1);
                return;
            }
            forward(exchange);
        } catch (IOException | InterruptedException e) {
            // the client went away or the proxy was stopped: the exchange is closed below
        } finally {
            open.remove(exchange);
            exchange.close();
        }
    }

    private void forward(HttpExchange exchange) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<InputStream> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        answer.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        long length = answer.headers().firstValueAsLong("Content-Length").orElse(0);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        if (head && length > 0) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
        }
        exchange.sendResponseHeaders(answer.statusCode(), head || length == 0 && answer.statusCode() == 204 ? -1 : length);
        try (InputStream in = answer.body(); OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[16 * 1024];
            long started = System.nanoTime();
            long sent = 0;
            int read;
            while (!stopped && (read = in.read(buffer)) >= 0) {
                holdWhileStalled();
                out.write(buffer, 0, read);
                sent += read;
                long aheadMillis = ((long) (sent * 1e9 / bytesPerSecond) - (System.nanoTime() - started)) / 1_000_000;
                if (aheadMillis > 0) {
                    Thread.sleep(aheadMillis); // the throttle itself: pacing bytes, not waiting for an event
                }
            }
        }
    }
}
