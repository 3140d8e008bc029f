package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.MessageRole;
import dev.neutron.api.NeutronException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The model is asked while the question is being made durable, so the two take their time side by side; nothing the
 * model sends is published before the question is stored, and a question that cannot be stored stops the model.
 */
class EarlyModelCallTest {
    private final EngineHarness harness = new EngineHarness(8192, Map.of());
    private final HeldChatStore heldStore = new HeldChatStore(harness.store);
    private final ExecutorService sender = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        sender.shutdownNow();
        harness.close();
    }

    /** The cause of most of the relay's added time to the first token: the model was asked only after the fsync. */
    @Test
    void theModelIsAskedWhileTheQuestionIsStoredAndItsTokensFollowMeta() throws Exception {
        harness.engine.bindStore(heldStore);
        String session = harness.store.newSession();
        HeldChatStore.Hold hold = heldStore.holdNextAppend();
        Future<LiveGeneration> send = sender.submit(() -> harness.send(session, "Hi"));
        hold.awaitHeld();

        FakeModelProvider.Call call = harness.provider.nextCall();
        call.listener().onToken("Hel");
        assertEquals(List.of(), harness.store.messages(session), "the question is still being stored");
        hold.release();
        LiveGeneration generation = send.get(10, TimeUnit.SECONDS);
        call.answer("lo");

        EventLog log = new EventLog(generation);
        List<ChatEventType> types = new ArrayList<>();
        List<Object> texts = new ArrayList<>();
        ChatEvent event;
        do {
            event = log.next();
            types.add(event.eventType());
            if (event.eventType() == ChatEventType.token) {
                texts.add(((Map<?, ?>) event.data()).get("text"));
            }
        } while (!event.terminal());
        assertEquals(List.of(ChatEventType.meta, ChatEventType.token, ChatEventType.token, ChatEventType.done), types);
        assertEquals(List.of("Hel", "lo"), texts);
        List<ChatMessage> stored = harness.store.messages(session);
        assertEquals(List.of(MessageRole.user, MessageRole.assistant), stored.stream().map(ChatMessage::role).toList());
        assertEquals("Hello", stored.get(1).content());
    }

    @Test
    void aQuestionThatCannotBeStoredStopsTheModelAndPublishesNothing() throws Exception {
        harness.engine.bindStore(heldStore);
        String session = harness.store.newSession();
        HeldChatStore.Hold hold = heldStore.holdNextAppend();
        Future<LiveGeneration> send = sender.submit(() -> harness.send(session, "Hi"));
        hold.awaitHeld();
        FakeModelProvider.Call call = harness.provider.nextCall();
        call.listener().onToken("Hel");

        hold.fail(new NeutronException(ErrorCode.INSUFFICIENT_STORAGE, "The disk is full."));

        NeutronException error = (NeutronException) assertThrows(ExecutionException.class,
                () -> send.get(10, TimeUnit.SECONDS)).getCause();
        assertEquals(ErrorCode.INSUFFICIENT_STORAGE, error.code());
        assertEquals("cancelled", call.result().getNow(null).finishReason());
        assertEquals(List.of(), harness.store.messages(session));
        assertEquals(false, harness.engine.generation(session).isPresent());
    }
}
