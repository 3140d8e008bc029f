package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.util.List;
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

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    ScriptedOllama() throws IOException {
        server = ScriptedOllamaBasics.loopbackServer(0, 0, executor);
        ScriptedOllamaBasics.serveModel(server, MODEL, List.of("completion"));
        server.createContext("/api/chat", this::chat);
        server.createContext("/api/generate", exchange -> known(exchange, "{\"model\":\"" + MODEL + "\",\"done\":true}"));
        server.createContext("/api/delete", exchange -> known(exchange, ""));
        server.createContext("/api/copy", exchange -> known(exchange, ""));
        server.createContext("/api/pull", exchange -> ScriptedOllamaBasics.json(exchange, 200,
                "{\"status\":\"pulling manifest\"}\n{\"error\":\"pull model manifest: file does not exist\"}\n"));
        server.createContext("/api/create", exchange -> ScriptedOllamaBasics.json(exchange, 200, "{\"status\":\"success\"}\n"));
        server.createContext("/api/blobs/", exchange -> ScriptedOllamaBasics.json(exchange,
                "HEAD".equals(exchange.getRequestMethod()) ? 404 : 201, ""));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void known(HttpExchange exchange, String answer) throws IOException {
        ScriptedOllamaBasics.ifKnown(exchange, MODEL, answer);
    }

    private void chat(HttpExchange exchange) throws IOException {
        JsonNode body = NeutronServer.JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!MODEL.equals(body.path("model").asText())) {
            ScriptedOllamaBasics.json(exchange, 404, "{\"error\":\"model '" + body.path("model").asText() + "' not found\"}");
            return;
        }
        ScriptedOllamaBasics.reply(exchange, 200, "application/x-ndjson",
                ScriptedOllamaBasics.chatLine(MODEL, "\"content\":\"" + ANSWER + "\"", false, 0)
                        + ScriptedOllamaBasics.chatLine(MODEL, "\"content\":\"\"", true, 3));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
