package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Answers beyond maxConcurrentGenerations wait in a fair line, hear their place, and can leave it. */
class GenerationQueueTest {
    private EngineHarness harness;

    @AfterEach
    void stopEngine() {
        harness.close();
    }

    private void start(Map<String, Object> properties) {
        harness = new EngineHarness(8192, properties);
    }

    private static void assertQueued(long id, int position, ChatEvent event) {
        assertEquals(new ChatEvent(id, ChatEventType.queued, Map.of("position", position)), event);
    }

    private static String lastPrompt(FakeModelProvider.Call call) {
        return call.request().messages().get(call.request().messages().size() - 1).content();
    }

    @Test
    void waitersStartFirstComeFirstServedAndHearTheirPlaceBeforeMeta() throws Exception {
        start(Map.of("maxConcurrentGenerations", 1));
        String s1 = harness.store.newSession();
        String s2 = harness.store.newSession();
        String s3 = harness.store.newSession();
        EventLog first = new EventLog(harness.send(s1, "first"));
        FakeModelProvider.Call call1 = harness.provider.nextCall();
        EventLog second = new EventLog(harness.send(s2, "second"));
        EventLog third = new EventLog(harness.send(s3, "third"));

        assertEquals("meta", first.next().type());
        assertQueued(1, 1, second.next());
        assertQueued(1, 2, third.next());
        assertEquals(0, harness.provider.pendingCalls(), "only one answer is generated");
        assertEquals(List.of("second"), harness.store.messages(s2).stream().map(ChatMessage::content).toList(),
                "a waiting message is stored at once");

        call1.answer("one");
        FakeModelProvider.Call call2 = harness.provider.nextCall();
        assertEquals("second", lastPrompt(call2));
        ChatEvent secondMeta = second.next();
        assertEquals(2, secondMeta.id());
        assertEquals("meta", secondMeta.type());
        assertQueued(2, 1, third.next());

        call2.answer("two");
        assertEquals(List.of("token", "done"), List.of(second.next().type(), second.next().type()));
        assertEquals("third", lastPrompt(harness.provider.nextCall()));
        ChatEvent thirdMeta = third.next();
        assertEquals(3, thirdMeta.id());
        assertEquals("meta", thirdMeta.type());
    }

    @Test
    void aFullLineRefusesWithTooManyGenerationsAndStoresNothing() throws Exception {
        start(Map.of("maxConcurrentGenerations", 1, "maxQueuedGenerations", 1));
        harness.send(harness.store.newSession(), "first");
        harness.send(harness.store.newSession(), "second");
        String s3 = harness.store.newSession();

        NeutronException error = assertThrows(NeutronException.class, () -> harness.send(s3, "third"));

        assertEquals(ErrorCode.TOO_MANY_GENERATIONS, error.code());
        assertEquals(429, error.code().httpStatus());
        assertEquals("Neutron is generating 1 answers (its limit is 1) and 1 more are waiting, the most it lets wait."
                + " Try again in a minute.", error.getMessage());
        assertEquals(List.of(), harness.store.messages(s3));
        assertTrue(harness.engine.generation(s3).isEmpty());
    }

    @Test
    void aWaitThatRunsOutEndsWithAnErrorAnswerAndNeverReachesTheModel() throws Exception {
        start(Map.of("maxConcurrentGenerations", 1, "maxQueueWaitSeconds", 1));
        harness.send(harness.store.newSession(), "first");
        FakeModelProvider.Call call1 = harness.provider.nextCall();
        String s2 = harness.store.newSession();
        EventLog second = new EventLog(harness.send(s2, "second"));

        assertQueued(1, 1, second.next());
        ChatEvent end = second.next();

        assertEquals("error", end.type());
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) end.data()).get("error");
        assertEquals("too_many_generations", error.get("code"));
        assertEquals("Waited 1 s for a free slot: Neutron generates at most 1 answers at once and all stayed busy."
                + " Your message is kept; send it again later.", error.get("message"));
        List<ChatMessage> stored = harness.store.messages(s2);
        assertEquals(List.of(MessageRole.user, MessageRole.assistant), stored.stream().map(ChatMessage::role).toList());
        assertEquals(MessageStatus.error, stored.get(1).status());
        assertEquals("too_many_generations", stored.get(1).error().code());
        assertEquals(0, harness.engine.waitingGenerations());

        call1.answer("one");
        harness.send(harness.store.newSession(), "third");
        assertEquals("third", lastPrompt(harness.provider.nextCall()), "the timed-out answer never started");
    }

    @Test
    void stoppingAWaitingAnswerTakesItOutOfLine() throws Exception {
        start(Map.of("maxConcurrentGenerations", 1));
        harness.send(harness.store.newSession(), "first");
        FakeModelProvider.Call call1 = harness.provider.nextCall();
        String s2 = harness.store.newSession();
        EventLog second = new EventLog(harness.send(s2, "second"));
        EventLog third = new EventLog(harness.send(harness.store.newSession(), "third"));
        assertQueued(1, 1, second.next());
        assertQueued(1, 2, third.next());

        assertTrue(harness.engine.stop(s2));

        ChatEvent end = second.next();
        assertEquals("done", end.type());
        ChatMessage answer = (ChatMessage) ((Map<?, ?>) end.data()).get("message");
        assertEquals(MessageStatus.stopped, answer.status());
        assertEquals("", answer.content());
        assertEquals(List.of(MessageRole.user, MessageRole.assistant),
                harness.store.messages(s2).stream().map(ChatMessage::role).toList());
        assertQueued(2, 1, third.next());

        call1.answer("one");
        assertEquals("third", lastPrompt(harness.provider.nextCall()));
    }

    @Test
    void aClientThatLeavesTheLineTakesItsAnswerOut() throws Exception {
        start(Map.of("maxConcurrentGenerations", 1));
        harness.send(harness.store.newSession(), "first");
        FakeModelProvider.Call call1 = harness.provider.nextCall();
        String s2 = harness.store.newSession();
        EventLog second = new EventLog(harness.send(s2, "second"));
        assertQueued(1, 1, second.next());

        second.close();
        awaitStoredMessages(s2, 2);

        assertEquals(MessageStatus.stopped, harness.store.messages(s2).get(1).status());
        assertEquals(0, harness.engine.waitingGenerations());
        call1.answer("one");
        harness.send(harness.store.newSession(), "third");
        assertEquals("third", lastPrompt(harness.provider.nextCall()), "the abandoned answer never started");
    }

    /** The bug: a new limit swapped in a fresh semaphore, so running answers no longer counted against it. */
    @Test
    void aRaisedLimitCountsTheAnswersAlreadyRunning() throws Exception {
        start(Map.of("maxConcurrentGenerations", 1));
        harness.send(harness.store.newSession(), "first");
        FakeModelProvider.Call call1 = harness.provider.nextCall();

        harness.reconfigure("maxConcurrentGenerations", 2);
        harness.send(harness.store.newSession(), "second");
        harness.provider.nextCall();
        EventLog third = new EventLog(harness.send(harness.store.newSession(), "third"));

        assertQueued(1, 1, third.next());
        assertEquals(0, harness.provider.pendingCalls(), "two answers run, not three");
        call1.answer("one");
        assertEquals("third", lastPrompt(harness.provider.nextCall()));
    }

    @Test
    void aLoweredLimitLetsNobodyInUntilTheRunningAnswersAreUnderIt() throws Exception {
        start(Map.of("maxConcurrentGenerations", 2));
        EventLog first = new EventLog(harness.send(harness.store.newSession(), "first"));
        FakeModelProvider.Call call1 = harness.provider.nextCall();
        harness.send(harness.store.newSession(), "second");
        FakeModelProvider.Call call2 = harness.provider.nextCall();

        harness.reconfigure("maxConcurrentGenerations", 1);
        EventLog third = new EventLog(harness.send(harness.store.newSession(), "third"));
        assertQueued(1, 1, third.next());
        call1.answer("one");
        assertEquals("meta", first.next().type());
        assertEquals("token", first.next().type());
        assertEquals("done", first.next().type());

        assertEquals(1, harness.engine.waitingGenerations(), "one answer still runs, the limit is one");
        call2.answer("two");
        assertEquals("third", lastPrompt(harness.provider.nextCall()));
    }

    private void awaitStoredMessages(String session, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (harness.store.messages(session).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still " + harness.store.messages(session));
            }
            Thread.sleep(10);
        }
    }
}
