package dev.neutron.http;

import dev.neutron.api.LiveGeneration;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Writes one generation's events to one HTTP response as Server-Sent Events. The response only watches the
 * generation: when the client goes away, the stream detaches and the answer goes on being generated and stored.
 * Frames are queued and written with the servlet's non-blocking output, by whichever thread has one to send or by the
 * container when the client can take more: a slow client never holds up the model's stream, and no stream holds a
 * thread. The frames queued while the output was busy go out with one flush. A client that falls
 * {@value #MAX_PENDING_FRAMES} frames behind is dropped (it can reattach and resume). A stream finishes once: its
 * response is completed, its heartbeat cancelled, its subscription closed, and its owner told.
 */
final class SseStream implements AsyncListener, WriteListener {
    private static final System.Logger LOG = System.getLogger(SseStream.class.getName());
    private static final byte[] HEARTBEAT = ": ping\n\n".getBytes(StandardCharsets.UTF_8);
    static final int MAX_PENDING_FRAMES = 10_000;
    /**
     * The response's output buffer, held (off the heap, from Jetty's pool) for as long as the stream is open: a few
     * frames' worth, not the container's default of 24 KiB, since thousands of streams may be open at once. A bigger
     * frame goes out on its own, unbuffered.
     */
    static final int OUTPUT_BUFFER_BYTES = 4096;

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Queue<Frame> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    /** Held by the one thread that writes; the output must not be used by two at once. */
    private final AtomicBoolean draining = new AtomicBoolean();
    /** The container said the output is ready again while another thread held {@link #draining}. */
    private volatile boolean wokenUp;
    /** Written since the last flush; guarded by {@link #draining}. */
    private boolean unflushed;
    /** The terminal frame is written; guarded by {@link #draining}. */
    private boolean lastWritten;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Consumer<SseStream> onFinished;
    private volatile AutoCloseable subscription;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile boolean closed;

    private record Frame(byte[] bytes, boolean last) {
    }

    private SseStream(AsyncContext async, ServletOutputStream out, Consumer<SseStream> onFinished) {
        this.async = async;
        this.out = out;
        this.onFinished = onFinished;
    }

    /**
     * Starts an SSE response that replays events after {@code afterEventId} and then follows the generation live.
     * {@code onFinished} is called once, when the stream has finished.
     */
    static SseStream open(HttpServletRequest request, HttpServletResponse response, LiveGeneration generation,
            long afterEventId, ScheduledExecutorService scheduler, int heartbeatSeconds,
            Consumer<SseStream> onFinished) throws IOException {
        return open(request, response, SseSource.of(generation), afterEventId, scheduler, heartbeatSeconds, onFinished);
    }

    /** As above, for any source of events (a model job, say). */
    static SseStream open(HttpServletRequest request, HttpServletResponse response, SseSource source,
            long afterEventId, ScheduledExecutorService scheduler, int heartbeatSeconds,
            Consumer<SseStream> onFinished) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-store");
        response.setHeader("X-Accel-Buffering", "no");
        response.setBufferSize(OUTPUT_BUFFER_BYTES);
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        SseStream stream = new SseStream(async, response.getOutputStream(), onFinished);
        async.addListener(stream);
        stream.out.setWriteListener(stream);
        stream.enqueue("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8), false);
        stream.heartbeat = scheduler.scheduleAtFixedRate(stream::sendHeartbeat, heartbeatSeconds, heartbeatSeconds,
                TimeUnit.SECONDS);
        stream.subscription = source.subscribe(afterEventId, stream::send);
        if (stream.closed) {
            stream.detach();
        }
        return stream;
    }

    boolean isFinished() {
        return finished.get();
    }

    private void send(SseSource.Event event) {
        if (closed) {
            return;
        }
        enqueue(SseFrame.of(event.id(), event.type(), event.data()), event.terminal());
    }

    private void sendHeartbeat() {
        if (pendingCount.get() == 0) {
            enqueue(HEARTBEAT, false);
        }
    }

    private void enqueue(byte[] bytes, boolean last) {
        if (closed) {
            return;
        }
        if (pendingCount.incrementAndGet() > MAX_PENDING_FRAMES) {
            LOG.log(System.Logger.Level.INFO, "An SSE client fell too far behind; dropping it (it may reattach)");
            finish();
            return;
        }
        pending.add(new Frame(bytes, last));
        drain();
    }

    /** Writes what is queued while the output is ready; when it is not, the container calls again when it is. */
    private void drain() {
        while (draining.compareAndSet(false, true)) {
            boolean blocked;
            try {
                blocked = writeWhileReady();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "SSE client went away; the generation continues without it");
                draining.set(false);
                finish();
                return;
            }
            draining.set(false);
            // go on if what stopped this pass changed meanwhile: the output became ready, or a frame came
            if (blocked ? !wokenUp : pending.isEmpty() || closed) {
                return;
            }
        }
    }

    /** True when the output is busy (the container calls {@link #onWritePossible} later); false when all went out. */
    private boolean writeWhileReady() throws IOException {
        while (!closed) {
            wokenUp = false;
            if (!out.isReady()) {
                return true;
            }
            Frame frame = lastWritten ? null : pending.poll();
            if (frame != null) {
                pendingCount.decrementAndGet();
                out.write(frame.bytes());
                unflushed = true;
                lastWritten = frame.last();
            } else if (unflushed) {
                // one flush for the frames that queued up meanwhile: a fast model's tokens go out in one write
                unflushed = false;
                out.flush();
            } else {
                if (lastWritten) {
                    finish();
                }
                return false;
            }
        }
        return false;
    }

    @Override
    public void onWritePossible() {
        wokenUp = true;
        drain();
    }

    private void completeQuietly() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // the container completed it first (client gone)
        }
    }

    /** Ends the response (the client may reattach with Last-Event-ID) and stops following the generation. */
    void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        detach();
        completeQuietly();
        onFinished.accept(this);
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
        if (finished.compareAndSet(false, true)) {
            onFinished.accept(this);
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        finish();
    }

    /** A write failed: the client went away. */
    @Override
    public void onError(Throwable failure) {
        LOG.log(System.Logger.Level.DEBUG, "SSE client went away; the generation continues without it");
        finish();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // nothing to do
    }
}
