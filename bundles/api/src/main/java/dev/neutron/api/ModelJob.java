package dev.neutron.api;

import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A pull or create running on its own, independent of any HTTP request that watches it.
 *
 * @since 2.3
 */
@ProviderType
public interface ModelJob {

    String id();

    /** A snapshot of the job now. */
    ModelJobStatus status();

    /** Stops the job; it ends {@link ModelJobStatus#CANCELLED}. Does nothing to a finished job. */
    void cancel();

    /**
     * Replays the buffered events with an id greater than {@code afterEventId}, then delivers live ones until the
     * terminal event. Closing the returned handle detaches the listener; the job goes on.
     */
    AutoCloseable subscribe(long afterEventId, Consumer<ModelJobEvent> listener);
}
