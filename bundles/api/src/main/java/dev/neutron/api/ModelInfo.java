package dev.neutron.api;

import java.util.List;

/**
 * A model a provider can serve.
 *
 * @param contextLength the model's real context window in tokens, when the provider knows it
 */
public record ModelInfo(
        String name,
        String provider,
        Long sizeBytes,
        Integer contextLength,
        String family,
        String parameterSize,
        String quantization,
        List<String> capabilities) {

    public ModelInfo {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }
}
