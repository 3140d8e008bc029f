package dev.neutron.provider.ollama;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Speed and time left of one transfer, from (time, bytes completed) samples over a sliding window, so a stall shows
 * as falling speed and a restart of the layer (completed going down) starts over.
 */
final class TransferRate {
    private record Sample(long nanos, long completed) {
    }

    private final long windowNanos;
    private final Deque<Sample> samples = new ArrayDeque<>();

    TransferRate(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    void record(long nanos, long completed) {
        Sample last = samples.peekLast();
        if (last != null && completed < last.completed()) {
            samples.clear();
        }
        samples.addLast(new Sample(nanos, completed));
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > windowNanos) {
            samples.removeFirst();
        }
    }

    void reset() {
        samples.clear();
    }

    /** Bytes per second over the window; null until two samples lie apart in time. */
    Long bytesPerSecond() {
        if (samples.size() < 2) {
            return null;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long elapsed = last.nanos() - first.nanos();
        if (elapsed <= 0) {
            return null;
        }
        return Math.round((last.completed() - first.completed()) * 1e9 / elapsed);
    }

    /** Whole seconds until {@code total} at the current speed (rounded up); null when the speed is unknown or zero. */
    Long secondsLeft(long total) {
        Long speed = bytesPerSecond();
        Sample last = samples.peekLast();
        if (speed == null || speed <= 0 || last == null) {
            return null;
        }
        long remaining = Math.max(0, total - last.completed());
        return (remaining + speed - 1) / speed;
    }

    /** {@code completed} of {@code total} in percent with one decimal; null when the total is unknown. */
    static Double percent(Long completed, Long total) {
        if (completed == null || total == null || total <= 0) {
            return null;
        }
        return Math.min(100.0, Math.floor(completed * 1000.0 / total) / 10.0);
    }
}
