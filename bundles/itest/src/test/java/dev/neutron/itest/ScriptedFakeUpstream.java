package dev.neutron.itest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted fake of an OpenAI-compatible server on a loopback port, for the hot-swap tests only: it answers
 * {@code GET /v1/models} with one model ({@value #MODEL}) on keep-alive connections, and streams a slow endless-looking
 * SSE answer to {@code POST /v1/chat/completions}. It is no stand-in for a real server (the distribution's HotDeployIT
 * uses the real test Ollama): it exists to count the connections a provider opens and closes, which a real server does
 * not tell, and to keep an answer in flight for as long as a test needs. Raw HTTP/1.1 on a {@link ServerSocket}, so
 * that every accept and every close is seen.
 */
final class ScriptedFakeUpstream implements AutoCloseable {
    static final String MODEL = "fake-model";
    static final String THREAD_PREFIX = "scripted-fake-upstream-";
    /** One token every this many milliseconds, so an answer is still streaming when a test removes its provider. */
    private static final long TOKEN_EVERY_MS = 40;
    /** An answer ends by itself after this many tokens (about 20 s), so a test that forgets it cannot hang. */
    private static final int MAX_TOKENS = 500;
    private static final String MODELS_JSON = "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL
            + "\",\"object\":\"model\",\"owned_by\":\"scripted-fake-upstream\"}]}";

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger threadNumbers = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, THREAD_PREFIX + threadNumbers.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private final AtomicInteger modelRequests = new AtomicInteger();
    private final AtomicInteger chatRequests = new AtomicInteger();
    private final CompletableFuture<Integer> chatHungUp = new CompletableFuture<>();

    ScriptedFakeUpstream() throws IOException {
        threads.execute(() -> {
            try {
                while (true) {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    openSockets.add(socket);
                    peakOpen.accumulateAndGet(openSockets.size(), Math::max);
                    threads.execute(() -> serve(socket));
                }
            } catch (IOException serverClosed) {
                // close() ends the accept loop
            }
        });
    }

    /** Ends in {@code /v1}, like a real server's base URL. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
    }

    /** Connections accepted and not yet closed by either side. */
    int openConnections() {
        return openSockets.size();
    }

    int acceptedConnections() {
        return accepted.get();
    }

    int peakOpenConnections() {
        return peakOpen.get();
    }

    int modelRequests() {
        return modelRequests.get();
    }

    int chatRequests() {
        return chatRequests.get();
    }

    /** Completes with the number of tokens written when a client hangs up in the middle of a streamed answer. */
    CompletableFuture<Integer> chatHungUp() {
        return chatHungUp;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : openSockets) {
            socket.close();
        }
        threads.shutdownNow();
    }

    /** Keep-alive: requests are answered one after the other until the client closes or a streamed answer ends. */
    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream()) {
            String[] request;
            while ((request = readRequest(in)) != null) {
                String method = request[0];
                String path = request[1];
                if ("GET".equals(method) && "/v1/models".equals(path)) {
                    modelRequests.incrementAndGet();
                    byte[] body = MODELS_JSON.getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                } else if ("POST".equals(method) && "/v1/chat/completions".equals(path)) {
                    chatRequests.incrementAndGet();
                    streamAnswer(out);
                    return;
                } else {
                    out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException clientGoneOrClosing) {
            // the connection is over either way
        } finally {
            openSockets.remove(socket);
        }
    }

    /** {@code Connection: close} and no length: the answer lasts until this side ends it or the client hangs up. */
    private void streamAnswer(OutputStream out) throws IOException, InterruptedException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int written = 0;
        try {
            for (int i = 1; i <= MAX_TOKENS; i++) {
                out.write(("data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                        + "{\"content\":\"word" + i + " \"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                written = i;
                Thread.sleep(TOKEN_EVERY_MS);
            }
            out.write(("data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
                    + "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException hungUp) {
            chatHungUp.complete(written);
            throw hungUp;
        }
    }

    /** The method and path of the next request, its body skipped; null at the end of the connection. */
    private static String[] readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) {
            return null;
        }
        int contentLength = 0;
        String header;
        while ((header = readLine(in)) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                contentLength = Integer.parseInt(header.substring(colon + 1).trim());
            }
        }
        if (header == null) {
            return null;
        }
        in.readNBytes(contentLength);
        String[] parts = requestLine.split(" ");
        return new String[] {parts[0], parts.length > 1 ? parts[1] : ""};
    }

    /** A line ended by CRLF, without it; null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return null;
    }
}
