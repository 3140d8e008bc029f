package dev.neutron.api;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The user's settings, stored and applied through Configuration Admin to the components they belong to. A setting
 * whose component is configured by a {@code .cfg} file in {@code deploy/} is fixed by that file: it is still stored,
 * but the file's configuration is the one in effect.
 */
@ProviderType
public interface SettingsService {

    /** The stored settings, with any user name and password in {@code ollamaUrl} shown as {@code ***}. */
    Settings current();

    /**
     * Validates, stores and applies the settings, and returns them as {@link #current()} would. An {@code ollamaUrl}
     * equal to the redacted stored one keeps the stored credentials.
     *
     * @throws NeutronException {@code invalid_request} for a malformed URL or an over-long system prompt,
     *                          {@code storage_error} when the file cannot be written
     */
    Settings update(Settings settings);

    /** Setting name ({@link Settings#OLLAMA_URL}...) to the configuration file that fixes it; empty when none does. */
    Map<String, String> fixedBy();
}
