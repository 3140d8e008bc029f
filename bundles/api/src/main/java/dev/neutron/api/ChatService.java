package dev.neutron.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The conversation engine: builds prompts from history, runs generations, keeps every answer. */
@ProviderType
public interface ChatService {

    /**
     * Stores the user message and starts the answer, or puts it in line for a free slot ({@code queued} events). Once
     * this returns, the answer is always stored too, however it ends; when it throws, nothing was stored.
     *
     * @throws NeutronException {@code session_not_found}, {@code generation_in_progress}, {@code too_many_generations}
     *                          (the line is full), {@code context_overflow} (nothing stored), {@code no_model},
     *                          {@code model_not_found}, {@code provider_unreachable},
     *                          {@code service_unavailable} (no store, or stopping)
     */
    LiveGeneration send(String sessionId, SendMessage message);

    /**
     * Generates a new answer to a user message that is already stored, as a sibling of the answers it has: the old
     * ones stay. {@code messageId} names the user message or one of its answers. The question becomes the active leaf
     * for the run, and the new answer the active leaf once stored. Same events, errors and guarantees as
     * {@link #send}.
     *
     * @param model optional: the model to answer with (it also becomes the session's model)
     * @throws NeutronException as {@link #send}, and {@code message_not_found}
     * @since 2.2
     */
    LiveGeneration regenerate(String sessionId, String messageId, String model);

    /** The session's answer in flight, or the one that finished moments ago (so a client can still catch its end). */
    Optional<LiveGeneration> generation(String sessionId);

    /** True while an answer is being generated for the session. */
    default boolean isGenerating(String sessionId) {
        return generation(sessionId).map(g -> !g.finished()).orElse(false);
    }

    /** Stops the session's answer; the partial text is stored with status {@code stopped}. */
    boolean stop(String sessionId);

    /** Models of every available provider. */
    List<ModelInfo> models();

    /** The status of every registered provider. */
    List<ProviderStatus> providers();

    /** The model used when neither the message nor the session names one; {@code null} when no model is available. */
    String defaultModel();
}
