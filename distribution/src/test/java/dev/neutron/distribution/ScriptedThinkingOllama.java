package dev.neutron.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/version", exchange -> reply(exchange, "application/json", "{\"version\":\"0.11.4\"}"));
        server.createContext("/api/tags", exchange -> reply(exchange, "application/json", "{\"models\":[{\"name\":\""
                + MODEL + "\",\"model\":\"" + MODEL + "\",\"size\":1000,\"digest\":\"0123\",\"details\":{}}]}"));
        server.createContext("/api/show", exchange -> reply(exchange, "application/json", "{\"model_info\":{"
                + "\"general.architecture\":\"llama\",\"llama.context_length\":8192},"
                + "\"capabilities\":[\"completion\",\"thinking\"],\"details\":{}}"));
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
                lines.append(line("\"content\":\"\",\"thinking\":\"" + delta + "\"", false));
            }
        }
        lines.append(line("\"content\":\"" + ANSWER + "\"", false));
        lines.append(line("\"content\":\"\"", true));
        reply(exchange, "application/x-ndjson", lines.toString());
    }

    private static String line(String message, boolean done) {
        return "{\"model\":\"" + MODEL + "\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
                + message + "},\"done\":" + done + (done ? ",\"done_reason\":\"stop\",\"prompt_eval_count\":12,"
                + "\"eval_count\":4,\"total_duration\":1000000" : "") + "}\n";
    }

    private static void reply(HttpExchange exchange, String type, String text) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
