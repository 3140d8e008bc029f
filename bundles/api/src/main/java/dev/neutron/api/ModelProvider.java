package dev.neutron.api;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A model backend (Ollama, an OpenAI-compatible server, ...). Register one as an OSGi service and its models appear in
 * Neutron; unregister it and they disappear, and streams in flight from it end with {@code provider_removed}.
 */
@ConsumerType
public interface ModelProvider {

    /** A short stable name, e.g. {@code ollama}. */
    String id();

    /** Reachability and version; never throws. */
    ProviderStatus status();

    /** @throws NeutronException when the backend cannot be reached */
    List<ModelInfo> listModels();

    /** Details of one model, with its context length where known. @throws NeutronException {@code model_not_found} */
    ModelInfo describeModel(String model);

    /** Starts streaming an answer; deltas go to {@code listener}. Never blocks for the whole answer. */
    Generation chat(ChatRequest request, TokenListener listener);
}
