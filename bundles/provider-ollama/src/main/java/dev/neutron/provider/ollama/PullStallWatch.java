package dev.neutron.provider.ollama;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Tells when a pull has stopped moving while it waits on the registry: no new progress line (another step, layer or
 * byte count) for the stall timeout while fetching the manifest or a layer that is not complete. Ollama repeats the
 * same progress line many times a second while a download stands still, so only a change counts. The steps after the
 * download (verifying the digest, writing the manifest) wait on the local disk, not the registry, and are not timed.
 */
final class PullStallWatch {
    private final long limitNanos;
    private final LongSupplier nanoClock;
    private List<Object> lastStep;
    private long lastChangeNanos;
    private boolean waitingOnRegistry = true;

    PullStallWatch(Duration limit, LongSupplier nanoClock) {
        this.limitNanos = limit.toNanos();
        this.nanoClock = nanoClock;
        this.lastChangeNanos = nanoClock.getAsLong();
    }

    synchronized void progress(String status, String digest, Long completed, Long total) {
        List<Object> step = Arrays.asList(status, digest, completed);
        if (!step.equals(lastStep)) {
            lastStep = step;
            lastChangeNanos = nanoClock.getAsLong();
        }
        waitingOnRegistry = status != null && status.startsWith("pulling")
                && (completed == null || total == null || completed < total);
    }

    synchronized boolean stalled() {
        return waitingOnRegistry && nanoClock.getAsLong() - lastChangeNanos >= limitNanos;
    }
}
