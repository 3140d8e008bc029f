package dev.neutron.provider.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.PromptMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Ollama's native HTTP API: requests out, JSON in. Knows nothing about caching or streaming lifecycles. */
final class OllamaClient implements ModelSource {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final HttpClient http;

    /**
     * @param requestTimeout the longest wait for a complete non-streamed answer such as {@code /api/tags}
     * @param executor       the HTTP client's threads, which read every streamed answer; what they run must not block
     */
    OllamaClient(URI baseUrl, Duration connectTimeout, Duration requestTimeout, Executor executor) {
        this.baseUrl = baseUrl;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    URI baseUrl() {
        return baseUrl;
    }

    /** {@code GET /api/version}, waiting no longer than the connect timeout: a status check must be quick. */
    String version() {
        JsonNode answer = call(get("/api/version").timeout(connectTimeout).build(), null);
        return answer.path("version").asText(null);
    }

    @Override
    public List<Tag> tags() {
        JsonNode answer = call(get("/api/tags").timeout(requestTimeout).build(), null);
        List<Tag> tags = new ArrayList<>();
        for (JsonNode model : answer.path("models")) {
            JsonNode details = model.path("details");
            tags.add(new Tag(
                    model.path("name").asText(),
                    model.path("digest").asText(""),
                    model.hasNonNull("size") ? model.get("size").asLong() : null,
                    textOrNull(details, "family"),
                    textOrNull(details, "parameter_size"),
                    textOrNull(details, "quantization_level")));
        }
        return tags;
    }

    @Override
    public Details show(String model) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        JsonNode answer = call(post("/api/show", body).timeout(requestTimeout).build(), model);
        JsonNode modelInfo = answer.path("model_info");
        String architecture = modelInfo.path("general.architecture").asText("");
        JsonNode contextLength = modelInfo.path(architecture + ".context_length");
        List<String> capabilities = new ArrayList<>();
        answer.path("capabilities").forEach(capability -> capabilities.add(capability.asText()));
        JsonNode details = answer.path("details");
        return new Details(
                contextLength.isNumber() ? contextLength.asInt() : null,
                capabilities,
                textOrNull(details, "family"),
                textOrNull(details, "parameter_size"),
                textOrNull(details, "quantization_level"));
    }

    /**
     * Starts {@code POST /api/chat} with streaming on; {@code body} reads the answer as it arrives. The future
     * completes when the body has been read; cancelling it aborts the request.
     */
    <T> CompletableFuture<HttpResponse<T>> startChat(ChatRequest request, HttpResponse.BodyHandler<T> body) {
        HttpRequest httpRequest = post("/api/chat", chatBody(request)).header("Accept", "application/x-ndjson").build();
        return http.sendAsync(httpRequest, body);
    }

    /** The body of {@code /api/chat}: the request's effective options as Ollama's {@code options}, and its {@code think}. */
    static ObjectNode chatBody(ChatRequest request) {
        ObjectNode body = JSON.createObjectNode().put("model", request.model()).put("stream", true);
        ArrayNode messages = body.putArray("messages");
        for (PromptMessage message : request.messages()) {
            ObjectNode json = messages.addObject().put("role", message.role()).put("content", message.content());
            if (!message.images().isEmpty()) {
                ArrayNode images = json.putArray("images");
                message.images().forEach(images::add);
            }
        }
        Map<String, Object> options = request.effectiveOptions();
        if (!options.isEmpty()) {
            body.set("options", JSON.valueToTree(options));
        }
        if (request.think() != null) {
            body.set("think", think(request.think()));
        }
        return body;
    }

    /** Ollama's {@code think}: a boolean for {@code true}/{@code false}, else the level as given (e.g. {@code high}). */
    static JsonNode think(String think) {
        return switch (think) {
            case "true" -> BooleanNode.TRUE;
            case "false" -> BooleanNode.FALSE;
            default -> TextNode.valueOf(think);
        };
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(endpoint(path)).GET();
    }

    private HttpRequest.Builder post(String path, JsonNode body) {
        try {
            return HttpRequest.newBuilder(endpoint(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A Jackson tree could not be written", e);
        }
    }

    private URI endpoint(String path) {
        return URI.create(baseUrl + path);
    }

    private JsonNode call(HttpRequest request, String model) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw OllamaErrors.translate(e, baseUrl);
        } catch (InterruptedException e) {
            throw OllamaErrors.interrupted();
        }
        String path = request.uri().getPath();
        if (response.statusCode() != 200) {
            throw OllamaErrors.forStatus(response.statusCode(), response.body(), path, model);
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw OllamaErrors.notJson("an answer to " + path, response.body(), e);
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }
}
