package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * What every scripted fake of Ollama's API in these tests serves alike: a loopback server, {@code /api/version}, a
 * list of one model, {@code /api/show} and {@code /api/ps} for it (any other name is {@code 404 model 'x' not found},
 * as Ollama answers), its NDJSON chat lines, and plain replies. Each fake adds its own {@code /api/chat}.
 */
final class ScriptedOllamaBasics {
    static final String VERSION = "0.11.4";

    private ScriptedOllamaBasics() {}

    static HttpServer loopbackServer(int port, int backlog, Executor executor) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
        server.setExecutor(executor);
        return server;
    }

    /** Serves version, tags, ps and show for {@code model} with these capabilities and an 8,192-token context. */
    static void serveModel(HttpServer server, String model, List<String> capabilities) {
        server.createContext("/api/version", exchange -> json(exchange, 200, "{\"version\":\"" + VERSION + "\"}"));
        server.createContext("/api/tags", exchange -> json(exchange, 200, "{\"models\":[{\"name\":\"" + model
                + "\",\"model\":\"" + model + "\",\"size\":1000,\"digest\":\"0123\",\"modified_at\":"
                + "\"2026-01-01T00:00:00Z\",\"details\":{\"family\":\"llama\"}}]}"));
        server.createContext("/api/ps", exchange -> json(exchange, 200, "{\"models\":[]}"));
        String show = "{\"model_info\":{\"general.architecture\":\"llama\",\"llama.context_length\":8192},"
                + "\"capabilities\":" + jsonArray(capabilities) + ",\"details\":{}}";
        server.createContext("/api/show", exchange -> ifKnown(exchange, model, show));
    }

    /** Answers {@code answer} when the body names {@code model} (as model, name or source), else Ollama's 404. */
    static void ifKnown(HttpExchange exchange, String model, String answer) throws IOException {
        JsonNode body = NeutronServer.JSON.readTree(exchange.getRequestBody().readAllBytes());
        String named = body.path("model").asText(body.path("name").asText(body.path("source").asText("")));
        if (model.equals(named)) {
            json(exchange, 200, answer);
        } else {
            json(exchange, 404, "{\"error\":\"model '" + named + "' not found\"}");
        }
    }

    /** One NDJSON line of {@code /api/chat}: the message's fields (e.g. {@code "content":"Hi"}), and the stats when done. */
    static String chatLine(String model, String messageFields, boolean done, int evalCount) {
        return "{\"model\":\"" + model + "\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
                + messageFields + "},\"done\":" + done + (done ? ",\"done_reason\":\"stop\",\"prompt_eval_count\":12,"
                + "\"eval_count\":" + evalCount + ",\"total_duration\":1000000,\"load_duration\":0" : "") + "}\n";
    }

    /** The content of the last user message of a chat request. */
    static String lastUserMessage(JsonNode request) {
        String last = "";
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                last = message.path("content").asText();
            }
        }
        return last;
    }

    static void json(HttpExchange exchange, int status, String text) throws IOException {
        reply(exchange, status, "application/json", text);
    }

    /** Reads what is left of the request, then sends {@code text} whole (an empty text as no body) and closes. */
    static void reply(HttpExchange exchange, int status, String type, String text) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private static String jsonArray(List<String> values) {
        return NeutronServer.JSON.valueToTree(values).toString();
    }
}
