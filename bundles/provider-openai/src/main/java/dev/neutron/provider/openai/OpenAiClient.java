package dev.neutron.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.PromptMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The two calls of the OpenAI API that Neutron needs: {@code GET /models} and a streamed {@code POST /chat/completions}. */
final class OpenAiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODELS = "/models";
    static final String CHAT_COMPLETIONS = "/chat/completions";

    private final OpenAiSettings settings;
    private final OpenAiErrors errors;
    private final HttpClient http;

    OpenAiClient(OpenAiSettings settings, OpenAiErrors errors) {
        this.settings = settings;
        this.errors = errors;
        // HTTP/1.1: closing the body of a streamed answer then closes the connection, which stops the generation
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The ids of {@code data[]} of {@code GET /models}, waiting no longer than the idle timeout. */
    List<String> modelIds() {
        HttpRequest request = request(MODELS).timeout(settings.idleTimeout()).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw errors.translate(e);
        }
        if (response.statusCode() != 200) {
            throw errors.forStatus(response.statusCode(), response.body(), MODELS, null);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw errors.notJson("an answer to " + MODELS, response.body(), e);
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode model : answer.path("data")) {
            if (model.path("id").isTextual() && !model.get("id").asText().isBlank()) {
                ids.add(model.get("id").asText());
            }
        }
        return ids;
    }

    /**
     * Starts {@code POST /chat/completions} with {@code stream: true}. The future completes when the status line and
     * headers arrive; cancelling it aborts the request, closing the body stream aborts the answer.
     */
    CompletableFuture<HttpResponse<InputStream>> startChat(String upstreamModel, ChatRequest request) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(chatBody(upstreamModel, request, settings.includeUsage(), settings.standardOptionsOnly()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A Jackson tree could not be written", e);
        }
        HttpRequest httpRequest = request(CHAT_COMPLETIONS)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * The request body. {@code request.contextWindow()} is not sent: the OpenAI API has no way to ask for one. Images
     * become {@code image_url} parts with a data URL; options and thinking become fields as {@link OpenAiOptions} says.
     */
    static ObjectNode chatBody(String upstreamModel, ChatRequest request, boolean includeUsage,
            boolean standardOptionsOnly) {
        ObjectNode body = JSON.createObjectNode().put("model", upstreamModel).put("stream", true);
        if (includeUsage) {
            body.putObject("stream_options").put("include_usage", true);
        }
        ArrayNode messages = body.putArray("messages");
        for (PromptMessage message : request.messages()) {
            ObjectNode json = messages.addObject().put("role", message.role());
            if (message.images().isEmpty()) {
                json.put("content", message.content());
                continue;
            }
            ArrayNode parts = json.putArray("content");
            parts.addObject().put("type", "text").put("text", message.content());
            for (String image : message.images()) {
                parts.addObject().put("type", "image_url").putObject("image_url")
                        .put("url", "data:" + imageType(image) + ";base64," + image);
            }
        }
        OpenAiOptions.addTo(body, request, standardOptionsOnly);
        return body;
    }

    /** The media type of base64 image data, from the first bytes of the formats Neutron accepts. */
    static String imageType(String base64) {
        if (base64.startsWith("iVBORw0KGgo")) {
            return "image/png";
        }
        if (base64.startsWith("R0lGOD")) {
            return "image/gif";
        }
        if (base64.startsWith("UklGR")) {
            return "image/webp";
        }
        return "image/jpeg";
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path));
        if (settings.hasApiKey()) {
            builder.header("Authorization", "Bearer " + settings.apiKey());
        }
        return builder;
    }
}
