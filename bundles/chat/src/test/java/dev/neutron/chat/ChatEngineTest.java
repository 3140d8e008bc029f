package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's core: an answer from send to its stored end, with a fake model backend. */
class ChatEngineTest {
    private final EngineHarness harness = new EngineHarness(8192, Map.of());

    @AfterEach
    void stopEngine() {
        harness.close();
    }

    private static List<ChatEventType> types(List<ChatEvent> events) {
        return events.stream().map(ChatEvent::eventType).toList();
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

    private static Map<?, ?> error(ChatEvent end) {
        return (Map<?, ?>) ((Map<?, ?>) end.data()).get("error");
    }

    @Test
    void storesTheQuestionAndTheStreamedAnswerAndReportsEachStep() throws Exception {
        String session = harness.store.newSession();
        EventLog log = new EventLog(harness.send(session, "Hello?"));
        FakeModelProvider.Call call = harness.provider.nextCall();
        call.listener().onToken("Hi");
        call.listener().onToken(" there");
        call.result().complete(new ChatResult("stop", 12, 2, 5L));

        List<ChatEvent> events = drain(log, 4);

        assertEquals(List.of(ChatEventType.meta, ChatEventType.token, ChatEventType.token, ChatEventType.done),
                types(events));
        assertEquals(List.of(1L, 2L, 3L, 4L), events.stream().map(ChatEvent::id).toList());
        assertEquals(Map.of("text", " there"), events.get(2).data());
        List<ChatMessage> stored = harness.store.messages(session);
        assertEquals(List.of(MessageRole.user, MessageRole.assistant), stored.stream().map(ChatMessage::role).toList());
        assertEquals("Hello?", stored.get(0).content());
        ChatMessage answer = stored.get(1);
        assertEquals(message(events.get(3)), answer);
        assertEquals("Hi there", answer.content());
        assertEquals(MessageStatus.complete, answer.status());
        assertEquals(12, answer.stats().promptTokens());
        assertEquals("stop", answer.stats().finishReason());
        assertEquals(List.of(new PromptMessage(MessageRole.user, "Hello?")), call.request().messages());
        assertEquals(FakeModelProvider.MODEL, harness.store.findSession(session).orElseThrow().model(),
                "the session remembers the model");
    }

    @Test
    void sendsTheHistoryWithTheNewMessage() throws Exception {
        String session = harness.store.newSession();
        harness.send(session, "one");
        harness.provider.nextCall().answer("first answer"); // stored before answer() returns

        harness.send(session, "two");

        assertEquals(List.of(new PromptMessage(MessageRole.user, "one"),
                new PromptMessage(MessageRole.assistant, "first answer"), new PromptMessage(MessageRole.user, "two")),
                harness.provider.nextCall().request().messages());
    }

    @Test
    void refusesASecondMessageWhileTheAnswerRuns() throws Exception {
        String session = harness.store.newSession();
        harness.send(session, "one");
        harness.provider.nextCall();

        NeutronException error = assertThrows(NeutronException.class, () -> harness.send(session, "two"));

        assertEquals(ErrorCode.GENERATION_IN_PROGRESS, error.code());
        assertEquals(1, harness.store.messages(session).size(), "only the first question is stored");
    }

    @Test
    void stoppingKeepsThePartialAnswerAsStopped() throws Exception {
        String session = harness.store.newSession();
        EventLog log = new EventLog(harness.send(session, "Tell me a story"));
        harness.provider.nextCall().listener().onToken("Once upon");

        assertTrue(harness.engine.stop(session));

        List<ChatEvent> events = drain(log, 3);
        assertEquals(List.of(ChatEventType.meta, ChatEventType.token, ChatEventType.done), types(events));
        ChatMessage answer = harness.store.messages(session).get(1);
        assertEquals(MessageStatus.stopped, answer.status());
        assertEquals("Once upon", answer.content());
        assertEquals("cancelled", answer.stats().finishReason());
        assertFalse(harness.engine.stop(session), "nothing left to stop");
    }

    @Test
    void aProviderFailingMidAnswerEndsWithAnErrorEventAndKeepsTheText() throws Exception {
        String session = harness.store.newSession();
        EventLog log = new EventLog(harness.send(session, "Hi"));
        FakeModelProvider.Call call = harness.provider.nextCall();
        call.listener().onToken("Half an");
        call.result().completeExceptionally(new NeutronException(ErrorCode.PROVIDER_ERROR, "Ollama went away."));

        List<ChatEvent> events = drain(log, 3);

        assertEquals(ChatEventType.error, events.get(2).eventType());
        assertEquals(Map.of("code", "provider_error", "message", "Ollama went away."), error(events.get(2)));
        ChatMessage answer = harness.store.messages(session).get(1);
        assertEquals(message(events.get(2)), answer);
        assertEquals(MessageStatus.error, answer.status());
        assertEquals("Half an", answer.content());
        assertEquals(new ChatMessage.ErrorInfo("provider_error", "Ollama went away."), answer.error());
    }

    /**
     * The bug: a provider that threw at once, after {@code meta}, made send() fail with a JSON error although the
     * question was stored, and no answer was ever stored for it.
     */
    @Test
    void aProviderFailingAtOnceEndsTheStreamWithAnErrorAndStoresTheAnswerAsError() throws Exception {
        String session = harness.store.newSession();
        harness.provider.failNextChat(new NeutronException(ErrorCode.PROVIDER_UNREACHABLE,
                "Ollama is not reachable at http://127.0.0.1:1 — start it with `ollama serve`."));

        LiveGeneration generation = harness.send(session, "Hi");

        List<ChatEvent> events = drain(new EventLog(generation), 2);
        assertEquals(List.of(ChatEventType.meta, ChatEventType.error), types(events));
        assertEquals(Map.of("code", "provider_unreachable", "message",
                "Ollama is not reachable at http://127.0.0.1:1 — start it with `ollama serve`."), error(events.get(1)));
        List<ChatMessage> stored = harness.store.messages(session);
        assertEquals(List.of(MessageRole.user, MessageRole.assistant), stored.stream().map(ChatMessage::role).toList());
        assertEquals(MessageStatus.error, stored.get(1).status());
        assertEquals("provider_unreachable", stored.get(1).error().code());
        assertEquals(message(events.get(1)), stored.get(1));
        assertTrue(generation.finished());

        harness.send(session, "again");
        assertEquals("again", harness.provider.nextCall().request().messages().get(1).content(),
                "the slot and the session are free again");
    }

    @Test
    void anUnexpectedProviderExceptionIsReportedAsProviderError() throws Exception {
        String session = harness.store.newSession();
        harness.provider.failNextChat(new IllegalStateException("boom"));

        List<ChatEvent> events = drain(new EventLog(harness.send(session, "Hi")), 2);

        assertEquals("provider_error", error(events.get(1)).get("code"));
        assertEquals("The model backend failed: java.lang.IllegalStateException: boom", error(events.get(1)).get("message"));
    }

    @Test
    void aRemovedProviderEndsItsAnswersWithProviderRemoved() throws Exception {
        String session = harness.store.newSession();
        EventLog log = new EventLog(harness.send(session, "Hi"));
        harness.provider.nextCall().listener().onToken("Partial");

        harness.engine.unbindProvider(harness.provider);

        List<ChatEvent> events = drain(log, 3);
        assertEquals("provider_removed", error(events.get(2)).get("code"));
        assertEquals("Partial", harness.store.messages(session).get(1).content());
    }

    @Test
    void aClientReattachingGetsWhatItMissedThenTheRest() throws Exception {
        String session = harness.store.newSession();
        LiveGeneration generation = harness.send(session, "Hi");
        FakeModelProvider.Call call = harness.provider.nextCall();
        call.listener().onToken("a");
        call.listener().onToken("b");

        LiveGeneration found = harness.engine.generation(session).orElseThrow();
        List<ChatEvent> replayed = new ArrayList<>();
        found.subscribe(2, replayed::add);
        call.answer("c");

        assertSame(generation, found);
        assertEquals(List.of(3L, 4L, 5L), replayed.stream().map(ChatEvent::id).toList());
        assertEquals(List.of(ChatEventType.token, ChatEventType.token, ChatEventType.done), types(replayed));
    }

    @Test
    void aSessionWithoutAnAnswerHasNoGeneration() {
        assertTrue(harness.engine.generation(harness.store.newSession()).isEmpty());
        assertNull(harness.engine.generation("chat_unknown").orElse(null));
    }
}
