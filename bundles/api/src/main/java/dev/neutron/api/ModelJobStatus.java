package dev.neutron.api;

import java.time.Instant;

/**
 * One moment of a {@link ModelJob}. {@code status} is the backend's own words ("pulling manifest", "pulling
 * sha256:…", "verifying sha256 digest", "success"); {@code completed}/{@code total} are the bytes of the current layer
 * ({@code digest}); {@code percent}, {@code bytesPerSecond} and {@code secondsLeft} are derived from them and null
 * until known. {@code error} is set when the job failed or was cancelled.
 *
 * @param kind  {@value #PULL} or {@value #CREATE}
 * @param state {@value #RUNNING}, {@value #SUCCEEDED}, {@value #FAILED} or {@value #CANCELLED}
 * @since 2.3
 */
public record ModelJobStatus(String id, String kind, String name, String state, String status, String digest,
        Long completed, Long total, Double percent, Long bytesPerSecond, Long secondsLeft, Error error,
        Instant startedAt, Instant finishedAt) {
    public static final String PULL = "pull";
    public static final String CREATE = "create";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    /** Why a job failed: an {@link ErrorCode} string and a message saying what to do. */
    public record Error(String code, String message) {
    }

    public boolean finished() {
        return !RUNNING.equals(state);
    }
}
