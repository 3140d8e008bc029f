package dev.neutron.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The conversation engine: builds prompts from history, runs generations, keeps every answer. */
@ProviderType
public interface ChatService {

    /**
     * Stores the user message and starts the answer.
     *
     * @throws NeutronException {@code session_not_found}, {@code generation_in_progress}, {@code too_many_generations},
     *                          {@code no_model}, {@code model_not_found}, {@code ollama_unreachable}
     */
    LiveGeneration send(String sessionId, SendMessage message);

    Optional<LiveGeneration> activeGeneration(String sessionId);

    /** Stops the session's answer; the partial text is stored with status {@code stopped}. */
    boolean stop(String sessionId);

    /** Models of every available provider. */
    List<ModelInfo> models();

    /** The status of every registered provider. */
    List<ProviderStatus> providers();
}
