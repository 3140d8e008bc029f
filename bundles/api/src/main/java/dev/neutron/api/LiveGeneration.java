package dev.neutron.api;

import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/** An answer being generated for a session, independent of any HTTP request that watches it. */
@ProviderType
public interface LiveGeneration {

    String sessionId();

    String messageId();

    /**
     * The question this answers (a user message, stored by the time {@link ChatService#send} or
     * {@link ChatService#regenerate} returns); {@code null} when the implementation does not say.
     *
     * @since 2.2
     */
    default String userMessageId() {
        return null;
    }

    String model();

    boolean finished();

    /**
     * Replays every buffered event with an id greater than {@code afterEventId}, then delivers live ones until the
     * terminal event. Closing the returned handle detaches the listener; the generation goes on.
     */
    AutoCloseable subscribe(long afterEventId, Consumer<ChatEvent> listener);
}
