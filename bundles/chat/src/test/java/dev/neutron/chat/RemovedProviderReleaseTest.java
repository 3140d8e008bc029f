package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.SendMessage;
import dev.neutron.store.contract.InMemoryChatStore;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A provider the engine no longer has (its bundle removed, its component deactivated) and the answers it streamed
 * are let go by the engine, although the engine keeps their ended runs for reattaching clients. A real provider holds
 * an HTTP client whose selector thread and file handles live as long as the provider is reachable.
 */
class RemovedProviderReleaseTest {
    private final InMemoryChatStore store = new InMemoryChatStore();
    private final ChatEngine engine = new ChatEngine(TestChatConfig.of(Map.of("titles", "off")));

    RemovedProviderReleaseTest() {
        engine.bindStore(store);
    }

    @AfterEach
    void deactivate() {
        engine.deactivate();
    }

    @Test
    void aProviderRemovedAfterItsAnswerEndedIsLetGo() throws Exception {
        String session = store.newSession();
        Released released = answerThenRemove(session, false);

        awaitCollected(released.provider(), "the removed provider");
        awaitCollected(released.generation(), "the provider's answer stream");
        assertTrue(engine.generation(session).isPresent(), "the ended answer is still kept for reattaching clients");
    }

    @Test
    void aProviderRemovedWhileAnsweringIsLetGoOnceTheAnswerEnded() throws Exception {
        String session = store.newSession();
        Released released = answerThenRemove(session, true);

        awaitCollected(released.provider(), "the removed provider");
        awaitCollected(released.generation(), "the provider's answer stream");
        assertTrue(engine.generation(session).isPresent(), "the ended answer is still kept for reattaching clients");
        ChatMessage stored = store.messages(session).get(1);
        assertEquals("provider_removed", stored.error().code());
        assertEquals("Partial", stored.content());
    }

    private record Released(WeakReference<FakeModelProvider> provider, WeakReference<FakeModelProvider.Call> generation) {
    }

    /** Streams an answer through a provider, then removes the provider (mid-answer or after it); only weak references stay. */
    private Released answerThenRemove(String session, boolean midAnswer) throws Exception {
        FakeModelProvider provider = new FakeModelProvider(4096);
        engine.bindProvider(provider);
        try (EventLog log = new EventLog(engine.send(session, new SendMessage("Hi", FakeModelProvider.MODEL, null)))) {
            FakeModelProvider.Call call = provider.nextCall();
            if (midAnswer) {
                call.listener().onToken("Partial");
                engine.unbindProvider(provider);
            } else {
                call.answer("Whole");
                engine.unbindProvider(provider);
            }
            ChatEvent last = lastEvent(log);
            assertEquals(midAnswer ? ChatEventType.error : ChatEventType.done, ChatEventType.fromWire(last.type()),
                    String.valueOf(last.data()));
            return new Released(new WeakReference<>(provider), new WeakReference<>(call));
        }
    }

    private static ChatEvent lastEvent(EventLog log) throws InterruptedException {
        ChatEvent event = log.next();
        while (!ChatEventType.fromWire(event.type()).equals(ChatEventType.done)
                && !ChatEventType.fromWire(event.type()).equals(ChatEventType.error)) {
            event = log.next();
        }
        return event;
    }

    /** Collects garbage until {@code ref} is cleared; a safety net of 30 s turns a leak into a failure. */
    private static void awaitCollected(WeakReference<?> ref, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertNull(ref.get(), what + " is still referenced");
    }
}
