package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Times one streamed answer from the outside: from sending the request to the first token, and to the end. The same
 * measurement for Neutron's SSE and for Ollama's NDJSON, so the two are compared like for like.
 */
final class StreamTimer {
    /**
     * Milliseconds to the first token and to the end, the answer's text, its final event or line, the
     * {@link System#nanoTime} at which the request was sent, the median time between two tokens, and the time from the
     * last token to the end.
     */
    record Timing(double firstTokenMs, double totalMs, String text, JsonNode last, long sentNanos, double medianGapMs,
            double lastTokenToEndMs) {
        /** The {@link System#nanoTime} at which the first token arrived. */
        long firstTokenNanos() {
            return sentNanos + (long) (firstTokenMs * 1e6);
        }
    }

    private final HttpClient http;

    StreamTimer(HttpClient http) {
        this.http = http;
    }

    /** A message sent to a Neutron chat, read as SSE up to {@code done}. */
    Timing neutron(String baseUrl, String sessionId, String content) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/chat/sessions/" + sessionId + "/messages"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(NeutronServer.JSON.writeValueAsString(Map.of("content", content))))
                .build();
        long started = System.nanoTime();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        requireOk(response, "Neutron");
        List<Long> tokens = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        String event = "";
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    JsonNode data = NeutronServer.JSON.readTree(line.substring(5));
                    switch (event) {
                        case "token" -> {
                            tokens.add(System.nanoTime());
                            text.append(data.path("text").asText());
                        }
                        case "done" -> {
                            return timing(started, tokens, System.nanoTime(), text, data);
                        }
                        case "error" -> throw new IllegalStateException("Neutron's answer failed: " + data);
                        default -> { }
                    }
                }
            }
        }
        throw new IllegalStateException("Neutron's stream ended without done");
    }

    /** The same conversation sent straight to Ollama's {@code /api/chat}, read as NDJSON up to {@code done}. */
    Timing ollama(String ollamaUrl, Object chatBody) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ollamaUrl + "/api/chat"))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(NeutronServer.JSON.writeValueAsString(chatBody))).build();
        long started = System.nanoTime();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        requireOk(response, "Ollama");
        List<Long> tokens = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isBlank()) {
                    continue;
                }
                JsonNode chunk = NeutronServer.JSON.readTree(line);
                if (chunk.has("error")) {
                    throw new IllegalStateException("Ollama's answer failed: " + chunk);
                }
                String delta = chunk.path("message").path("content").asText("");
                if (!delta.isEmpty()) {
                    tokens.add(System.nanoTime());
                }
                text.append(delta);
                if (chunk.path("done").asBoolean()) {
                    return timing(started, tokens, System.nanoTime(), text, chunk);
                }
            }
        }
        throw new IllegalStateException("Ollama's stream ended without done");
    }

    private static Timing timing(long started, List<Long> tokens, long ended, StringBuilder text, JsonNode last) {
        if (tokens.isEmpty()) {
            throw new IllegalStateException("the answer had no token: " + last);
        }
        Samples gapsMs = new Samples();
        for (int i = 1; i < tokens.size(); i++) {
            gapsMs.add((tokens.get(i) - tokens.get(i - 1)) / 1e6);
        }
        double medianGapMs = gapsMs.size() == 0 ? 0 : gapsMs.p50();
        return new Timing((tokens.get(0) - started) / 1e6, (ended - started) / 1e6, text.toString(), last, started,
                medianGapMs, (ended - tokens.get(tokens.size() - 1)) / 1e6);
    }

    private static void requireOk(HttpResponse<Stream<String>> response, String who) {
        if (response.statusCode() != 200) {
            String body;
            try (Stream<String> lines = response.body()) {
                body = String.join("\n", lines.toList());
            }
            throw new IllegalStateException(who + " answered " + response.statusCode() + ": " + body);
        }
    }
}
