package dev.neutron.provider.ollama;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code onIdle} once when no activity was seen for the idle timeout. There is no limit on the total time. */
final class IdleWatchdog {
    private final ScheduledExecutorService scheduler;
    private final long idleNanos;
    private final Runnable onIdle;
    private volatile long lastActivityNanos;
    private ScheduledFuture<?> nextCheck;
    private boolean stopped;

    IdleWatchdog(ScheduledExecutorService scheduler, Duration idleTimeout, Runnable onIdle) {
        this.scheduler = scheduler;
        this.idleNanos = idleTimeout.toNanos();
        this.onIdle = onIdle;
    }

    synchronized void start() {
        touch();
        scheduleCheck(idleNanos);
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    synchronized void stop() {
        stopped = true;
        if (nextCheck != null) {
            nextCheck.cancel(false);
        }
    }

    /** {@code in}, with every byte read counted as activity. */
    InputStream watch(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    touch();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int count = super.read(buffer, offset, length);
                if (count > 0) {
                    touch();
                }
                return count;
            }
        };
    }

    private void check() {
        long idleFor = System.nanoTime() - lastActivityNanos;
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (idleFor < idleNanos) {
                scheduleCheck(idleNanos - idleFor);
                return;
            }
            stopped = true;
        }
        onIdle.run();
    }

    private void scheduleCheck(long delayNanos) {
        if (stopped) {
            return;
        }
        try {
            nextCheck = scheduler.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException providerStopping) {
            // the provider is shutting down and aborts every stream itself
        }
    }
}
