package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deactivation ends every answer and waits until each is stored, including answers that are not running yet: waiting
 * in line, or whose question is being stored right now.
 */
class ChatEngineShutdownTest {
    private static final NeutronException STOPPED = new NeutronException(ErrorCode.SERVICE_UNAVAILABLE, "stopped");

    private final EngineHarness harness = new EngineHarness(8192, Map.of("maxConcurrentGenerations", 1));
    private final HeldChatStore heldStore = new HeldChatStore(harness.store);
    private final ExecutorService sender = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        sender.shutdownNow();
        assertTrue(sender.awaitTermination(10, TimeUnit.SECONDS));
        harness.close();
    }

    private static List<MessageRole> roles(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::role).toList();
    }

    @Test
    void endsRunningAndWaitingAnswersAndStoresBoth() throws Exception {
        String running = harness.store.newSession();
        String waiting = harness.store.newSession();
        harness.send(running, "first");
        harness.provider.nextCall().listener().onToken("Partial");
        EventLog waitingLog = new EventLog(harness.send(waiting, "second"));
        assertEquals(ChatEventType.queued, waitingLog.next().eventType());

        CompletableFuture<Void> ended = harness.engine.endAll(STOPPED);

        assertTrue(ended.isDone(), "both answers are stored by the time endAll returns");
        ChatMessage runningAnswer = harness.store.messages(running).get(1);
        assertEquals("Partial", runningAnswer.content());
        assertEquals(new ChatMessage.ErrorInfo("service_unavailable", "stopped"), runningAnswer.error());
        assertEquals(List.of(MessageRole.user, MessageRole.assistant), roles(harness.store.messages(waiting)));
        assertEquals(MessageStatus.error, harness.store.messages(waiting).get(1).status());
        assertEquals(ChatEventType.error, waitingLog.next().eventType());
        assertEquals(0, harness.provider.pendingCalls(), "the waiting answer never reached the model");
    }

    /**
     * The bug: an answer whose question could not be stored left the engine without ever ending, so deactivation
     * waited its full grace time for it.
     */
    @Test
    void anAnswerWhoseQuestionCannotBeStoredDoesNotHoldUpShutdown() throws Exception {
        harness.engine.bindStore(heldStore);
        String session = harness.store.newSession();
        HeldChatStore.Hold hold = heldStore.holdNextAppend();
        Future<LiveGeneration> send = sender.submit(() -> harness.send(session, "Hi"));
        hold.awaitHeld();

        CompletableFuture<Void> ended = harness.engine.endAll(STOPPED);
        assertFalse(ended.isDone(), "the question is still being stored");
        hold.fail(new NeutronException(ErrorCode.INSUFFICIENT_STORAGE, "The disk is full."));

        NeutronException error = (NeutronException) assertThrows(java.util.concurrent.ExecutionException.class,
                () -> send.get(10, TimeUnit.SECONDS)).getCause();
        assertEquals(ErrorCode.INSUFFICIENT_STORAGE, error.code(), "the client hears why nothing was stored");
        assertTrue(ended.isDone(), "shutdown waits for nothing more");
        assertEquals(List.of(), harness.store.messages(session));
        assertEquals("cancelled", harness.provider.nextCall().result().getNow(null).finishReason(),
                "the model, asked while the question was being stored, is told to stop");
    }

    /**
     * The bug: a waiting answer whose question was still being stored was ended at once, so its error answer was
     * stored before the question it answers.
     */
    @Test
    void aWaitingAnswerWhoseQuestionIsBeingStoredEndsRightAfterIt() throws Exception {
        harness.send(harness.store.newSession(), "first");
        harness.provider.nextCall();
        harness.engine.bindStore(heldStore);
        String session = harness.store.newSession();
        HeldChatStore.Hold hold = heldStore.holdNextAppend();
        Future<LiveGeneration> send = sender.submit(() -> harness.send(session, "second"));
        hold.awaitHeld();

        CompletableFuture<Void> ended = harness.engine.endAll(STOPPED);
        assertFalse(ended.isDone(), "the question is still being stored");
        hold.release();
        LiveGeneration generation = send.get(10, TimeUnit.SECONDS);

        assertTrue(ended.isDone());
        List<ChatMessage> stored = harness.store.messages(session);
        assertEquals(List.of(MessageRole.user, MessageRole.assistant), roles(stored), "the answer after its question");
        assertEquals("second", stored.get(0).content());
        assertEquals(new ChatMessage.ErrorInfo("service_unavailable", "stopped"), stored.get(1).error());
        EventLog log = new EventLog(generation);
        ChatEvent last = log.next();
        while (!last.terminal()) {
            last = log.next();
        }
        assertEquals(ChatEventType.error, last.eventType());
        assertEquals(0, harness.provider.pendingCalls(), "the ended answer never reached the model");
    }

    @Test
    void aRunningSlotAnswerWhoseQuestionIsBeingStoredEndsRightAfterIt() throws Exception {
        harness.engine.bindStore(heldStore);
        String session = harness.store.newSession();
        HeldChatStore.Hold hold = heldStore.holdNextAppend();
        Future<LiveGeneration> send = sender.submit(() -> harness.send(session, "Hi"));
        hold.awaitHeld();

        CompletableFuture<Void> ended = harness.engine.endAll(STOPPED);
        hold.release();
        send.get(10, TimeUnit.SECONDS);

        assertTrue(ended.isDone());
        List<ChatMessage> stored = harness.store.messages(session);
        assertEquals(List.of(MessageRole.user, MessageRole.assistant), roles(stored));
        assertEquals(MessageStatus.error, stored.get(1).status());
        assertEquals("", stored.get(1).content());
        assertEquals("cancelled", harness.provider.nextCall().result().getNow(null).finishReason(),
                "the model, asked while the question was being stored, is told to stop");
    }

    @Test
    void refusesNewMessagesOnceStopping() {
        harness.engine.endAll(STOPPED);
        String session = harness.store.newSession();

        NeutronException error = assertThrows(NeutronException.class, () -> harness.send(session, "Hi"));

        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, error.code());
        assertEquals("Neutron is stopping. Send the message again once it is running.", error.getMessage());
        assertEquals(List.of(), harness.store.messages(session));
    }
}
