package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A minimal, strict Server-Sent Events reader over java.net.http for the tests. */
final class SseClient {
    record Event(long id, String type, JsonNode data) {
        String text() {
            return data.path("text").asText();
        }
    }

    /** The events read, the HTTP status, and whether the reader hung up early on purpose. */
    record Stream(int status, String errorBody, List<Event> events, boolean disconnected) {
        String tokens() {
            StringBuilder text = new StringBuilder();
            events.stream().filter(e -> "token".equals(e.type())).forEach(e -> text.append(e.text()));
            return text.toString();
        }

        long tokenCount() {
            return events.stream().filter(e -> "token".equals(e.type())).count();
        }

        Event last() {
            return events.get(events.size() - 1);
        }

        Event first(String type) {
            return events.stream().filter(e -> type.equals(e.type())).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type + " event in " + events));
        }
    }

    private final HttpClient http;
    private final String baseUrl;

    SseClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    Stream post(String path, Object body, Predicate<List<Event>> hangUpWhen) throws IOException, InterruptedException {
        return read(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(NeutronServer.JSON.writeValueAsString(body))), hangUpWhen);
    }

    Stream get(String path, Long lastEventId, Predicate<List<Event>> hangUpWhen) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        return read(request.GET(), hangUpWhen);
    }

    private Stream read(HttpRequest.Builder request, Predicate<List<Event>> hangUpWhen) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(request.timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<Event> events = new ArrayList<>();
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                return new Stream(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8), events, false);
            }
        }
        InputStream body = response.body();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            long id = -1;
            String type = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        Event event = new Event(id, type, NeutronServer.JSON.readTree(data.toString()));
                        events.add(event);
                        if ("done".equals(type) || "error".equals(type)) {
                            return new Stream(200, null, events, false);
                        }
                        if (hangUpWhen != null && hangUpWhen.test(events)) {
                            body.close();
                            return new Stream(200, null, events, true);
                        }
                    }
                    id = -1;
                    type = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).strip());
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
        }
        return new Stream(200, null, events, false);
    }
}
