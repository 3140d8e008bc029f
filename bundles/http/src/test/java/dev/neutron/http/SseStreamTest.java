package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SseStreamTest {
    private static final String SESSION = "chat_0000000000000001";

    private final FakeExchange exchange = FakeExchange.sessions("GET", "/" + SESSION + "/stream");
    private final FakeLiveGeneration generation = new FakeLiveGeneration(SESSION);
    private final ManualScheduler heartbeats = new ManualScheduler();
    private final List<SseStream> finished = new CopyOnWriteArrayList<>();

    private SseStream open(long after, ManualExecutor writer) throws Exception {
        return SseStream.open(exchange.request(), exchange.response(), generation, after, heartbeats, writer, 15,
                finished::add);
    }

    @Test
    void writesEachEventWithItsIdAndTypeAndEndsAfterTheTerminalOne() throws Exception {
        generation.emit("meta", Map.of("model", "m"));
        SseStream stream = open(0, ManualExecutor.direct());
        generation.emit("token", Map.of("text", "Hi\nthere"));
        generation.emit("done", Map.of("reason", "stop"));

        assertEquals("text/event-stream", exchange.responseContentType);
        assertEquals("no-cache, no-store", exchange.responseHeaders.get("Cache-Control"));
        assertEquals(0, exchange.async.timeout);
        assertEquals("retry: 2000\n\n"
                + "id: 1\nevent: meta\ndata: {\"model\":\"m\"}\n\n"
                + "id: 2\nevent: token\ndata: {\"text\":\"Hi\\nthere\"}\n\n"
                + "id: 3\nevent: done\ndata: {\"reason\":\"stop\"}\n\n", exchange.text());
        assertEquals(1, exchange.async.completions.get());
        assertEquals(1, generation.closedSubscriptions.get());
        assertEquals(List.of(stream), finished);
    }

    @Test
    void replaysOnlyTheEventsAfterTheGivenId() throws Exception {
        generation.emit("meta", Map.of());
        generation.emit("token", Map.of("text", "a"));
        generation.emit("token", Map.of("text", "b"));
        open(2, ManualExecutor.direct());

        assertEquals(2, generation.subscribedAfter);
        assertEquals("retry: 2000\n\nid: 3\nevent: token\ndata: {\"text\":\"b\"}\n\n", exchange.text());
        assertEquals(0, exchange.async.completions.get());
    }

    @Test
    void sendsAHeartbeatCommentOnAnIdleStreamEveryIntervalAndStopsItWhenFinished() throws Exception {
        SseStream stream = open(0, ManualExecutor.direct());
        assertEquals(1, heartbeats.tasks.size());
        assertEquals(15, heartbeats.tasks.get(0).periodSeconds);

        heartbeats.tick();
        assertEquals("retry: 2000\n\n: ping\n\n", exchange.text());

        stream.finish();
        assertTrue(heartbeats.tasks.get(0).isCancelled());
        heartbeats.tick();
        assertEquals("retry: 2000\n\n: ping\n\n", exchange.text());
    }

    @Test
    void dropsAClientThatFallsTooFarBehindAndLetsTheGenerationGoOn() throws Exception {
        ManualExecutor stalledWriter = ManualExecutor.holding();
        SseStream stream = open(0, stalledWriter);
        for (int i = 0; i < SseStream.MAX_PENDING_FRAMES; i++) {
            generation.emit("token", Map.of("text", "x"));
        }
        assertEquals(1, exchange.async.completions.get());
        assertEquals(0, generation.subscribers());
        assertEquals(List.of(stream), finished);

        generation.emit("token", Map.of("text", "after the drop"));
        stalledWriter.runAll();
        assertEquals("", exchange.text());
        assertFalse(generation.finished());
    }

    /** The bug: every token was flushed on its own, a write to the socket each, which capped one stream's tokens/s. */
    @Test
    void framesThatQueuedUpWhileTheWriterWasBusyGoOutWithOneFlush() throws Exception {
        ManualExecutor writer = ManualExecutor.holding();
        open(0, writer);
        writer.runAll();
        int flushesBefore = exchange.out.flushes;
        generation.emit("token", Map.of("text", "a"));
        generation.emit("token", Map.of("text", "b"));
        generation.emit("token", Map.of("text", "c"));

        writer.runAll();

        assertEquals(1, exchange.out.flushes - flushesBefore);
        assertEquals("retry: 2000\n\n"
                + "id: 1\nevent: token\ndata: {\"text\":\"a\"}\n\n"
                + "id: 2\nevent: token\ndata: {\"text\":\"b\"}\n\n"
                + "id: 3\nevent: token\ndata: {\"text\":\"c\"}\n\n", exchange.text());
    }

    @Test
    void aClientWhoseWritesFailIsDetachedOnce() throws Exception {
        open(0, ManualExecutor.direct());
        exchange.out.clientGone = true;
        generation.emit("token", Map.of("text", "lost"));
        generation.emit("token", Map.of("text", "lost too"));

        assertEquals(1, exchange.async.completions.get());
        assertEquals(1, generation.closedSubscriptions.get());
        assertEquals(1, finished.size());
    }

    @Test
    void finishesOnceWhateverEndsItAndHowOften() throws Exception {
        SseStream stream = open(0, ManualExecutor.direct());
        generation.emit("done", Map.of());
        stream.finish();
        exchange.async.failFromContainer();
        stream.finish();

        assertEquals(1, exchange.async.completions.get());
        assertEquals(1, generation.closedSubscriptions.get());
        assertEquals(List.of(stream), finished);
        assertTrue(stream.isFinished());
    }

    @Test
    void aContainerCompletionDetachesTheStreamWithoutCompletingAgain() throws Exception {
        SseStream stream = open(0, ManualExecutor.direct());
        exchange.async.complete();

        assertEquals(0, generation.subscribers());
        assertEquals(List.of(stream), finished);
        stream.finish();
        assertEquals(1, exchange.async.completions.get());
    }

    @Test
    void aWriterPoolThatWasShutDownEndsTheStreamInsteadOfThrowingIntoTheGeneration() throws Exception {
        ManualExecutor writer = ManualExecutor.holding();
        open(0, writer);
        writer.runAll();
        writer.shutdown();
        generation.emit("token", Map.of("text", "x"));

        assertEquals(1, exchange.async.completions.get());
        assertEquals(0, generation.subscribers());
    }
}
