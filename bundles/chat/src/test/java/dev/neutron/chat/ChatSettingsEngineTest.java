package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A chat's settings over the defaults on their way to the model, thinking apart from the answer, and capabilities. */
class ChatSettingsEngineTest {
    private final EngineHarness harness = new EngineHarness(8192, Map.of("systemPrompt", "Default prompt.",
            "defaultOptions", "{\"seed\":7,\"temperature\":0.9}", "defaultThink", "true", "titles", "off"));

    @AfterEach
    void stopEngine() {
        harness.close();
    }

    private String chat(ChatSettings settings) {
        return harness.store.createSession(new NewSession("named", null, settings)).id();
    }

    private static List<ChatEvent> drain(EventLog log, int count) throws InterruptedException {
        List<ChatEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(log.next());
        }
        return events;
    }

    private static ChatMessage message(ChatEvent end) {
        return (ChatMessage) ((Map<?, ?>) end.data()).get("message");
    }

    @Test
    void theChatsSettingsWinOverTheDefaultsOptionByOption() throws Exception {
        String session = chat(new ChatSettings("Be brief.", Map.of("temperature", 0.1, "num_ctx", 2048,
                "num_predict", 100, "stop", List.of("END")), null));
        EventLog log = new EventLog(harness.send(session, "Hello?"));
        FakeModelProvider.Call call = harness.provider.nextCall();
        call.answer("Hi");
        List<ChatEvent> events = drain(log, 3);

        ChatRequest request = call.request();
        assertEquals(List.of(new PromptMessage("system", "Be brief."), new PromptMessage("user", "Hello?")),
                request.messages());
        assertEquals(Map.of("seed", 7L, "stop", List.of("END"), "temperature", 0.1), request.options());
        assertEquals(2048, request.contextWindow(), "num_ctx is the window, whatever the prompt needs");
        assertEquals(100, request.maxAnswerTokens());
        Map<String, Object> sent = Map.of("num_ctx", 2048, "num_predict", 100, "seed", 7L, "stop", List.of("END"),
                "temperature", 0.1);
        assertEquals(sent, request.effectiveOptions());
        assertNull(request.think(), "the fake model has no thinking capability");
        Map<?, ?> meta = (Map<?, ?>) events.get(0).data();
        assertEquals(sent, meta.get("options"));
        assertNull(meta.get("think"));
        assertEquals("Model 'fake-model' cannot think (it lacks the thinking capability), so the chat's thinking"
                + " setting (true) was not sent.", meta.get("thinkIgnored"));
        assertEquals(2048, meta.get("contextWindow"));
        ChatMessage answer = message(events.get(2));
        assertEquals(Map.of("num_ctx", 2048L, "num_predict", 100L, "seed", 7L, "stop", List.of("END"),
                "temperature", 0.1), answer.stats().options());
        assertEquals(2048, answer.stats().contextWindow());
        assertNull(answer.stats().thinkingMs());
        assertNull(answer.thinking());
    }

    @Test
    void withoutSettingsOfItsOwnAChatGetsTheDefaultsAndTheAutomaticWindow() throws Exception {
        String session = chat(null);
        harness.send(session, "Hello?");
        ChatRequest request = harness.provider.nextCall().request();

        assertEquals(new PromptMessage("system", "Default prompt."), request.messages().get(0));
        assertEquals(Map.of("seed", 7L, "temperature", 0.9), request.options());
        assertEquals(ContextWindow.MIN_WINDOW, request.contextWindow());
        assertEquals(0, request.maxAnswerTokens());
    }

    @Test
    void anEmptySystemPromptOfTheChatMeansNoneAtAll() throws Exception {
        String session = chat(new ChatSettings("", Map.of(), null));
        harness.send(session, "Hello?");

        assertEquals(List.of(new PromptMessage("user", "Hello?")), harness.provider.nextCall().request().messages());
    }

    @Test
    void anAnswerCapOfMinusOneIsSentAsItIs() throws Exception {
        String session = chat(new ChatSettings(null, Map.of("num_predict", -1), null));
        harness.send(session, "Hello?");
        ChatRequest request = harness.provider.nextCall().request();

        assertEquals(0, request.maxAnswerTokens());
        assertEquals(-1L, request.effectiveOptions().get("num_predict"));
    }

    @Test
    void thinkGoesToAThinkingModelAndShowsInMeta() throws Exception {
        harness.provider.capabilities("completion", "thinking");
        String session = chat(new ChatSettings(null, Map.of(), "high"));
        EventLog log = new EventLog(harness.send(session, "Hello?"));
        FakeModelProvider.Call call = harness.provider.nextCall();

        assertEquals("high", call.request().think());
        Map<?, ?> meta = (Map<?, ?>) log.next().data();
        assertEquals("high", meta.get("think"));
        assertFalse(meta.containsKey("thinkIgnored"));
    }

    @Test
    void thinkOnAndOffAreBooleansInMeta() throws Exception {
        harness.provider.capabilities("completion", "thinking");
        EventLog log = new EventLog(harness.send(chat(null), "Hello?"));

        assertEquals("true", harness.provider.nextCall().request().think(), "the default");
        assertEquals(Boolean.TRUE, ((Map<?, ?>) log.next().data()).get("think"));
    }

    @Test
    void thinkingStreamsApartFromTheAnswerIsStoredApartAndNeverSentBack() throws Exception {
        harness.provider.capabilities("completion", "thinking");
        String session = chat(null);
        EventLog log = new EventLog(harness.send(session, "What is 2+2?"));
        FakeModelProvider.Call call = harness.provider.nextCall();
        call.listener().onThinking("Two and two");
        call.listener().onThinking(" make four.");
        call.listener().onToken("4");
        call.result().complete(new ChatResult("stop", 10, 3, 5L));

        List<ChatEvent> events = drain(log, 5);

        assertEquals(List.of(ChatEventType.meta, ChatEventType.thinking, ChatEventType.thinking, ChatEventType.token,
                ChatEventType.done), events.stream().map(ChatEvent::eventType).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), events.stream().map(ChatEvent::id).toList());
        assertEquals(Map.of("text", " make four."), events.get(2).data());
        ChatMessage answer = harness.store.messages(session).get(1);
        assertEquals(message(events.get(4)), answer);
        assertEquals("4", answer.content());
        assertEquals("Two and two make four.", answer.thinking());
        assertNotNull(answer.stats().thinkingMs());
        assertTrue(answer.stats().thinkingMs() >= 0);

        List<ChatEvent> replayed = new ArrayList<>();
        harness.engine.generation(session).orElseThrow().subscribe(1, replayed::add).close();
        assertEquals(events.subList(1, 5), replayed, "a client that reattaches gets the thinking again");

        harness.send(session, "And 3+3?");
        List<PromptMessage> prompt = harness.provider.nextCall().request().messages();
        assertEquals(List.of(new PromptMessage("system", "Default prompt."), new PromptMessage("user", "What is 2+2?"),
                new PromptMessage("assistant", "4"),
                new PromptMessage("user", "And 3+3?")), prompt);
    }

    @Test
    void aStoppedAnswerKeepsItsThinking() throws Exception {
        harness.provider.capabilities("completion", "thinking");
        String session = chat(null);
        EventLog log = new EventLog(harness.send(session, "Think hard."));
        FakeModelProvider.Call call = harness.provider.nextCall();
        call.listener().onThinking("Let me see");
        drain(log, 2);

        assertTrue(harness.engine.stop(session));
        ChatEvent end = log.next();

        assertEquals(ChatEventType.done, end.eventType());
        ChatMessage answer = message(end);
        assertEquals(MessageStatus.stopped, answer.status());
        assertEquals("", answer.content());
        assertEquals("Let me see", answer.thinking());
        assertNotNull(answer.stats().thinkingMs());
    }

    @Test
    void anEmbeddingModelCannotChatAndNothingIsStored() {
        harness.provider.capabilities("embedding");
        String session = chat(null);

        NeutronException refused = assertThrows(NeutronException.class, () -> harness.send(session, "Hello?"));

        assertEquals(ErrorCode.INVALID_REQUEST, refused.code());
        assertEquals("Model 'fake-model' is an embedding model; it cannot chat. Pick a chat model for this chat."
                + " Nothing was sent or stored.", refused.getMessage());
        assertEquals(List.of(), harness.store.messages(session));
        assertEquals(0, harness.provider.pendingCalls());
    }

    @Test
    void aModelThatEmbedsAndChatsMayChat() throws Exception {
        harness.provider.capabilities("embedding", "completion");
        harness.send(chat(null), "Hello?");

        assertEquals("Hello?", harness.provider.nextCall().request().messages().get(1).content());
    }
}
