package dev.neutron.provider.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** Ollama's model-management endpoints: tags, show, ps, delete, copy, blobs, and the streamed pull and create. */
final class OllamaManagementClient {
    private final URI baseUrl;
    private final Duration requestTimeout;
    private final HttpClient http;

    OllamaManagementClient(URI baseUrl, Duration connectTimeout, Duration requestTimeout) {
        this.baseUrl = baseUrl;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    JsonNode tags() {
        return call(HttpRequest.newBuilder(endpoint("/api/tags")).GET(), null);
    }

    JsonNode show(String model) {
        return call(post("/api/show", OllamaClient.JSON.createObjectNode().put("model", model)), model);
    }

    JsonNode ps() {
        return call(HttpRequest.newBuilder(endpoint("/api/ps")).GET(), null);
    }

    void delete(String model) {
        ObjectNode body = OllamaClient.JSON.createObjectNode().put("model", model);
        call(HttpRequest.newBuilder(endpoint("/api/delete")).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(body.toString())), model);
    }

    void copy(String from, String to) {
        call(post("/api/copy", OllamaClient.JSON.createObjectNode().put("source", from).put("destination", to)), from);
    }

    /** {@code /api/generate} without a prompt: loads ({@code keepAlive} -1) or unloads ({@code 0}) the model. */
    void keepAlive(String model, int keepAlive) {
        call(post("/api/generate", OllamaClient.JSON.createObjectNode().put("model", model).put("keep_alive", keepAlive)
                .put("stream", false)), model);
    }

    void uploadBlob(String digest, Path file) {
        try {
            call(HttpRequest.newBuilder(endpoint("/api/blobs/" + digest)).timeout(Duration.ofHours(2))
                    .POST(HttpRequest.BodyPublishers.ofFile(file)), null);
        } catch (FileNotFoundException e) {
            throw new IllegalStateException("The uploaded file " + file + " vanished before it reached Ollama", e);
        }
    }

    /**
     * POSTs {@code body} to a streaming endpoint and hands each NDJSON line to {@code onLine} until the stream ends.
     * {@code onStart} receives the body stream as soon as it is open, so that closing it can abort the call.
     *
     * @return the HTTP status; for a status other than 200 {@code onLine} receives the error body once
     */
    int stream(String path, JsonNode body, Consumer<InputStream> onStart, Consumer<JsonNode> onLine) {
        HttpRequest request = post(path, body).header("Accept", "application/x-ndjson").build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw OllamaErrors.translate(e, baseUrl);
        } catch (InterruptedException e) {
            throw OllamaErrors.interrupted();
        }
        try (InputStream in = response.body();
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            onStart.accept(in);
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    onLine.accept(parse(line, path));
                }
            }
        } catch (IOException e) {
            throw OllamaErrors.translate(e, baseUrl);
        }
        return response.statusCode();
    }

    private static JsonNode parse(String line, String path) {
        try {
            return OllamaClient.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return OllamaClient.JSON.createObjectNode().put("error", OllamaErrors.notJson("a line of " + path, line, e)
                    .getMessage());
        }
    }

    private HttpRequest.Builder post(String path, JsonNode body) {
        return HttpRequest.newBuilder(endpoint(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private URI endpoint(String path) {
        return URI.create(baseUrl + path);
    }

    private JsonNode call(HttpRequest.Builder builder, String model) {
        HttpRequest request = builder.build().timeout().isPresent() ? builder.build() : builder.timeout(requestTimeout).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw OllamaErrors.translate(e, baseUrl);
        } catch (InterruptedException e) {
            throw OllamaErrors.interrupted();
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String text = OllamaErrors.errorText(response.body());
            if (text.toLowerCase(java.util.Locale.ROOT).contains("no space left")) {
                throw ModelJobErrors.diskFull(text);
            }
            throw OllamaErrors.forStatus(status, response.body(), request.uri().getPath(), model);
        }
        if (response.body().isBlank()) {
            return OllamaClient.JSON.createObjectNode();
        }
        try {
            return OllamaClient.JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw OllamaErrors.notJson("an answer to " + request.uri().getPath(), response.body(), e);
        }
    }
}
