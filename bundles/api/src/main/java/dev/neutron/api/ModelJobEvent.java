package dev.neutron.api;

/**
 * One event of a {@link ModelJob}, as sent over SSE: {@value #PROGRESS}, then a terminal {@value #DONE} (succeeded) or
 * {@value #ERROR} (failed or cancelled). Ids grow by one from 1 within a job, so a client can resume after the last
 * id it saw.
 *
 * @since 2.3
 */
public record ModelJobEvent(long id, String type, ModelJobStatus job) {
    public static final String PROGRESS = "progress";
    public static final String DONE = "done";
    public static final String ERROR = "error";

    public boolean terminal() {
        return !PROGRESS.equals(type);
    }
}
