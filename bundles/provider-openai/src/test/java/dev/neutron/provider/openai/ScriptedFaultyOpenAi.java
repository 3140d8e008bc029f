package dev.neutron.provider.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A scripted fake of an OpenAI-compatible server on a loopback port. It exists only to inject faults a real server
 * cannot be made to show on demand: SSE frames split mid-JSON and mid-character, an error event after tokens, stalls,
 * a refused API key. Each connection reads one request, then plays the script on it in raw HTTP/1.1, so the script
 * decides where chunks end. Its base URL ends in {@code /v1}, like a real server's.
 */
final class ScriptedFaultyOpenAi implements AutoCloseable {
    private static final int HANG_UP_WAIT_MS = 30_000;

    @FunctionalInterface
    interface Script {
        void play(Exchange exchange) throws Exception;
    }

    /** A request as read off the wire; header names in lower case. */
    record Request(String method, String path, Map<String, String> headers, String body) {
    }

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "scripted-faulty-openai");
        thread.setDaemon(true);
        return thread;
    });
    private final Script script;
    private final CompletableFuture<Request> firstRequest = new CompletableFuture<>();
    private final CompletableFuture<Void> hungUp = new CompletableFuture<>();

    private ScriptedFaultyOpenAi(Script script) throws IOException {
        this.script = script;
        connections.execute(() -> {
            try {
                while (true) {
                    Socket socket = server.accept();
                    connections.execute(() -> play(socket));
                }
            } catch (IOException serverClosed) {
                // close() ends the accept loop
            }
        });
    }

    static ScriptedFaultyOpenAi playing(Script script) throws IOException {
        return new ScriptedFaultyOpenAi(script);
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
    }

    CompletableFuture<Request> firstRequest() {
        return firstRequest;
    }

    /** Completes when a script in {@link Exchange#stallUntilClientHangsUp()} sees the client close the connection. */
    CompletableFuture<Void> clientHungUp() {
        return hungUp;
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }

    private void play(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            Exchange exchange = new Exchange(socket);
            firstRequest.complete(exchange.request);
            script.play(exchange);
        } catch (Exception clientGone) {
            // writing to a client that hung up fails here; the tests assert on what the client saw
        }
    }

    /** One request, and the scripted answer to it. */
    final class Exchange {
        final Request request;
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Exchange(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            String[] head = readHead().split("\r\n");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String[] requestLine = head[0].split(" ");
            this.request = new Request(requestLine[0], requestLine[1], headers,
                    new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        void respond(int status, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            ascii("HTTP/1.1 " + status + " Scripted\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n");
            out.write(body);
            out.flush();
        }

        void startEvents() throws IOException {
            ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n");
        }

        /** {@code bytes} as one HTTP chunk, flushed onto the wire. */
        void chunk(byte[] bytes) throws IOException {
            ascii(Integer.toHexString(bytes.length) + "\r\n");
            out.write(bytes);
            ascii("\r\n");
        }

        /** Each JSON text as one {@code data:} event, in a chunk of its own. */
        void events(String... data) throws IOException {
            for (String json : data) {
                chunk(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
        }

        void endStream() throws IOException {
            ascii("0\r\n\r\n");
        }

        /** Sends nothing more until the client closes the connection, then completes {@link #clientHungUp()}. */
        void stallUntilClientHangsUp() throws IOException {
            socket.setSoTimeout(HANG_UP_WAIT_MS);
            try {
                while (in.read() >= 0) {
                    // nothing more is expected from the client
                }
                hungUp.complete(null);
            } catch (SocketException reset) {
                hungUp.complete(null);
            } catch (SocketTimeoutException neverHungUp) {
                // clientHungUp() stays incomplete, and the test waiting for it fails
            }
        }

        private void ascii(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the client closed the connection inside the request head");
                }
                head.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            }
            return head.toString(StandardCharsets.US_ASCII).strip();
        }
    }
}
