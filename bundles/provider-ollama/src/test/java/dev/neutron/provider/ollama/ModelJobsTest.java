package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelJob;
import dev.neutron.api.ModelJobEvent;
import dev.neutron.api.ModelJobStatus;
import dev.neutron.api.NeutronException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelJobsTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong nanos = new AtomicLong();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final ModelJobs jobs = new ModelJobs(Executors.newCachedThreadPool(), clock, nanos::get,
            Duration.ofMinutes(30), Duration.ofMillis(250));
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        jobs.close();
    }

    private ModelJobs.Work blockedUntilReleased(CountDownLatch started) {
        return job -> {
            started.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            job.progress("success", null, null, null);
            job.succeed("success");
        };
    }

    private static List<ModelJobEvent> until(ModelJob job, long after, String terminalType) throws Exception {
        List<ModelJobEvent> events = new ArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        job.subscribe(after, event -> {
            synchronized (events) {
                events.add(event);
            }
            if (event.terminal()) {
                ended.countDown();
            }
        });
        assertTrue(ended.await(30, TimeUnit.SECONDS), "job did not end");
        assertEquals(terminalType, events.get(events.size() - 1).type());
        return events;
    }

    @Test
    void pullingTheSameNameTwiceJoinsTheRunningJobAndDifferentNamesRunAtOnce() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        ModelJob first = jobs.start("pull", "a:1", blockedUntilReleased(bothStarted));
        ModelJob again = jobs.start("pull", "a:1", blockedUntilReleased(bothStarted));
        ModelJob other = jobs.start("pull", "b:1", blockedUntilReleased(bothStarted));
        assertSame(first, again);
        assertNotEquals(first.id(), other.id());
        assertTrue(bothStarted.await(30, TimeUnit.SECONDS), "two different pulls were not running at the same time");
        release.countDown();
        until(first, 0, ModelJobEvent.DONE);
        until(other, 0, ModelJobEvent.DONE);
        assertEquals(2, jobs.list().size());
        ModelJob afterwards = jobs.start("pull", "a:1", job -> job.succeed("success"));
        assertNotEquals(first.id(), afterwards.id(), "a finished pull is not joined: pulling again starts a new job");
    }

    @Test
    void cancelEndsTheJobCancelledAndRunsTheAbort() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch aborted = new CountDownLatch(1);
        ModelJob job = jobs.start("pull", "a:1", running -> {
            running.onCancel(aborted::countDown);
            started.countDown();
            aborted.await(30, TimeUnit.SECONDS);
            throw new java.io.IOException("stream closed");
        });
        assertTrue(started.await(30, TimeUnit.SECONDS));
        job.cancel();
        assertTrue(aborted.await(30, TimeUnit.SECONDS));
        List<ModelJobEvent> events = until(job, 0, ModelJobEvent.ERROR);
        ModelJobStatus status = events.get(events.size() - 1).job();
        assertEquals(ModelJobStatus.CANCELLED, status.state());
        assertEquals("cancelled", status.error().code());
        assertEquals(ModelJobStatus.CANCELLED, job.status().state(), "the worker's later failure does not overwrite it");
    }

    @Test
    void aFailureEndsWithTheCodedError() throws Exception {
        ModelJob job = jobs.start("pull", "nope:1", running -> {
            throw ModelJobErrors.pullFailed("nope:1", "pull model manifest: file does not exist");
        });
        until(job, 0, ModelJobEvent.ERROR);
        assertEquals(ModelJobStatus.FAILED, job.status().state());
        assertEquals(ErrorCode.MODEL_NOT_FOUND.code(), job.status().error().code());
    }

    @Test
    void eventsHaveGrowingIdsAndAReaderResumesAfterTheLastIdItSaw() throws Exception {
        RunningModelJob job = new RunningModelJob("j", "pull", "a:1", clock, nanos::get, 250 * MS);
        job.progress("pulling manifest", null, null, null);
        nanos.addAndGet(1000 * MS);
        job.progress("pulling sha256:aa", "sha256:aa", 0L, 100L);
        nanos.addAndGet(1000 * MS);
        job.progress("pulling sha256:aa", "sha256:aa", 50L, 100L);
        List<Long> replayed = new ArrayList<>();
        job.subscribe(2, event -> replayed.add(event.id()));
        assertEquals(List.of(3L, 4L), replayed);
        job.succeed("success");
        assertEquals(List.of(3L, 4L, 5L), replayed, "live events follow the replay");
        List<ModelJobEvent> late = until(job, 4, ModelJobEvent.DONE);
        assertEquals(1, late.size());
        assertEquals(5L, late.get(0).id());
    }

    @Test
    void progressOfOneLayerIsThrottledButItsEndAndNewStepsAreNot() {
        RunningModelJob job = new RunningModelJob("j", "pull", "a:1", clock, nanos::get, 250 * MS);
        List<ModelJobEvent> events = new ArrayList<>();
        job.subscribe(0, events::add);
        job.progress("pulling sha256:aa", "sha256:aa", 0L, 100L);
        nanos.addAndGet(10 * MS);
        job.progress("pulling sha256:aa", "sha256:aa", 10L, 100L);
        nanos.addAndGet(300 * MS);
        job.progress("pulling sha256:aa", "sha256:aa", 40L, 100L);
        nanos.addAndGet(10 * MS);
        job.progress("pulling sha256:aa", "sha256:aa", 100L, 100L);
        job.progress("verifying sha256 digest", null, null, null);
        assertEquals(List.of(0L, 40L, 100L), events.stream().skip(1).limit(3).map(e -> e.job().completed()).toList());
        assertEquals(5, events.size());
        ModelJobStatus at40 = events.get(2).job();
        assertEquals(40.0, at40.percent());
        assertEquals(129L, at40.bytesPerSecond(), "40 bytes in 310 ms");
        assertEquals(1L, at40.secondsLeft());
        assertNull(events.get(4).job().bytesPerSecond());
    }

    @Test
    void aClosedRegistryRefusesNewJobs() {
        jobs.close();
        NeutronException refused = org.junit.jupiter.api.Assertions.assertThrows(NeutronException.class,
                () -> jobs.start("pull", "a:1", job -> job.succeed("success")));
        assertEquals(ErrorCode.PROVIDER_REMOVED, refused.code());
        assertNull(jobs.get("missing"));
    }
}
