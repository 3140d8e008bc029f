package dev.neutron.provider.openai;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.Generation;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Faults a real server cannot be made to show on demand, injected by {@link ScriptedFaultyOpenAi}. */
class OpenAiStreamingFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String API_KEY = "sk-test-0123456789abcdef";
    private static final ChatRequest REQUEST = new ChatRequest("test/tiny-model", List.of(new PromptMessage("user", "Hi")), 2048);

    /** Providers first, then the fakes they talk to. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    @AfterEach
    void closeWhatWasOpened() throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }

    @Test
    void eventsSplitMidJsonAndMidUtf8CharacterArriveWhole() throws Exception {
        String wire = ": keep-alive comment\r\nevent: message\r\nid: 1\r\n" + "data: " + delta("Grüße ") + "\r\n\r\n"
                + "data: " + delta("🙂 ok") + "\n\n" + "data: " + finish("stop") + "\n\n"
                + "data: " + usage(12, 2) + "\n\n" + "data: [DONE]\n\n";
        byte[] answer = wire.getBytes(StandardCharsets.UTF_8);
        int[] cuts = {5, 30, bytesBefore(wire, "ü") + 1, bytesBefore(wire, "🙂") + 2, bytesBefore(wire, "data: [DONE]") + 3,
                answer.length};
        ScriptedFaultyOpenAi fake = fake(exchange -> {
            exchange.startEvents();
            int from = 0;
            for (int cut : cuts) {
                exchange.chunk(Arrays.copyOfRange(answer, from, cut));
                from = cut;
            }
            exchange.endStream();
        });
        RecordingListener tokens = new RecordingListener();

        ChatResult result = provider(fake).chat(REQUEST, tokens).result().get(WAIT.toSeconds(), SECONDS);

        assertEquals(List.of("Grüße ", "🙂 ok"), tokens.deltas());
        assertEquals("stop", result.finishReason());
        assertEquals(12, result.promptTokens());
        assertEquals(2, result.completionTokens());
        assertEquals("/v1/chat/completions", fake.firstRequest().get().path());
        assertTrue(fake.firstRequest().get().body().contains("\"model\":\"tiny-model\""), "the display prefix is stripped");
    }

    @Test
    void reasoningDeltasGoToOnThinkingAndNeverIntoTheAnswer() throws Exception {
        ScriptedFaultyOpenAi fake = fake(exchange -> {
            exchange.startEvents();
            exchange.events(reasoning("reasoning_content", "Short"), reasoning("reasoning", " question."),
                    delta("Hello"), delta("!"), finish("stop"));
            exchange.events("[DONE]");
            exchange.endStream();
        });
        RecordingListener tokens = new RecordingListener();
        ChatRequest request = new ChatRequest("test/tiny-model", List.of(new PromptMessage("user", "Hi")), 2048, 0,
                java.util.Map.of("seed", 7), "medium");

        provider(fake).chat(request, tokens).result().get(WAIT.toSeconds(), SECONDS);

        assertEquals(List.of("Short", " question."), tokens.thinkingDeltas());
        assertEquals(List.of("Hello", "!"), tokens.deltas());
        String sent = fake.firstRequest().get().body();
        assertTrue(sent.endsWith(",\"seed\":7,\"reasoning_effort\":\"medium\"}"), sent);
    }

    @Test
    void errorEventAfterTokensFailsWithTheServersMessage() throws Exception {
        ScriptedFaultyOpenAi fake = fake(exchange -> {
            exchange.startEvents();
            exchange.events(delta("Once upon"), delta(" a time"),
                    "{\"error\":{\"message\":\"upstream model crashed\",\"type\":\"server_error\",\"code\":null}}");
            exchange.endStream();
        });
        RecordingListener tokens = new RecordingListener();

        NeutronException error = failureOf(provider(fake).chat(REQUEST, tokens));

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertEquals("The OpenAI-compatible server of provider 'test' at " + fake.baseUrl()
                + " reported an error mid-answer: upstream model crashed", error.getMessage());
        assertEquals("Once upon a time", tokens.text());
    }

    @Test
    void stallMidAnswerLongerThanTheIdleTimeoutFailsAsTimeoutAndHangsUp() throws Exception {
        ScriptedFaultyOpenAi fake = fake(exchange -> {
            exchange.startEvents();
            exchange.events(delta("Thinking"));
            exchange.stallUntilClientHangsUp();
        });
        RecordingListener tokens = new RecordingListener();

        NeutronException error = failureOf(provider(fake, "idleTimeoutMs", 300).chat(REQUEST, tokens));

        assertEquals(ErrorCode.PROVIDER_TIMEOUT, error.code());
        assertEquals("The OpenAI-compatible server of provider 'test' at " + fake.baseUrl() + " sent nothing for 300 ms, "
                + "so the answer was abandoned. Try again, or raise idleTimeoutMs in "
                + "/srv/neutron/deploy/dev.neutron.provider.openai-test.cfg.", error.getMessage());
        assertEquals("Thinking", tokens.text());
        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
    }

    @Test
    void stallBeforeTheServerAnswersFailsAsTimeoutAndHangsUp() throws Exception {
        ScriptedFaultyOpenAi fake = fake(ScriptedFaultyOpenAi.Exchange::stallUntilClientHangsUp);

        NeutronException error = failureOf(provider(fake, "idleTimeoutMs", 300).chat(REQUEST, new RecordingListener()));

        assertEquals(ErrorCode.PROVIDER_TIMEOUT, error.code());
        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
    }

    @Test
    void slowButSteadyAnswerOutlastsTheIdleTimeout() throws Exception {
        ScriptedFaultyOpenAi fake = fake(exchange -> {
            exchange.startEvents();
            for (int i = 0; i < 8; i++) {
                Thread.sleep(100); // pacing of the scripted server, not a wait for the code under test
                exchange.events(delta("."));
            }
            exchange.events(finish("stop"), "[DONE]");
            exchange.endStream();
        });
        RecordingListener tokens = new RecordingListener();

        ChatResult result = provider(fake, "idleTimeoutMs", 300).chat(REQUEST, tokens).result().get(WAIT.toSeconds(), SECONDS);

        assertEquals("stop", result.finishReason());
        assertEquals("........", tokens.text());
    }

    @Test
    void refusedApiKeySaysToCheckItWithoutShowingIt() throws Exception {
        ScriptedFaultyOpenAi fake = fake(exchange -> exchange.respond(401, "{\"error\":{\"message\":\"Incorrect API key "
                + "provided: " + API_KEY + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        OpenAiModelProvider provider = provider(fake, "_apiKey", API_KEY);

        NeutronException onChat = failureOf(provider.chat(REQUEST, new RecordingListener()));
        NeutronException onList = assertThrows(NeutronException.class, provider::listModels);

        assertEquals("Bearer " + API_KEY, fake.firstRequest().get().headers().get("authorization"));
        String checkTheKey = "The OpenAI-compatible server of provider 'test' at " + fake.baseUrl() + " refused %s with "
                + "HTTP 401: check the apiKey in /srv/neutron/deploy/dev.neutron.provider.openai-test.cfg.";
        assertEquals(ErrorCode.PROVIDER_ERROR, onChat.code());
        assertEquals(String.format(checkTheKey, "/chat/completions"), onChat.getMessage());
        assertEquals(String.format(checkTheKey, "/models"), onList.getMessage());
        assertFalse(provider.status().available());
        assertFalse(provider.status().message().contains(API_KEY));
    }

    @Test
    void status404ForTheModelIsModelNotFoundUnderItsDisplayName() throws Exception {
        ScriptedFaultyOpenAi fake = fake(exchange -> exchange.respond(404,
                "{\"error\":{\"message\":\"model \\\"tiny-model\\\" not found, try pulling it first\",\"type\":\"api_error\"}}"));

        NeutronException error = failureOf(provider(fake).chat(REQUEST, new RecordingListener()));

        assertEquals(ErrorCode.MODEL_NOT_FOUND, error.code());
        assertEquals("Model 'test/tiny-model' is not available at " + fake.baseUrl()
                + ". Pick one listed by GET /api/v1/chat/models.", error.getMessage());
    }

    @Test
    void status500CarriesTheServersMessage() throws Exception {
        ScriptedFaultyOpenAi fake = fake(exchange -> exchange.respond(500, "{\"error\":{\"message\":\"out of memory\"}}"));

        NeutronException error = failureOf(provider(fake).chat(REQUEST, new RecordingListener()));

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertEquals("The OpenAI-compatible server of provider 'test' at " + fake.baseUrl()
                + " answered /chat/completions with HTTP 500: out of memory", error.getMessage());
    }

    @Test
    void connectionClosedWithoutDoneOrFinishReasonFailsAsClosedEarly() throws Exception {
        ScriptedFaultyOpenAi fake = fake(exchange -> {
            exchange.startEvents();
            exchange.events(delta("Cut"));
            exchange.endStream();
        });
        RecordingListener tokens = new RecordingListener();

        NeutronException error = failureOf(provider(fake).chat(REQUEST, tokens));

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertTrue(error.getMessage().endsWith("closed the connection before the answer was complete."), error.getMessage());
        assertEquals("Cut", tokens.text());
    }

    @Test
    void cancelMidAnswerCompletesAsCancelledAndHangsUp() throws Exception {
        ScriptedFaultyOpenAi fake = fake(exchange -> {
            exchange.startEvents();
            exchange.events(delta("One"), delta(" two"));
            exchange.stallUntilClientHangsUp();
        });
        RecordingListener tokens = new RecordingListener();
        Generation generation = provider(fake).chat(REQUEST, tokens);
        tokens.awaitDeltas(2, WAIT);

        generation.cancel();

        assertEquals("cancelled", generation.result().get(WAIT.toSeconds(), SECONDS).finishReason());
        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
        assertEquals("One two", tokens.text());
    }

    @Test
    void cancelBeforeTheServerAnswersHangsUp() throws Exception {
        ScriptedFaultyOpenAi fake = fake(ScriptedFaultyOpenAi.Exchange::stallUntilClientHangsUp);
        Generation generation = provider(fake).chat(REQUEST, new RecordingListener());
        fake.firstRequest().get(WAIT.toSeconds(), SECONDS);

        generation.cancel();

        assertEquals("cancelled", generation.result().get(WAIT.toSeconds(), SECONDS).finishReason());
        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
    }

    @Test
    void stoppingTheProviderEndsAnswersAsProviderRemovedAndLeavesNoThreads() throws Exception {
        ScriptedFaultyOpenAi fake = fake(exchange -> {
            exchange.startEvents();
            exchange.events(delta("Still"));
            exchange.stallUntilClientHangsUp();
        });
        OpenAiModelProvider provider = provider(fake);
        RecordingListener tokens = new RecordingListener();
        Generation generation = provider.chat(REQUEST, tokens);
        tokens.awaitDeltas(1, WAIT);

        provider.close();

        assertEquals(ErrorCode.PROVIDER_REMOVED, failureOf(generation).code());
        fake.clientHungUp().get(WAIT.toSeconds(), SECONDS);
        assertEquals(List.of(), threadsAliveAfterJoin("neutron-openai-test-"));
        assertEquals(ErrorCode.PROVIDER_REMOVED, failureOf(provider.chat(REQUEST, new RecordingListener())).code());
    }

    private ScriptedFaultyOpenAi fake(ScriptedFaultyOpenAi.Script script) throws IOException {
        ScriptedFaultyOpenAi fake = ScriptedFaultyOpenAi.playing(script);
        opened.addLast(fake);
        return fake;
    }

    private OpenAiModelProvider provider(ScriptedFaultyOpenAi fake, Object... settings) {
        OpenAiModelProvider provider = TestConfigs.provider(fake.baseUrl(), settings);
        opened.addFirst(provider);
        return provider;
    }

    private static NeutronException failureOf(Generation generation) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> generation.result().get(WAIT.toSeconds(), SECONDS));
        return assertInstanceOf(NeutronException.class, failed.getCause());
    }

    /** Waits a while for each thread whose name starts with {@code namePrefix}; returns those still alive. */
    private static List<String> threadsAliveAfterJoin(String namePrefix) throws InterruptedException {
        List<String> alive = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(namePrefix) && !joined(thread)) {
                alive.add(thread.getName());
            }
        }
        return alive;
    }

    private static boolean joined(Thread thread) throws InterruptedException {
        thread.join(WAIT.toMillis());
        return !thread.isAlive();
    }

    static String delta(String content) {
        return chunk("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":" + quoted(content) + "},\"finish_reason\":null}");
    }

    /** A chunk with a reasoning delta in {@code field}, as llama.cpp and vLLM ({@code reasoning_content}) or Ollama's /v1 send it. */
    static String reasoning(String field, String text) {
        return chunk("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"" + field + "\":" + quoted(text)
                + "},\"finish_reason\":null}");
    }

    static String finish(String reason) {
        return chunk("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":\"" + reason + "\"}");
    }

    /** The last chunk of a stream with {@code stream_options.include_usage}, as Ollama and OpenAI send it. */
    static String usage(int prompt, int completion) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"tiny-model\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
                + (prompt + completion) + "}}";
    }

    private static String chunk(String choice) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"tiny-model\",\"choices\":[" + choice + "]}";
    }

    private static String quoted(String text) {
        return OpenAiClient.JSON.getNodeFactory().textNode(text).toString();
    }

    /** Where {@code text} starts in the UTF-8 bytes of {@code wire}. */
    private static int bytesBefore(String wire, String text) {
        return wire.substring(0, wire.indexOf(text)).getBytes(StandardCharsets.UTF_8).length;
    }
}
