package dev.neutron.chat;

import dev.neutron.store.contract.InMemoryChatStore;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An answer's life without the engine: real slots, session runs and an in-memory store, a fake model backend. */
class AnswerLifecycleTest {
    private static final NeutronException STOPPED = new NeutronException(ErrorCode.SERVICE_UNAVAILABLE, "stopped");

    private final InMemoryChatStore store = new InMemoryChatStore();
    private volatile ChatStore boundStore = store;
    private final FakeModelProvider provider = new FakeModelProvider(8192);
    private final GenerationSlots slots = new GenerationSlots(1, 10);
    private final SessionRuns runs = new SessionRuns(System::currentTimeMillis, () -> 60_000L);
    private final AnswerLifecycle answers = new AnswerLifecycle(slots, runs, Clock.systemUTC(), this::requireStore,
            () -> 300);
    private final AtomicInteger ids = new AtomicInteger();

    @AfterEach
    void close() {
        answers.close();
    }

    private ChatStore requireStore() {
        ChatStore current = boundStore;
        if (current == null) {
            throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE, "No chat store is active.");
        }
        return current;
    }

    /** A question to {@code sessionId}, registered for the session as the engine does, not stored yet. */
    private ActiveRun asked(String sessionId, String question) {
        ChatMessage userMessage = new ChatMessage("msg_q" + ids.incrementAndGet(), MessageRole.user, question,
                FakeModelProvider.MODEL, Clock.systemUTC().instant(), MessageStatus.complete, List.of(), null, null);
        List<PromptMessage> messages = List.of(new PromptMessage(MessageRole.user, question));
        PromptAssembly.Prompt prompt = new PromptAssembly.Prompt(new ChatRequest(FakeModelProvider.MODEL, messages,
                2048, 0), new ContextWindow.Fit(messages, 0, 10), 8192);
        GenerationRun run = new GenerationRun(sessionId, "msg_a" + ids.incrementAndGet(), userMessage.id(), FakeModelProvider.MODEL);
        ActiveRun active = new ActiveRun(run, provider, userMessage, prompt, System.currentTimeMillis());
        runs.claim(sessionId, active);
        return active;
    }

    /** As a send: a slot or a place in line, the question stored, then the answer started. */
    private ActiveRun sent(String sessionId, String question) {
        ActiveRun active = asked(sessionId, question);
        boolean slotNow = slots.acquireOrWait(active);
        if (slotNow) {
            active.holdSlot();
        }
        active.userMessage = store.appendMessage(sessionId, active.userMessage);
        answers.start(active, slotNow);
        return active;
    }

    private static Map<?, ?> error(ChatEvent end) {
        return (Map<?, ?>) ((Map<?, ?>) end.data()).get("error");
    }

    private static ChatMessage message(ChatEvent end) {
        return (ChatMessage) ((Map<?, ?>) end.data()).get("message");
    }

    @Test
    void leavingBeforeTheQuestionIsStoredGivesTheSlotToTheNextInLineAndStoresNothing() {
        String first = store.newSession();
        String second = store.newSession();
        ActiveRun leaving = asked(first, "first");
        assertTrue(slots.acquireOrWait(leaving));
        leaving.holdSlot();
        ActiveRun waiting = asked(second, "second");
        assertFalse(slots.acquireOrWait(waiting));

        answers.leave(leaving);

        assertTrue(leaving.ended.isDone(), "the run counts as ended");
        assertTrue(waiting.granted.isDone(), "the slot went to the next in line");
        assertEquals(1, slots.running());
        assertEquals(0, slots.waiting());
        assertEquals(List.of(), store.messages(first));
        assertDoesNotThrow(() -> runs.requireNoAnswerRunning(first), "the session is free again");
    }

    @Test
    void anAnswerAbortedWhileItsQuestionWasStoredEndsWithTheReasonWithoutReachingTheModel() throws Exception {
        String session = store.newSession();
        ActiveRun active = asked(session, "Hi");
        assertTrue(slots.acquireOrWait(active));
        active.holdSlot();
        EventLog log = new EventLog(active.run);
        assertFalse(active.abort(STOPPED), "not accepted yet: only marked");
        store.appendMessage(session, active.userMessage);

        answers.start(active, true);

        ChatEvent end = log.next();
        assertEquals(ChatEventType.error, end.eventType());
        assertEquals(Map.of("code", "service_unavailable", "message", "stopped"), error(end));
        assertEquals(List.of(active.userMessage, message(end)), store.messages(session));
        assertEquals(0, provider.pendingCalls());
        assertEquals(0, slots.running());
        assertTrue(active.ended.isDone());
    }

    @Test
    void anAnswerWhoseStoreWentAwayEndsWithTheStoreErrorAndFreesItsSlot() throws Exception {
        String session = store.newSession();
        ActiveRun active = sent(session, "Hi");
        EventLog log = new EventLog(active.run);
        FakeModelProvider.Call call = provider.nextCall();
        boundStore = null;

        call.answer("Hello");

        assertEquals(ChatEventType.meta, log.next().eventType());
        assertEquals(ChatEventType.token, log.next().eventType());
        ChatEvent end = log.next();
        assertEquals(ChatEventType.error, end.eventType());
        assertEquals(Map.of("code", "service_unavailable", "message", "No chat store is active."), error(end));
        assertEquals("Hello", message(end).content());
        assertEquals(MessageStatus.complete, message(end).status(), "the answer itself was complete");
        assertEquals(List.of(active.userMessage), store.messages(session), "nothing could be stored");
        assertEquals(0, slots.running());
        assertTrue(active.ended.isDone());
    }

    @Test
    void anAnswerToADeletedChatEndsDoneWithoutBeingStored() throws Exception {
        String session = store.newSession();
        ActiveRun active = sent(session, "Hi");
        EventLog log = new EventLog(active.run);
        FakeModelProvider.Call call = provider.nextCall();
        assertTrue(store.deleteSession(session));

        call.answer("Hello");

        assertEquals(ChatEventType.meta, log.next().eventType());
        assertEquals(ChatEventType.token, log.next().eventType());
        ChatEvent end = log.next();
        assertEquals(ChatEventType.done, end.eventType());
        assertEquals("Hello", message(end).content());
        assertTrue(store.findSession(session).isEmpty());
        assertEquals(0, slots.running());
    }

    @Test
    void cancellingIfWaitingLeavesARunningAnswerToItsProvider() throws Exception {
        String session = store.newSession();
        ActiveRun active = sent(session, "Hi");
        FakeModelProvider.Call call = provider.nextCall();

        answers.cancelIfWaiting(active);

        assertFalse(active.finished(), "a running answer is not cancelled here");
        call.answer("Hello");
        assertEquals(List.of("Hi", "Hello"), store.messages(session).stream().map(ChatMessage::content).toList());
        assertEquals(MessageStatus.complete, store.messages(session).get(1).status());
    }

    @Test
    void unwrapKeepsNeutronErrorsAndCallsAnythingElseAProviderError() {
        NeutronException coded = new NeutronException(ErrorCode.PROVIDER_UNREACHABLE, "Ollama is not reachable.");
        assertSame(coded, AnswerLifecycle.unwrap(coded));
        assertSame(coded, AnswerLifecycle.unwrap(new CompletionException(coded)));

        NeutronException wrapped = AnswerLifecycle.unwrap(new CompletionException(new IOException("reset")));
        assertEquals(ErrorCode.PROVIDER_ERROR, wrapped.code());
        assertEquals("The model backend failed: java.io.IOException: reset", wrapped.getMessage());

        NeutronException raw = AnswerLifecycle.unwrap(new IllegalStateException("boom"));
        assertEquals(ErrorCode.PROVIDER_ERROR, raw.code());
        assertEquals("The model backend failed: java.lang.IllegalStateException: boom", raw.getMessage());
    }
}
