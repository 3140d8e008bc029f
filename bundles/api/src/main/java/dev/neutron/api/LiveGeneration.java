package dev.neutron.api;

import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/** An answer being generated for a session, independent of any HTTP request that watches it. */
@ProviderType
public interface LiveGeneration {

    String sessionId();

    String messageId();

    String model();

    boolean finished();

    /**
     * Replays every buffered event with an id greater than {@code afterEventId}, then delivers live ones until the
     * terminal event. Closing the returned handle detaches the listener; the generation goes on.
     */
    AutoCloseable subscribe(long afterEventId, Consumer<ChatEvent> listener);
}
