package dev.neutron.api;

import java.time.Instant;

/**
 * A model loaded in memory now.
 *
 * @param expiresAt when the provider unloads it unless used; null when it stays loaded
 * @since 2.3
 */
public record LoadedModel(String name, String provider, Long sizeBytes, Long vramBytes, Integer contextLength,
        Instant expiresAt) {
}
