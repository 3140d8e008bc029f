package dev.neutron.provider.ollama;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelJob;
import dev.neutron.api.NeutronException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * The one home of model jobs: they run on their own threads, without clients. A job of the same kind and name that
 * is still running is joined instead of started twice; different names run at once. Finished jobs are kept for
 * {@code keepFinished} (at most {@value #MAX_FINISHED}) so late readers still see how they ended.
 */
final class ModelJobs implements AutoCloseable {
    static final int MAX_FINISHED = 50;
    private static final System.Logger LOG = System.getLogger(ModelJobs.class.getName());

    /** The work of a job: report progress to the job, return normally on success, throw a NeutronException on failure. */
    interface Work {
        void run(RunningModelJob job) throws Exception;
    }

    private final ExecutorService workers;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final Duration keepFinished;
    private final long minIntervalNanos;
    private final Map<String, RunningModelJob> byId = new LinkedHashMap<>();
    private final Map<String, Long> finishedAtNanos = new LinkedHashMap<>();
    private boolean closed;

    ModelJobs(ExecutorService workers, Clock clock, LongSupplier nanoClock, Duration keepFinished, Duration minInterval) {
        this.workers = workers;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.keepFinished = keepFinished;
        this.minIntervalNanos = minInterval.toNanos();
    }

    /** The running job of this kind and name, else a new one running {@code work}. */
    synchronized ModelJob start(String kind, String name, Work work) {
        if (closed) {
            throw OllamaErrors.providerStopped();
        }
        expire();
        for (RunningModelJob job : byId.values()) {
            if (job.kind().equals(kind) && job.name().equals(name) && !job.status().finished()) {
                return job;
            }
        }
        RunningModelJob job = new RunningModelJob(UUID.randomUUID().toString(), kind, name, clock, nanoClock,
                minIntervalNanos);
        byId.put(job.id(), job);
        try {
            workers.execute(() -> run(job, work));
        } catch (RejectedExecutionException e) {
            byId.remove(job.id());
            throw OllamaErrors.providerStopped();
        }
        return job;
    }

    private void run(RunningModelJob job, Work work) {
        try {
            work.run(job);
        } catch (NeutronException e) {
            job.fail(e);
        } catch (Exception e) {
            if (!job.cancelled()) {
                LOG.log(System.Logger.Level.WARNING, "Model job " + job.id() + " failed", e);
                job.fail(new NeutronException(ErrorCode.INTERNAL_ERROR, "The " + job.kind() + " of '" + job.name()
                        + "' failed unexpectedly (" + e + "). The server log has the details."));
            }
        } finally {
            synchronized (this) {
                finishedAtNanos.put(job.id(), nanoClock.getAsLong());
            }
        }
    }

    synchronized List<ModelJob> list() {
        expire();
        return new ArrayList<>(byId.values());
    }

    synchronized ModelJob get(String id) {
        expire();
        return byId.get(id);
    }

    private void expire() {
        long now = nanoClock.getAsLong();
        finishedAtNanos.entrySet().removeIf(entry -> {
            boolean old = now - entry.getValue() > keepFinished.toNanos() || finishedAtNanos.size() > MAX_FINISHED;
            if (old) {
                byId.remove(entry.getKey());
            }
            return old;
        });
    }

    /** Cancels every running job; later starts fail with {@code provider_removed}. */
    @Override
    public void close() {
        List<RunningModelJob> running;
        synchronized (this) {
            closed = true;
            running = new ArrayList<>(byId.values());
        }
        running.forEach(RunningModelJob::cancel);
        workers.shutdownNow();
    }
}
