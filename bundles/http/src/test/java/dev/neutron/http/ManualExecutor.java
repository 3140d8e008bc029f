package dev.neutron.http;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** Test double of a thread pool: runs tasks on the calling thread, or holds them until {@link #runAll()}. */
final class ManualExecutor extends AbstractExecutorService {
    private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
    private final boolean direct;
    private volatile boolean shutdown;

    private ManualExecutor(boolean direct) {
        this.direct = direct;
    }

    /** Runs each task at once, on the thread that submits it. */
    static ManualExecutor direct() {
        return new ManualExecutor(true);
    }

    /** Holds each task, as a writer thread that never gets to run would (a slow client). */
    static ManualExecutor holding() {
        return new ManualExecutor(false);
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("ManualExecutor is shut down");
        }
        if (direct) {
            task.run();
        } else {
            held.add(task);
        }
    }

    void runAll() {
        Runnable task;
        while ((task = held.poll()) != null) {
            task.run();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.copyOf(held);
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
