package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A fast scripted fake of Ollama's API, so that fuzzing and hostile-input tests never wait on a real model: one model
 * {@link #MODEL}, a one-line answer to every chat, and model management as Ollama answers it (an unknown model is
 * {@code 404 model 'x' not found}; a pull finds no such model in the registry; blobs and creates succeed).
 */
final class ScriptedOllama implements AutoCloseable {
    static final String MODEL = "scripted:1b";
    static final String ANSWER = "Scripted answer.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    ScriptedOllama() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/api/version", exchange -> reply(exchange, 200, "{\"version\":\"0.11.4\"}"));
        server.createContext("/api/tags", exchange -> reply(exchange, 200, "{\"models\":[{\"name\":\"" + MODEL
                + "\",\"model\":\"" + MODEL + "\",\"size\":1000,\"digest\":\"0123\",\"modified_at\":"
                + "\"2026-01-01T00:00:00Z\",\"details\":{\"family\":\"llama\"}}]}"));
        server.createContext("/api/ps", exchange -> reply(exchange, 200, "{\"models\":[]}"));
        server.createContext("/api/show", exchange -> known(exchange, "{\"model_info\":{\"general.architecture\":"
                + "\"llama\",\"llama.context_length\":8192},\"capabilities\":[\"completion\"],\"details\":{}}"));
        server.createContext("/api/chat", this::chat);
        server.createContext("/api/generate", exchange -> known(exchange, "{\"model\":\"" + MODEL + "\",\"done\":true}"));
        server.createContext("/api/delete", exchange -> known(exchange, ""));
        server.createContext("/api/copy", exchange -> known(exchange, ""));
        server.createContext("/api/pull", exchange -> reply(exchange, 200, "{\"status\":\"pulling manifest\"}\n"
                + "{\"error\":\"pull model manifest: file does not exist\"}\n"));
        server.createContext("/api/create", exchange -> reply(exchange, 200, "{\"status\":\"success\"}\n"));
        server.createContext("/api/blobs/", exchange -> reply(exchange, "HEAD".equals(exchange.getRequestMethod()) ? 404 : 201, ""));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers for {@link #MODEL}, and as Ollama does for any other name: 404. */
    private static void known(HttpExchange exchange, String answer) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String model = body.path("model").asText(body.path("name").asText(body.path("source").asText("")));
        if (MODEL.equals(model)) {
            reply(exchange, 200, answer);
        } else {
            reply(exchange, 404, "{\"error\":\"model '" + model + "' not found\"}");
        }
    }

    private void chat(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!MODEL.equals(body.path("model").asText())) {
            reply(exchange, 404, "{\"error\":\"model '" + body.path("model").asText() + "' not found\"}");
            return;
        }
        reply(exchange, 200, "{\"model\":\"" + MODEL + "\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"},\"done\":false}\n"
                + "{\"model\":\"" + MODEL + "\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":"
                + "\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":12,"
                + "\"eval_count\":3,\"total_duration\":1000000}\n");
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
