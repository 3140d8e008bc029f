package dev.neutron.chat;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.ModelProvider;
import dev.neutron.api.NeutronException;
import dev.neutron.api.ProviderStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Which provider serves which model, asked live of every registered {@link ModelProvider}. */
final class ModelDirectory {
    private static final System.Logger LOG = System.getLogger(ModelDirectory.class.getName());

    private final List<ModelProvider> providers;
    private final Map<String, ModelInfo> described = new ConcurrentHashMap<>();

    ModelDirectory(List<ModelProvider> providers) {
        this.providers = providers;
    }

    void invalidate() {
        described.clear();
    }

    List<ModelInfo> models() {
        List<ModelInfo> all = new ArrayList<>();
        for (ModelProvider provider : providers) {
            try {
                all.addAll(provider.listModels());
            } catch (NeutronException e) {
                LOG.log(System.Logger.Level.DEBUG, "Provider " + provider.id() + " lists no models: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Provider " + provider.id() + " failed to list its models", e);
            }
        }
        return all;
    }

    List<ProviderStatus> statuses() {
        List<ProviderStatus> statuses = new ArrayList<>();
        for (ModelProvider provider : providers) {
            statuses.add(provider.status());
        }
        return statuses;
    }

    /** The provider that lists {@code model}, or a coded error that says why there is none. */
    ModelProvider providerFor(String model) {
        NeutronException unreachable = null;
        for (ModelProvider provider : providers) {
            try {
                for (ModelInfo info : provider.listModels()) {
                    if (info.name().equals(model)) {
                        return provider;
                    }
                }
            } catch (NeutronException e) {
                unreachable = e;
            }
        }
        if (unreachable != null) {
            throw unreachable;
        }
        if (providers.isEmpty()) {
            throw new NeutronException(ErrorCode.MODEL_NOT_FOUND, "No model backend is installed, so model '" + model
                    + "' cannot be used. Install a provider bundle (the Ollama provider is part of the distribution).");
        }
        String pullHint = model.contains("/") ? "" : " If it is an Ollama model, pull it with `ollama pull " + model + "`.";
        throw new NeutronException(ErrorCode.MODEL_NOT_FOUND, "Model '" + model + "' is not available from any model"
                + " backend. Pick one listed by GET /api/v1/chat/models." + pullHint);
    }

    ModelInfo describe(ModelProvider provider, String model) {
        String key = provider.id() + "\u0000" + model;
        ModelInfo cached = described.get(key);
        if (cached != null) {
            return cached;
        }
        ModelInfo info = provider.describeModel(model);
        described.put(key, info);
        return info;
    }

    NeutronException noModelError() {
        for (ModelProvider provider : providers) {
            ProviderStatus status = provider.status();
            if (!status.available()) {
                ErrorCode code = ErrorCode.PROVIDER_UNREACHABLE.code().equals(status.errorCode())
                        ? ErrorCode.PROVIDER_UNREACHABLE : ErrorCode.SERVICE_UNAVAILABLE;
                return new NeutronException(code, status.message());
            }
        }
        return new NeutronException(ErrorCode.NO_MODEL, "No model is available. Pull one with `ollama pull <model>`"
                + " (for example `ollama pull smollm2:135m`), then pick it in the model selector.");
    }
}
