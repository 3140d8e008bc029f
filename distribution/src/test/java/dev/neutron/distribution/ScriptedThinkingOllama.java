package dev.neutron.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A scripted fake of Ollama's API serving one "thinking" model, to drive the thinking path end to end with a known
 * script: it lists the model with the {@code thinking} capability and, to a chat request with {@code "think":true},
 * streams {@link #THINKING} as {@code message.thinking} deltas before the answer {@link #ANSWER}, as Ollama 0.11 does.
 * It records each {@code /api/chat} body.
 */
final class ScriptedThinkingOllama implements AutoCloseable {
    static final String MODEL = "scripted-thinker:1b";
    static final List<String> THINKING = List.of("The user wants", " a number;", " seven is fine.");
    static final String ANSWER = "Seven.";

    private final HttpServer server;
    private final List<String> chatBodies = new ArrayList<>();

    ScriptedThinkingOllama() throws IOException {
        server = ScriptedOllamaBasics.loopbackServer(0, 0, Executors.newCachedThreadPool());
        ScriptedOllamaBasics.serveModel(server, MODEL, List.of("completion", "thinking"));
        server.createContext("/api/chat", this::chat);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized List<String> chatBodies() {
        return List.copyOf(chatBodies);
    }

    private void chat(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        synchronized (this) {
            chatBodies.add(body);
        }
        StringBuilder lines = new StringBuilder();
        if (body.contains("\"think\":true")) {
            for (String delta : THINKING) {
                lines.append(ScriptedOllamaBasics.chatLine(MODEL, "\"content\":\"\",\"thinking\":\"" + delta + "\"", false, 0));
            }
        }
        lines.append(ScriptedOllamaBasics.chatLine(MODEL, "\"content\":\"" + ANSWER + "\"", false, 0));
        lines.append(ScriptedOllamaBasics.chatLine(MODEL, "\"content\":\"\"", true, 4));
        ScriptedOllamaBasics.reply(exchange, 200, "application/x-ndjson", lines.toString());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
