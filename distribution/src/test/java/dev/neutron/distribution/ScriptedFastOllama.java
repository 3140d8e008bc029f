package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted fake of Ollama's API, fast and deterministic, for load, crash and fault tests where a real model would
 * be too slow or could not be made to fail on cue. It serves one model, {@link #MODEL}, and answers a chat request at
 * once with {@link #answerTo} of the last user message, one NDJSON line per word. Markers in that message inject
 * faults after {@link #TOKENS_BEFORE_FAULT} tokens:
 * <ul>
 * <li>{@link #STALL}: goes silent, holding the connection open until {@link #close()};</li>
 * <li>{@link #ERROR}: sends Ollama's mid-stream error line {@code {"error":…}} with status 200 and no done line;</li>
 * <li>{@link #CUT}: drops the connection without ending the chunked body;</li>
 * <li>{@link #SLOW}: streams {@link #SLOW_TOKENS} tokens, {@link #SLOW_PAUSE_MS} ms apart (an answer long enough to
 * disconnect from, kill or stop mid-way);</li>
 * <li>{@link #BIG}: streams {@link #bigAnswer()} at once, more than a client's socket buffers hold.</li>
 * </ul>
 * It can be stopped and started again on the same port, as an Ollama that was restarted. Like Ollama, it also serves
 * the OpenAI-compatible {@code /v1/models} and streamed {@code /v1/chat/completions} (plain and {@link #SLOW} answers).
 */
final class ScriptedFastOllama implements AutoCloseable {
    static final String MODEL = "scripted-fast:1b";
    static final String STALL = "[stall]";
    static final String ERROR = "[error]";
    static final String CUT = "[cut]";
    static final String SLOW = "[slow]";
    static final int TOKENS_BEFORE_FAULT = 3;
    static final String BIG = "[big]";
    static final int SLOW_TOKENS = 200;
    static final int SLOW_PAUSE_MS = 10;
    static final int BIG_TOKENS = 20_000;
    static final String ERROR_TEXT = "scripted failure: the model runner crashed";

    private final int port;
    private final AtomicInteger chats = new AtomicInteger();
    private HttpServer server;
    private ExecutorService threads;
    private CountDownLatch released;

    ScriptedFastOllama() throws IOException {
        start(0);
        this.port = server.getAddress().getPort();
    }

    /** What the scripted model answers to {@code question}: "Echo:" and its words, each word a token. */
    static String answerTo(String question) {
        return "Echo: " + question;
    }

    /** The answer split as it is streamed: each token is a word with the space before it. */
    static List<String> tokensOf(String answer) {
        List<String> tokens = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= answer.length(); i++) {
            if (i == answer.length() || answer.charAt(i) == ' ') {
                tokens.add(answer.substring(start, i));
                start = i;
            }
        }
        return tokens;
    }

    private void start(int onPort) throws IOException {
        threads = Executors.newCachedThreadPool();
        server = ScriptedOllamaBasics.loopbackServer(onPort, 200, threads);
        released = new CountDownLatch(1);
        ScriptedOllamaBasics.serveModel(server, MODEL, List.of("completion"));
        server.createContext("/api/chat", this::chat);
        // the OpenAI-compatible face, as Ollama's /v1, for the OpenAI-compatible provider bundle
        server.createContext("/v1/models", exchange -> ScriptedOllamaBasics.json(exchange, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL
                + "\",\"object\":\"model\"}]}"));
        server.createContext("/v1/chat/completions", this::chatCompletions);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** How many chat requests arrived. */
    int chatRequests() {
        return chats.get();
    }

    /** Stops serving and drops every open connection (stalled answers included), as a killed Ollama would. */
    void stop() {
        released.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    /** Serves again on the same port, as an Ollama that came back. */
    void restart() throws IOException {
        start(port);
    }

    private void chat(HttpExchange exchange) throws IOException {
        chats.incrementAndGet();
        JsonNode request = NeutronServer.JSON.readTree(exchange.getRequestBody());
        String question = ScriptedOllamaBasics.lastUserMessage(request);
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        List<String> tokens = question.contains(SLOW) ? slowTokens()
                : question.contains(BIG) ? bigTokens() : tokensOf(answerTo(question));
        boolean fault = question.contains(STALL) || question.contains(ERROR) || question.contains(CUT);
        int sent = 0;
        for (String token : tokens) {
            if (fault && sent == TOKENS_BEFORE_FAULT) {
                break;
            }
            write(out, line(token, false));
            sent++;
            if (question.contains(SLOW)) {
                pause(SLOW_PAUSE_MS);
            }
        }
        if (question.contains(STALL)) {
            awaitRelease();
            throw new IOException("scripted stall ended: the fake Ollama was stopped");
        }
        if (question.contains(ERROR)) {
            write(out, "{\"error\":\"" + ERROR_TEXT + "\"}\n");
        } else if (question.contains(CUT)) {
            // an exception out of the handler makes the JDK server close the socket mid-body
            throw new IOException("scripted cut: connection dropped mid-answer");
        } else {
            write(out, line("", true));
        }
        out.close();
    }

    private void chatCompletions(HttpExchange exchange) throws IOException {
        chats.incrementAndGet();
        String question = ScriptedOllamaBasics.lastUserMessage(NeutronServer.JSON.readTree(exchange.getRequestBody()));
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        boolean slow = question.contains(SLOW);
        for (String token : slow ? slowTokens() : tokensOf(answerTo(question))) {
            ObjectNode chunk = NeutronServer.JSON.createObjectNode();
            chunk.putArray("choices").addObject().putObject("delta").put("content", token);
            write(out, "data: " + NeutronServer.JSON.writeValueAsString(chunk) + "\n\n");
            if (slow) {
                pause(SLOW_PAUSE_MS);
            }
        }
        write(out, "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        out.close();
    }

    private static List<String> slowTokens() {
        List<String> tokens = new ArrayList<>();
        for (int i = 1; i <= SLOW_TOKENS; i++) {
            tokens.add(" " + i);
        }
        return tokens;
    }

    private static List<String> bigTokens() {
        List<String> tokens = new ArrayList<>();
        for (int i = 1; i <= BIG_TOKENS; i++) {
            tokens.add(String.format(" word-%05d-of-a-long-answer-padded-to-sixty-characters-......", i));
        }
        return tokens;
    }

    /** The whole answer to a {@link #BIG} question, about 1.2 MB. */
    static String bigAnswer() {
        return String.join("", bigTokens());
    }

    /** The whole answer to a {@link #SLOW} question. */
    static String slowAnswer() {
        return String.join("", slowTokens());
    }

    private static String line(String token, boolean done) throws IOException {
        ObjectNode line = NeutronServer.JSON.createObjectNode();
        line.put("model", MODEL).put("created_at", "2026-01-01T00:00:00Z");
        line.putObject("message").put("role", "assistant").put("content", token);
        line.put("done", done);
        if (done) {
            line.put("done_reason", "stop").put("prompt_eval_count", 12).put("eval_count", 4).put("total_duration", 1_000_000);
        }
        return NeutronServer.JSON.writeValueAsString(line) + "\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void awaitRelease() {
        try {
            released.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(int millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
