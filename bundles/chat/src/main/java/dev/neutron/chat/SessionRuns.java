package dev.neutron.chat;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelProvider;
import dev.neutron.api.NeutronException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Each session's answer, from the moment it is asked for until {@code retention} after its end (so clients can still
 * catch the end). One answer per session at a time, and none once closed.
 */
final class SessionRuns {
    private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final LongSupplier retentionMillis;
    private volatile boolean closed;

    SessionRuns(LongSupplier clock, LongSupplier retentionMillis) {
        this.clock = clock;
        this.retentionMillis = retentionMillis;
    }

    /**
     * One answer per session at a time. Checked before the history is read, so a previous answer has been stored by
     * then (a run counts as finished only once its answer is stored).
     */
    void requireNoAnswerRunning(String sessionId) {
        ActiveRun existing = runs.get(sessionId);
        if (existing != null && !existing.finished()) {
            throw new NeutronException(ErrorCode.GENERATION_IN_PROGRESS, "An answer is still being generated in this"
                    + " chat. Wait for it, reattach with GET /api/v1/chat/sessions/" + sessionId
                    + "/stream, or stop it with POST /api/v1/chat/sessions/" + sessionId + "/stop.");
        }
    }

    /** Registers the session's new answer, replacing a finished one. */
    void claim(String sessionId, ActiveRun active) {
        requireOpen();
        if (runs.putIfAbsent(sessionId, active) != null) {
            ActiveRun existing = runs.get(sessionId);
            if (existing != null && !existing.finished()) {
                throw new NeutronException(ErrorCode.GENERATION_IN_PROGRESS, "Another message to this chat was just sent.");
            }
            runs.remove(sessionId, existing);
            if (runs.putIfAbsent(sessionId, active) != null) {
                throw new NeutronException(ErrorCode.GENERATION_IN_PROGRESS, "Another message to this chat was just sent.");
            }
        }
        if (closed) { // checked again after registering, so that close() either sees this run or this claim sees it
            runs.remove(sessionId, active);
            requireOpen();
        }
    }

    void remove(ActiveRun active) {
        runs.remove(active.run.sessionId(), active);
    }

    /** The session's accepted answer, running or finished within the retention time. */
    ActiveRun find(String sessionId) {
        ActiveRun active = runs.get(sessionId);
        if (active == null || !active.accepted()) {
            return null;
        }
        if (expired(active)) {
            runs.remove(sessionId, active);
            return null;
        }
        return active;
    }

    List<ActiveRun> servedBy(ModelProvider provider) {
        return runs.values().stream().filter(active -> active.provider() == provider && !active.finished()).toList();
    }

    /** Refuses new answers from now on; returns those not finished yet. */
    List<ActiveRun> close() {
        closed = true;
        return runs.values().stream().filter(active -> !active.finished()).toList();
    }

    void forgetExpired() {
        runs.values().removeIf(this::expired);
    }

    /** A finished answer older than the retention time: clients can no longer reattach to it. */
    private boolean expired(ActiveRun active) {
        return active.finished() && clock.getAsLong() - active.run.finishedAtMillis() > retentionMillis.getAsLong();
    }

    private void requireOpen() {
        if (closed) {
            throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE,
                    "Neutron is stopping. Send the message again once it is running.");
        }
    }
}
