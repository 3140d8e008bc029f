package dev.neutron.provider.ollama;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.Generation;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import dev.neutron.api.TokenListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Faults of the streamed chat that a real Ollama cannot be made to show, injected by {@link ScriptedFaultyOllama}. */
class OllamaStreamingFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration GENEROUS_IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final ChatRequest REQUEST = new ChatRequest("smollm2:135m", List.of(new PromptMessage("user", "Hi")), 2048);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void linesSplitMidJsonAndMidUtf8CharacterArriveWhole() throws Exception {
        byte[] answer = (token("Grüße ") + "\n" + token("🙂 ok") + "\n" + done() + "\n").getBytes(StandardCharsets.UTF_8);
        int insideUmlaut = indexOf(answer, "ü".getBytes(StandardCharsets.UTF_8)) + 1;
        int insideEmoji = indexOf(answer, "🙂".getBytes(StandardCharsets.UTF_8)) + 2;
        int[] cuts = {7, insideUmlaut, insideEmoji, answer.length - 5, answer.length};
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            int from = 0;
            for (int cut : cuts) {
                exchange.sendChunk(Arrays.copyOfRange(answer, from, cut));
                from = cut;
            }
            exchange.endStream();
        });
        TokenRecorder tokens = new TokenRecorder();

        ChatResult result = provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, tokens).result().get(WAIT.toSeconds(), SECONDS);

        assertEquals(List.of("Grüße ", "🙂 ok"), tokens.deltas());
        assertEquals(new ChatResult("stop", 12, 2, 345_000_000L), result);
    }

    @Test
    void errorLineAfterTokensFailsWithOllamasMessage() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(token("Once upon"), token(" a time"), "{\"error\":\"llama runner process has terminated\"}");
            exchange.endStream();
        });
        TokenRecorder tokens = new TokenRecorder();

        NeutronException error = failureOf(provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, tokens));

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertEquals("Ollama reported an error mid-answer: llama runner process has terminated", error.getMessage());
        assertEquals("Once upon a time", tokens.text());
    }

    @Test
    void stallLongerThanIdleTimeoutFailsAsTimeoutAndClosesTheConnection() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(token("Thinking"));
            exchange.awaitClientHangUp();
        });
        TokenRecorder tokens = new TokenRecorder();

        NeutronException error = failureOf(provider(fake, Duration.ofMillis(300)).chat(REQUEST, tokens));

        assertEquals(ErrorCode.PROVIDER_TIMEOUT, error.code());
        assertTrue(error.getMessage().startsWith("Ollama sent nothing for 300 ms"), error.getMessage());
        assertEquals("Thinking", tokens.text());
        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
    }

    @Test
    void stallBeforeOllamaAnswersFailsAsTimeoutAndClosesTheConnection() throws Exception {
        ScriptedFaultyOllama fake = fake(ScriptedFaultyOllama.Exchange::awaitClientHangUp);

        NeutronException error = failureOf(provider(fake, Duration.ofMillis(300)).chat(REQUEST, new TokenRecorder()));

        assertEquals(ErrorCode.PROVIDER_TIMEOUT, error.code());
        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
    }

    @Test
    void slowButSteadyStreamOutlastsTheIdleTimeout() throws Exception {
        int tokenCount = 8;
        Duration gap = Duration.ofMillis(100);
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            for (int i = 0; i < tokenCount; i++) {
                Thread.sleep(gap.toMillis()); // pacing of the scripted upstream, not a wait for the code under test
                exchange.sendLines(token("."));
            }
            exchange.sendLines(done());
            exchange.endStream();
        });
        TokenRecorder tokens = new TokenRecorder();

        ChatResult result = provider(fake, gap.multipliedBy(4)).chat(REQUEST, tokens).result().get(WAIT.toSeconds(), SECONDS);

        assertEquals("stop", result.finishReason());
        assertEquals(".".repeat(tokenCount), tokens.text());
    }

    @Test
    void connectionDroppedMidStreamFailsAsClosedEarly() throws Exception {
        CompletableFuture<Void> firstTokenArrived = new CompletableFuture<>();
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(token("Half an"));
            exchange.sendChunk("{\"message\":{\"role\":\"assistant\",\"con".getBytes(StandardCharsets.UTF_8));
            // the JDK client discards bytes it holds but has not handed out yet when the connection then breaks
            firstTokenArrived.get(WAIT.toSeconds(), SECONDS);
            exchange.dropConnection();
        });
        TokenRecorder tokens = new TokenRecorder();
        Generation generation = provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, tokens);
        tokens.awaitTokens(1, WAIT);
        firstTokenArrived.complete(null);

        NeutronException error = failureOf(generation);

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertEquals("The connection to Ollama closed before the answer was complete.", error.getMessage());
        assertEquals("Half an", tokens.text());
    }

    @Test
    void streamEndingWithoutDoneLineFailsAsClosedEarly() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(token("Cut"));
            exchange.endStream();
        });

        NeutronException error = failureOf(provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, new TokenRecorder()));

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertEquals("The connection to Ollama closed before the answer was complete.", error.getMessage());
    }

    @Test
    void status404BeforeOutputIsModelNotFound() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> exchange.respond(404, "{\"error\":\"model \\\"smollm2:135m\\\" not found, try pulling it first\"}"));

        NeutronException error = failureOf(provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, new TokenRecorder()));

        assertEquals(ErrorCode.MODEL_NOT_FOUND, error.code());
        assertEquals("Model 'smollm2:135m' is not available in Ollama. Pull it with `ollama pull smollm2:135m` "
                + "or pick another model.", error.getMessage());
    }

    @Test
    void status500BeforeOutputCarriesOllamasText() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> exchange.respond(500, "{\"error\":\"model requires more system memory (4.1 GiB) than is available (1.2 GiB)\"}"));

        NeutronException error = failureOf(provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, new TokenRecorder()));

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertEquals("Ollama answered /api/chat with HTTP 500: model requires more system memory (4.1 GiB) than is "
                + "available (1.2 GiB)", error.getMessage());
    }

    @Test
    void malformedLineFailsAsProviderError() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(token("Fine"), "<html>502 Bad Gateway</html>", token("never delivered"));
            exchange.endStream();
        });
        TokenRecorder tokens = new TokenRecorder();

        NeutronException error = failureOf(provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, tokens));

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertEquals("Ollama sent a line that is not JSON: <html>502 Bad Gateway</html>", error.getMessage());
        assertEquals("Fine", tokens.text());
    }

    @Test
    void cancelMidStreamCompletesAsCancelledAndClosesTheConnection() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(token("One"), token(" two"));
            exchange.awaitClientHangUp();
        });
        TokenRecorder tokens = new TokenRecorder();
        Generation generation = provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, tokens);
        tokens.awaitTokens(2, WAIT);

        generation.cancel();

        assertEquals("cancelled", generation.result().get(WAIT.toSeconds(), SECONDS).finishReason());
        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
        assertEquals("One two", tokens.text());
    }

    @Test
    void cancelBeforeOllamaAnswersClosesTheConnection() throws Exception {
        ScriptedFaultyOllama fake = fake(ScriptedFaultyOllama.Exchange::awaitClientHangUp);
        Generation generation = provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, new TokenRecorder());
        fake.firstRequest().get(WAIT.toSeconds(), SECONDS);

        generation.cancel();

        assertEquals("cancelled", generation.result().get(WAIT.toSeconds(), SECONDS).finishReason());
        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
    }

    @Test
    void cancelRightAfterStartCompletesAsCancelled() throws Exception {
        ScriptedFaultyOllama fake = fake(ScriptedFaultyOllama.Exchange::awaitClientHangUp);
        TokenRecorder tokens = new TokenRecorder();
        Generation generation = provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, tokens);

        generation.cancel();

        assertEquals("cancelled", generation.result().get(WAIT.toSeconds(), SECONDS).finishReason());
        assertEquals("", tokens.text());
    }

    @Test
    void cancelAfterCompletionChangesNothing() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(token("Done."), done());
            exchange.endStream();
        });
        Generation generation = provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, new TokenRecorder());
        ChatResult result = generation.result().get(WAIT.toSeconds(), SECONDS);

        generation.cancel();

        assertEquals("stop", result.finishReason());
        assertEquals(result, generation.result().getNow(null));
    }

    @Test
    void cancellingTheResultFutureAlsoClosesTheConnection() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(token("Hello"));
            exchange.awaitClientHangUp();
        });
        TokenRecorder tokens = new TokenRecorder();
        Generation generation = provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, tokens);
        tokens.awaitTokens(1, WAIT);

        generation.result().cancel(true);

        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
        assertThrows(CancellationException.class, () -> generation.result().get(WAIT.toSeconds(), SECONDS));
    }

    @Test
    void failingListenerEndsTheAnswerAndClosesTheConnection() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(token("Boom"));
            exchange.awaitClientHangUp();
        });
        TokenListener failing = delta -> {
            throw new IllegalStateException("subscriber gone");
        };

        NeutronException error = failureOf(provider(fake, GENEROUS_IDLE_TIMEOUT).chat(REQUEST, failing));

        assertEquals(ErrorCode.INTERNAL_ERROR, error.code());
        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
    }

    @Test
    void stoppingTheProviderEndsAnswersAsProviderRemovedAndLeavesNoThreads() throws Exception {
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(token("Still"));
            exchange.awaitClientHangUp();
        });
        OllamaModelProvider provider = provider(fake, GENEROUS_IDLE_TIMEOUT);
        TokenRecorder tokens = new TokenRecorder();
        Generation generation = provider.chat(REQUEST, tokens);
        tokens.awaitTokens(1, WAIT);

        provider.close();

        assertEquals(ErrorCode.PROVIDER_REMOVED, failureOf(generation).code());
        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
        assertEquals(List.of(), threadsStillRunningAfterJoin("neutron-ollama-"));
        NeutronException refused = assertThrows(NeutronException.class, () -> provider.chat(REQUEST, new TokenRecorder()));
        assertEquals(ErrorCode.PROVIDER_REMOVED, refused.code());
    }

    /** The bug: every streamed answer held a thread of its own, blocked on its connection; 2,000 answers cost 2,000. */
    @Test
    void answersInFlightHoldNoThreadOfTheirOwn() throws Exception {
        int answers = 40;
        ScriptedFaultyOllama fake = fake(exchange -> {
            exchange.startStream();
            exchange.sendLines(token("Waiting"));
            exchange.awaitClientHangUp();
        });
        OllamaModelProvider provider = provider(fake, GENEROUS_IDLE_TIMEOUT);
        List<TokenRecorder> recorders = new ArrayList<>();
        List<Generation> generations = new ArrayList<>();
        for (int i = 0; i < answers; i++) {
            TokenRecorder tokens = new TokenRecorder();
            recorders.add(tokens);
            generations.add(provider.chat(REQUEST, tokens));
        }
        for (TokenRecorder tokens : recorders) {
            tokens.awaitTokens(1, WAIT);
        }

        // the thread that handed on the last token may still be returning from it: wait for it, not for a blocked one
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> waiting = threadsInsideTheReader();
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
            waiting = threadsInsideTheReader();
        }
        assertEquals(List.of(), waiting);
        generations.forEach(Generation::cancel);
        for (Generation generation : generations) {
            assertEquals("cancelled", generation.result().get(WAIT.toSeconds(), SECONDS).finishReason());
        }
    }

    private static List<String> threadsInsideTheReader() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> Arrays.stream(thread.getValue()).anyMatch(frame ->
                        frame.getClassName().startsWith(NdjsonChatStream.class.getName())
                                || frame.getClassName().equals(ChatAnswerReader.class.getName())))
                .map(thread -> thread.getKey().getName())
                .toList();
    }

    private ScriptedFaultyOllama fake(ScriptedFaultyOllama.Script script) throws IOException {
        ScriptedFaultyOllama fake = ScriptedFaultyOllama.playing(script);
        resources.add(fake);
        return fake;
    }

    private OllamaModelProvider provider(ScriptedFaultyOllama fake, Duration idleTimeout) {
        OllamaModelProvider provider = new OllamaModelProvider(fake.baseUrl(), Duration.ofSeconds(3), idleTimeout, 200_000, Duration.ZERO);
        resources.add(0, provider);
        return provider;
    }

    private static NeutronException failureOf(Generation generation) throws InterruptedException, TimeoutException {
        try {
            ChatResult unexpected = generation.result().get(WAIT.toSeconds(), SECONDS);
            throw new AssertionError("expected the answer to fail, but it ended with " + unexpected);
        } catch (ExecutionException e) {
            return assertInstanceOf(NeutronException.class, e.getCause());
        }
    }

    private static List<String> threadsStillRunningAfterJoin(String namePrefix) throws InterruptedException {
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(namePrefix))
                .toList();
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
        }
        return threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    private static String token(String content) {
        ObjectNode line = OllamaClient.JSON.createObjectNode().put("model", "smollm2:135m").put("created_at", "2026-01-01T00:00:00Z");
        line.putObject("message").put("role", "assistant").put("content", content);
        return line.put("done", false).toString();
    }

    private static String done() {
        ObjectNode line = OllamaClient.JSON.createObjectNode().put("model", "smollm2:135m");
        line.putObject("message").put("role", "assistant").put("content", "");
        return line.put("done_reason", "stop").put("done", true).put("total_duration", 345_000_000L)
                .put("prompt_eval_count", 12).put("eval_count", 2).toString();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }
}
