package dev.neutron.api;

import java.time.Instant;
import java.util.List;

/**
 * A model installed in a provider, with what the provider says about it; any detail may be null when unknown.
 *
 * @param contextLength the model's trained context length, as the model file declares it
 * @param capabilities  e.g. {@code completion}, {@code vision}, {@code tools}, {@code thinking}, {@code embedding}
 * @since 2.3
 */
public record InstalledModel(String name, String provider, Long sizeBytes, String digest, String family,
        String parameterSize, String quantization, Integer contextLength, List<String> capabilities,
        Instant modifiedAt) {
    public InstalledModel {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }
}
