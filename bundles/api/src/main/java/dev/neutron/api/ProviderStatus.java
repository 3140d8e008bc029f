package dev.neutron.api;

/**
 * Whether a provider can be used right now, and if not, what the user should do.
 *
 * @param errorCode a stable {@link ErrorCode} string when not available
 */
public record ProviderStatus(String provider, String endpoint, boolean available, String version, String errorCode, String message) {
}
