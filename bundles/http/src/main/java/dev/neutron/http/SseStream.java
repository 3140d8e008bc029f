package dev.neutron.http;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.LiveGeneration;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes one generation's events to one HTTP response as Server-Sent Events. The response only watches the
 * generation: when the client goes away, the stream detaches and the answer goes on being generated and stored.
 */
final class SseStream implements AsyncListener {
    private static final System.Logger LOG = System.getLogger(SseStream.class.getName());
    private static final byte[] HEARTBEAT = ": ping\n\n".getBytes(StandardCharsets.UTF_8);

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Object writeLock = new Object();
    private volatile AutoCloseable subscription;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile boolean closed;

    private SseStream(AsyncContext async, ServletOutputStream out) {
        this.async = async;
        this.out = out;
    }

    /** Starts an SSE response that replays events after {@code afterEventId} and then follows the generation live. */
    static void open(HttpServletRequest request, HttpServletResponse response, LiveGeneration generation,
            long afterEventId, ScheduledExecutorService scheduler, int heartbeatSeconds) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-store");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        SseStream stream = new SseStream(async, response.getOutputStream());
        async.addListener(stream);
        stream.writeRaw("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
        stream.heartbeat = scheduler.scheduleAtFixedRate(stream::sendHeartbeat, heartbeatSeconds, heartbeatSeconds,
                TimeUnit.SECONDS);
        stream.subscription = generation.subscribe(afterEventId, stream::send);
        if (stream.closed) {
            stream.detach();
        }
    }

    private void send(ChatEvent event) {
        if (closed) {
            return;
        }
        StringBuilder frame = new StringBuilder(64);
        frame.append("id: ").append(event.id()).append('\n');
        frame.append("event: ").append(event.type()).append('\n');
        try {
            // Jackson escapes newlines inside strings, so the JSON is always one data line
            frame.append("data: ").append(Json.MAPPER.writeValueAsString(event.data())).append("\n\n");
        } catch (IOException e) {
            frame.append("data: {}\n\n");
        }
        writeRaw(frame.toString().getBytes(StandardCharsets.UTF_8));
        if (event.terminal()) {
            finish();
        }
    }

    private void sendHeartbeat() {
        writeRaw(HEARTBEAT);
    }

    private void writeRaw(byte[] bytes) {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "SSE client went away; the generation continues without it");
                closed = true;
            }
        }
        if (closed) {
            detach();
        }
    }

    private void finish() {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        detach();
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // the container completed it first (client gone)
        }
    }

    private void detach() {
        closed = true;
        ScheduledFuture<?> beat = heartbeat;
        if (beat != null) {
            beat.cancel(false);
        }
        AutoCloseable sub = subscription;
        if (sub != null) {
            try {
                sub.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "Closing an SSE subscription failed", e);
            }
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        detach();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        detach();
        try {
            async.complete();
        } catch (IllegalStateException ignored) {
            // already completed
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // nothing to do
    }
}
