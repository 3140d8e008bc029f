package dev.neutron.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Test double of the heartbeat scheduler: keeps each periodic task for the test to fire with {@link #tick()}. */
final class ManualScheduler extends ScheduledThreadPoolExecutor {
    final List<Periodic> tasks = new CopyOnWriteArrayList<>();

    ManualScheduler() {
        super(0);
    }

    final class Periodic extends FutureTask<Void> implements ScheduledFuture<Void> {
        final Runnable task;
        final long periodSeconds;

        Periodic(Runnable task, long periodSeconds) {
            super(task, null);
            this.task = task;
            this.periodSeconds = periodSeconds;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(periodSeconds, TimeUnit.SECONDS);
        }

        @Override
        public int compareTo(java.util.concurrent.Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Periodic periodic = new Periodic(command, unit.toSeconds(period));
        tasks.add(periodic);
        return periodic;
    }

    /** Runs every periodic task that is not cancelled, once. */
    void tick() {
        for (Periodic periodic : tasks) {
            if (!periodic.isCancelled()) {
                periodic.task.run();
            }
        }
    }
}
