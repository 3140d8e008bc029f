package dev.neutron.provider.ollama;

import dev.neutron.api.ModelJob;
import dev.neutron.api.ModelJobEvent;
import dev.neutron.api.ModelJobStatus;
import dev.neutron.api.NeutronException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The state and events of one pull or create. Progress is reported by the worker; every change becomes an event with
 * the next id (progress within the same layer at most every {@code minIntervalNanos}). Each event carries the whole
 * job, so the last {@value #REPLAY_EVENTS} events are enough for any late reader.
 */
final class RunningModelJob implements ModelJob {
    static final int REPLAY_EVENTS = 64;
    private static final System.Logger LOG = System.getLogger(RunningModelJob.class.getName());

    private final String id;
    private final String kind;
    private final String name;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final long minIntervalNanos;
    private final TransferRate rate;
    private final Instant startedAt;
    private final Deque<ModelJobEvent> recent = new ArrayDeque<>();
    private final List<Consumer<ModelJobEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile Runnable onCancel = () -> { };
    private long nextEventId = 1;
    private long lastEmitNanos = Long.MIN_VALUE;
    private ModelJobStatus current;

    RunningModelJob(String id, String kind, String name, Clock clock, LongSupplier nanoClock, long minIntervalNanos) {
        this.id = id;
        this.kind = kind;
        this.name = name;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.minIntervalNanos = minIntervalNanos;
        this.rate = new TransferRate(5_000_000_000L);
        this.startedAt = clock.instant();
        this.current = new ModelJobStatus(id, kind, name, ModelJobStatus.RUNNING, "starting", null, null, null, null,
                null, null, null, startedAt, null);
        emit(ModelJobEvent.PROGRESS);
    }

    @Override
    public String id() {
        return id;
    }

    String name() {
        return name;
    }

    String kind() {
        return kind;
    }

    @Override
    public synchronized ModelJobStatus status() {
        return current;
    }

    /** What stops the worker's request; run once on {@link #cancel()}. */
    void onCancel(Runnable action) {
        this.onCancel = action;
    }

    /** A progress line of the backend: its status words and, for a layer, its digest and byte counts. */
    void progress(String status, String digest, Long completed, Long total) {
        synchronized (this) {
            if (current.finished()) {
                return;
            }
            long now = nanoClock.getAsLong();
            boolean sameStep = java.util.Objects.equals(status, current.status())
                    && java.util.Objects.equals(digest, current.digest());
            if (!sameStep) {
                rate.reset();
            }
            if (completed != null) {
                rate.record(now, completed);
            }
            Long speed = completed == null ? null : rate.bytesPerSecond();
            Long left = completed == null || total == null ? null : rate.secondsLeft(total);
            current = new ModelJobStatus(id, kind, name, ModelJobStatus.RUNNING, status, digest, completed, total,
                    TransferRate.percent(completed, total), speed, left, null, startedAt, null);
            boolean layerDone = completed != null && completed.equals(total);
            if (sameStep && !layerDone && lastEmitNanos != Long.MIN_VALUE && now - lastEmitNanos < minIntervalNanos) {
                return;
            }
            lastEmitNanos = now;
        }
        emit(ModelJobEvent.PROGRESS);
    }

    void succeed(String status) {
        synchronized (this) {
            if (current.finished()) {
                return;
            }
            current = new ModelJobStatus(id, kind, name, ModelJobStatus.SUCCEEDED, status, null, current.total(),
                    current.total(), current.total() == null ? null : 100.0, null, 0L, null, startedAt, clock.instant());
        }
        emit(ModelJobEvent.DONE);
    }

    void fail(NeutronException failure) {
        end(ModelJobStatus.FAILED, failure);
    }

    @Override
    public void cancel() {
        if (end(ModelJobStatus.CANCELLED, ModelJobErrors.cancelled(kind, name))) {
            try {
                onCancel.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Stopping a cancelled job's request failed", e);
            }
        }
    }

    boolean cancelled() {
        return ModelJobStatus.CANCELLED.equals(status().state());
    }

    private boolean end(String state, NeutronException failure) {
        synchronized (this) {
            if (current.finished()) {
                return false;
            }
            current = new ModelJobStatus(id, kind, name, state, current.status(), current.digest(), current.completed(),
                    current.total(), current.percent(), null, null,
                    new ModelJobStatus.Error(failure.code().code(), failure.getMessage()), startedAt, clock.instant());
        }
        emit(ModelJobEvent.ERROR);
        return true;
    }

    private void emit(String type) {
        ModelJobEvent event;
        synchronized (this) {
            event = new ModelJobEvent(nextEventId++, type, current);
            recent.addLast(event);
            if (recent.size() > REPLAY_EVENTS) {
                recent.removeFirst();
            }
            // delivered inside the lock so that every listener sees events in id order
            for (Consumer<ModelJobEvent> listener : listeners) {
                deliver(listener, event);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(long afterEventId, Consumer<ModelJobEvent> listener) {
        List<ModelJobEvent> replay;
        synchronized (this) {
            replay = new ArrayList<>();
            for (ModelJobEvent event : recent) {
                if (event.id() > afterEventId) {
                    replay.add(event);
                }
            }
            replay.forEach(event -> deliver(listener, event));
            if (current.finished()) {
                return () -> { };
            }
            listeners.add(listener);
        }
        return () -> listeners.remove(listener);
    }

    private static void deliver(Consumer<ModelJobEvent> listener, ModelJobEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "A model job listener failed", e);
        }
    }
}
