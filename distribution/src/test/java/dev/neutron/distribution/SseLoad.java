package dev.neutron.distribution;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many streamed answers at once, read without a thread each (java.net.http's line subscriber). Each token's text is
 * the {@link System#nanoTime()} at which the {@link FastScriptedOllama} wrote it, so every token yields its latency
 * from the upstream to this client.
 */
final class SseLoad {
    private final HttpClient http;
    final Samples tokenLatencyMs = new Samples();
    final AtomicInteger tokens = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final List<String> errorSamples = new ArrayList<>();

    SseLoad(HttpClient http) {
        this.http = http;
    }

    /** Sends {@code content} to each session through Neutron at once; completes when every answer ended. */
    CompletableFuture<Void> throughNeutron(String baseUrl, List<String> sessions, String content) throws Exception {
        String body = NeutronServer.JSON.writeValueAsString(Map.of("content", content));
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (String session : sessions) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/chat/sessions/" + session + "/messages"))
                    .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                    .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            all.add(read(request, true));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** The same number of answers straight from the upstream's {@code /api/chat}: the baseline. */
    CompletableFuture<Void> direct(String upstreamUrl, int streams, String model) throws Exception {
        String body = NeutronServer.JSON.writeValueAsString(Map.of("model", model, "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "go"))));
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(upstreamUrl + "/api/chat"))
                    .header("Content-Type", "application/json").timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            all.add(read(request, false));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<?> read(HttpRequest request, boolean sse) {
        Lines lines = new Lines(sse);
        return http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(lines))
                .thenAccept(response -> {
                    if (response.statusCode() != 200 || !lines.ended) {
                        error("status " + response.statusCode() + (lines.ended ? "" : ", no end of the answer"));
                    }
                })
                .exceptionally(failure -> {
                    error(failure.toString());
                    return null;
                });
    }

    private void error(String what) {
        errors.incrementAndGet();
        synchronized (errorSamples) {
            if (errorSamples.size() < 5) {
                errorSamples.add(what);
            }
        }
    }

    /** One response's lines: SSE {@code event:}/{@code data:} lines from Neutron, or NDJSON lines from the upstream. */
    private final class Lines implements Flow.Subscriber<String> {
        private final boolean sse;
        private String event = "";
        volatile boolean ended;

        Lines(boolean sse) {
            this.sse = sse;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            long now = System.nanoTime();
            if (sse) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    switch (event) {
                        case "token" -> token(line, "\"text\":\"", now);
                        case "done" -> ended = true;
                        case "error" -> error(line);
                        default -> { }
                    }
                }
            } else if (line.contains("\"done\":true")) {
                ended = true;
            } else {
                token(line, "\"content\":\"", now);
            }
        }

        private void token(String line, String field, long now) {
            int start = line.indexOf(field) + field.length();
            int end = line.indexOf(' ', start);
            if (start < field.length() || end < 0) {
                return;
            }
            long written = Long.parseLong(line, start, end, 10);
            tokenLatencyMs.add((now - written) / 1e6);
            tokens.incrementAndGet();
        }

        @Override
        public void onError(Throwable throwable) {
            error(throwable.toString());
        }

        @Override
        public void onComplete() {
        }
    }

    static void await(CompletableFuture<Void> all) throws Exception {
        all.get(15, TimeUnit.MINUTES);
    }
}
