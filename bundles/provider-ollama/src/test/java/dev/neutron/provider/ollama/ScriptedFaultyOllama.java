package dev.neutron.provider.ollama;

import java.io.BufferedInputStream;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted fake of Ollama's HTTP side on a loopback port. It exists only to inject faults a real Ollama cannot be
 * made to show on demand: lines split mid-JSON and mid-character, error lines after tokens, stalls, dropped
 * connections, malformed lines. Every connection reads one request and plays the script on it with raw HTTP/1.1, so
 * the script decides where chunks end.
 */
final class ScriptedFaultyOllama implements AutoCloseable {
    private static final int MAX_WAIT_FOR_CLIENT_MS = 30_000;

    @FunctionalInterface
    interface Script {
        void play(Exchange exchange) throws Exception;
    }

    record Request(String method, String path, String body) {
    }

    private final ServerSocket server;
    private final Script script;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Request> firstRequest = new CompletableFuture<>();
    private final CompletableFuture<Void> clientHungUp = new CompletableFuture<>();

    private ScriptedFaultyOllama(Script script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        Thread acceptor = new Thread(this::acceptConnections, "scripted-faulty-ollama-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static ScriptedFaultyOllama playing(Script script) throws IOException {
        return new ScriptedFaultyOllama(script);
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Completes when the first request has been read completely. */
    CompletableFuture<Request> firstRequest() {
        return firstRequest;
    }

    List<Request> requests() {
        return requests;
    }

    /** Completes when a script waiting in {@link Exchange#awaitClientHangUp()} sees the client close the connection. */
    CompletableFuture<Void> clientHungUp() {
        return clientHungUp;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }

    private void acceptConnections() {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                connection.setTcpNoDelay(true);
                connections.add(connection);
                Thread player = new Thread(() -> play(connection), "scripted-faulty-ollama-connection");
                player.setDaemon(true);
                player.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void play(Socket connection) {
        try (connection) {
            Exchange exchange = new Exchange(connection);
            requests.add(exchange.request);
            firstRequest.complete(exchange.request);
            script.play(exchange);
        } catch (Exception clientWentAway) {
            // a script writing to a client that has hung up fails here; tests assert on what the client saw
        }
    }

    /** One request and the scripted answer to it. */
    final class Exchange {
        final Request request;
        private final Socket connection;
        private final InputStream in;
        private final OutputStream out;

        private Exchange(Socket connection) throws IOException {
            this.connection = connection;
            this.in = new BufferedInputStream(connection.getInputStream());
            this.out = connection.getOutputStream();
            this.request = readRequest();
        }

        void respond(int status, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " Scripted\r\nContent-Type: application/json; charset=utf-8\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }

        void startStream() throws IOException {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Sends {@code bytes} as one HTTP chunk and flushes it onto the wire. */
        void sendChunk(byte[] bytes) throws IOException {
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Sends each line, newline added, as a chunk of its own. */
        void sendLines(String... lines) throws IOException {
            for (String line : lines) {
                sendChunk((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }

        void endStream() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Closes the connection in the middle of the chunked body, as the kernel does for a crashed server. */
        void dropConnection() throws IOException {
            connection.close();
        }

        /** Stalls, sending nothing, until the client closes the connection; then completes {@link #clientHungUp()}. */
        void awaitClientHangUp() throws IOException {
            connection.setSoTimeout(MAX_WAIT_FOR_CLIENT_MS);
            try {
                while (in.read() >= 0) {
                    // the client sends nothing more; anything read is ignored
                }
                clientHungUp.complete(null);
            } catch (SocketTimeoutException stillOpen) {
                // the client never hung up: clientHungUp() stays incomplete and the test waiting for it fails
            } catch (SocketException reset) {
                clientHungUp.complete(null);
            }
        }

        private Request readRequest() throws IOException {
            String[] requestLine = readLine().split(" ");
            int contentLength = 0;
            for (String header = readLine(); !header.isEmpty(); header = readLine()) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Integer.parseInt(header.substring("content-length:".length()).trim());
                }
            }
            String body = new String(in.readNBytes(contentLength), StandardCharsets.UTF_8);
            return new Request(requestLine[0], requestLine[1], body);
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the client closed the connection inside the request head");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }
    }
}
