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

    private SseStream open(long after) throws Exception {
        return SseStream.open(exchange.request(), exchange.response(), generation, after, heartbeats, 15,
                finished::add);
    }

    @Test
    void writesEachEventWithItsIdAndTypeAndEndsAfterTheTerminalOne() throws Exception {
        generation.emit("meta", Map.of("model", "m"));
        SseStream stream = open(0);
        generation.emit("token", Map.of("text", "Hi\nthere"));
        generation.emit("done", Map.of("reason", "stop"));

        assertEquals("text/event-stream", exchange.responseContentType);
        assertEquals("no-cache, no-store", exchange.responseHeaders.get("Cache-Control"));
        assertEquals(0, exchange.async.timeout);
        assertEquals(SseStream.OUTPUT_BUFFER_BYTES, exchange.responseBufferSize,
                "an open stream holds a small output buffer, not the container's 24 KiB");
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
        open(2);

        assertEquals(2, generation.subscribedAfter);
        assertEquals("retry: 2000\n\nid: 3\nevent: token\ndata: {\"text\":\"b\"}\n\n", exchange.text());
        assertEquals(0, exchange.async.completions.get());
    }

    @Test
    void sendsAHeartbeatCommentOnAnIdleStreamEveryIntervalAndStopsItWhenFinished() throws Exception {
        SseStream stream = open(0);
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
        exchange.out.ready = false;
        SseStream stream = open(0);
        for (int i = 0; i < SseStream.MAX_PENDING_FRAMES; i++) {
            generation.emit("token", Map.of("text", "x"));
        }
        assertEquals(1, exchange.async.completions.get());
        assertEquals(0, generation.subscribers());
        assertEquals(List.of(stream), finished);

        generation.emit("token", Map.of("text", "after the drop"));
        assertEquals("", exchange.text());
        assertFalse(generation.finished());
    }

    /** The bug: every token was flushed on its own, a write to the socket each, which capped one stream's tokens/s. */
    @Test
    void framesThatQueuedUpWhileTheOutputWasBusyGoOutWithOneFlush() throws Exception {
        open(0);
        exchange.out.ready = false;
        int flushesBefore = exchange.out.flushes;
        generation.emit("token", Map.of("text", "a"));
        generation.emit("token", Map.of("text", "b"));
        generation.emit("token", Map.of("text", "c"));

        exchange.out.becomeReady();

        assertEquals(1, exchange.out.flushes - flushesBefore);
        assertEquals("retry: 2000\n\n"
                + "id: 1\nevent: token\ndata: {\"text\":\"a\"}\n\n"
                + "id: 2\nevent: token\ndata: {\"text\":\"b\"}\n\n"
                + "id: 3\nevent: token\ndata: {\"text\":\"c\"}\n\n", exchange.text());
    }

    @Test
    void aClientWhoseWritesFailIsDetachedOnce() throws Exception {
        open(0);
        exchange.out.clientGone = true;
        generation.emit("token", Map.of("text", "lost"));
        generation.emit("token", Map.of("text", "lost too"));

        assertEquals(1, exchange.async.completions.get());
        assertEquals(1, generation.closedSubscriptions.get());
        assertEquals(1, finished.size());
    }

    @Test
    void finishesOnceWhateverEndsItAndHowOften() throws Exception {
        SseStream stream = open(0);
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
        SseStream stream = open(0);
        exchange.async.complete();

        assertEquals(0, generation.subscribers());
        assertEquals(List.of(stream), finished);
        stream.finish();
        assertEquals(1, exchange.async.completions.get());
    }

    /** The bug: each stream's frames were written by a thread of a pool, which grew with the streams in flight. */
    @Test
    void writesOnTheThreadThatSendsAndHoldsNoThreadWhileTheClientTakesNoMore() throws Exception {
        open(0);
        generation.emit("token", Map.of("text", "now"));
        assertEquals("retry: 2000\n\nid: 1\nevent: token\ndata: {\"text\":\"now\"}\n\n", exchange.text());

        exchange.out.ready = false;
        generation.emit("token", Map.of("text", "later"));
        assertEquals("retry: 2000\n\nid: 1\nevent: token\ndata: {\"text\":\"now\"}\n\n", exchange.text());

        exchange.out.becomeReady();
        assertEquals("retry: 2000\n\nid: 1\nevent: token\ndata: {\"text\":\"now\"}\n\n"
                + "id: 2\nevent: token\ndata: {\"text\":\"later\"}\n\n", exchange.text());
    }

    @Test
    void theTerminalFrameWaitingForTheClientEndsTheResponseOnceItIsWritten() throws Exception {
        SseStream stream = open(0);
        exchange.out.ready = false;
        generation.emit("done", Map.of());
        assertEquals(0, exchange.async.completions.get());

        exchange.out.becomeReady();

        assertEquals("retry: 2000\n\nid: 1\nevent: done\ndata: {}\n\n", exchange.text());
        assertEquals(1, exchange.async.completions.get());
        assertEquals(List.of(stream), finished);
    }
}
