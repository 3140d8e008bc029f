package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PullStallWatchTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(7 * SECOND);
    private final PullStallWatch watch = new PullStallWatch(LIMIT, clock::get);

    @Test
    void aRegistryThatNeverAnswersTheManifestRequestStalls() {
        clock.addAndGet(LIMIT.toNanos() - 1);
        assertFalse(watch.stalled());
        clock.addAndGet(1);
        assertTrue(watch.stalled());
    }

    @Test
    void theSameProgressLineRepeatedIsNoProgress() {
        watch.progress("pulling abc", "sha256:abc", 10L, 100L);
        for (int i = 0; i < 30; i++) {
            clock.addAndGet(SECOND);
            watch.progress("pulling abc", "sha256:abc", 10L, 100L);
        }
        assertTrue(watch.stalled());
    }

    @Test
    void bytesArrivingKeepThePullAlive() {
        for (long completed = 1; completed <= 40; completed++) {
            clock.addAndGet(SECOND);
            watch.progress("pulling abc", "sha256:abc", completed, 100L);
        }
        assertFalse(watch.stalled());
        clock.addAndGet(LIMIT.toNanos());
        assertTrue(watch.stalled());
    }

    @Test
    void verifyingAndWritingWaitOnTheLocalDiskAndAreNotTimed() {
        watch.progress("pulling abc", "sha256:abc", 100L, 100L);
        clock.addAndGet(LIMIT.toNanos() * 3);
        assertFalse(watch.stalled(), "a complete layer waits on nothing remote");
        watch.progress("verifying sha256 digest", null, null, null);
        clock.addAndGet(LIMIT.toNanos() * 3);
        assertFalse(watch.stalled());
        watch.progress("writing manifest", null, null, null);
        clock.addAndGet(LIMIT.toNanos() * 3);
        assertFalse(watch.stalled());
    }

    @Test
    void theNextLayerStartsTheClockAgain() {
        watch.progress("pulling abc", "sha256:abc", 100L, 100L);
        clock.addAndGet(LIMIT.toNanos() * 2);
        watch.progress("pulling def", "sha256:def", 0L, 50L);
        clock.addAndGet(LIMIT.toNanos() - 1);
        assertFalse(watch.stalled());
        clock.addAndGet(1);
        assertTrue(watch.stalled());
    }
}
