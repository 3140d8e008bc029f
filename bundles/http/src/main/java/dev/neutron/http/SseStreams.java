package dev.neutron.http;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.NeutronException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The open SSE streams of one servlet instance, with the heartbeat thread they share (they write without threads of
 * their own, see {@link SseStream}). Closing finishes
 * every open stream, so no client is left on a response that nothing completes (it reattaches with Last-Event-ID).
 */
final class SseStreams implements AutoCloseable {
    private final ScheduledExecutorService heartbeats;
    private final int heartbeatSeconds;
    private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    SseStreams(ScheduledExecutorService heartbeats, int heartbeatSeconds) {
        this.heartbeats = heartbeats;
        this.heartbeatSeconds = heartbeatSeconds;
    }

    /** Where a reattaching client resumes: its Last-Event-ID header, else {@code ?after=}, else the start (0). */
    static long lastEventId(HttpServletRequest request) {
        String value = request.getHeader("Last-Event-ID");
        if (value == null || value.isBlank()) {
            value = request.getParameter("after");
        }
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Last-Event-ID must be the numeric id of an event.");
        }
    }

    static SseStreams withOwnThreads(int heartbeatSeconds) {
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "neutron-sse-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        return new SseStreams(heartbeats, heartbeatSeconds);
    }

    /** Answers the request with the generation's events after {@code afterEventId}, then its live ones. */
    void open(HttpServletRequest request, HttpServletResponse response, LiveGeneration generation, long afterEventId)
            throws IOException {
        open(request, response, SseSource.of(generation), afterEventId);
    }

    /** Answers the request with the source's events after {@code afterEventId}, then its live ones. */
    void open(HttpServletRequest request, HttpServletResponse response, SseSource source, long afterEventId)
            throws IOException {
        if (closed) {
            throw restarting();
        }
        SseStream stream = SseStream.open(request, response, source, afterEventId, heartbeats, heartbeatSeconds,
                open::remove);
        open.add(stream);
        if (stream.isFinished()) {
            open.remove(stream);
        }
        if (closed) {
            stream.finish();
        }
    }

    int openCount() {
        return open.size();
    }

    /** Finishes every open stream and stops the threads; later opens fail with {@code service_unavailable}. */
    @Override
    public void close() {
        closed = true;
        for (SseStream stream : open) {
            stream.finish();
        }
        heartbeats.shutdownNow();
    }

    private static NeutronException restarting() {
        return new NeutronException(ErrorCode.SERVICE_UNAVAILABLE,
                "Neutron's HTTP API is restarting (its configuration changed). Retry in a moment.");
    }
}
