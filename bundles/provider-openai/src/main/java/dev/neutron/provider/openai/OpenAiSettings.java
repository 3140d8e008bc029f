package dev.neutron.provider.openai;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated {@link OpenAiConfig}, plus where it came from so that messages can say which file to fix.
 *
 * @param contextLength null when unknown
 * @param configuredIn  the {@code .cfg} file, or the configuration's PID when it did not come from a file
 */
record OpenAiSettings(String providerId, String displayPrefix, URI baseUrl, String apiKey, Duration connectTimeout,
        Duration idleTimeout, Integer contextLength, Duration modelCacheTtl, boolean includeUsage, boolean standardOptionsOnly, String configuredIn) {

    /** Set by Felix FileInstall on configurations it read from {@code deploy/}. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)?[^/?#]*@");
    private static final Pattern QUERY = Pattern.compile("[?#].*$");

    static OpenAiSettings from(OpenAiConfig config, Map<String, ?> properties) {
        String configuredIn = configuredIn(properties);
        String prefix = config.displayPrefix() == null ? "" : config.displayPrefix().strip().replaceAll("/+$", "");
        if (prefix.isEmpty() || prefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("displayPrefix '" + config.displayPrefix() + "' in " + configuredIn
                    + " must be a non-empty name without spaces, e.g. displayPrefix=openai");
        }
        String id = config.id() == null || config.id().isBlank() ? prefix : config.id().strip();
        return new OpenAiSettings(id, prefix, parseBaseUrl(config.baseUrl(), configuredIn),
                config._apiKey() == null ? "" : config._apiKey().strip(),
                positive(config.connectTimeoutMs(), "connectTimeoutMs", configuredIn),
                positive(config.idleTimeoutMs(), "idleTimeoutMs", configuredIn),
                config.contextLength() > 0 ? config.contextLength() : null,
                Duration.ofSeconds(Math.max(0, config.modelCacheSeconds())),
                config.includeUsage(),
                config.standardOptionsOnly(),
                configuredIn);
    }

    /** The model name Neutron shows for a model id of this server. */
    String displayName(String upstreamModel) {
        return displayPrefix + "/" + upstreamModel;
    }

    /** The server's own model id, or null when {@code displayName} is not one of this provider's names. */
    String upstreamName(String displayName) {
        String prefix = displayPrefix + "/";
        return displayName != null && displayName.startsWith(prefix) && displayName.length() > prefix.length()
                ? displayName.substring(prefix.length()) : null;
    }

    boolean hasApiKey() {
        return !apiKey.isEmpty();
    }

    /** Never shows the API key. */
    @Override
    public String toString() {
        return "OpenAiSettings[id=" + providerId + ", displayPrefix=" + displayPrefix + ", baseUrl=" + baseUrl
                + ", apiKey=" + (hasApiKey() ? "(set)" : "(none)") + ", configuredIn=" + configuredIn + "]";
    }

    private static URI parseBaseUrl(String value, String configuredIn) {
        String fix = " Set baseUrl in " + configuredIn + " to the URL that /models and /chat/completions hang off, "
                + "e.g. baseUrl=http://127.0.0.1:11434/v1";
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("No baseUrl is configured." + fix);
        }
        try {
            URI uri = new URI(value.strip().replaceAll("/+$", ""));
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("baseUrl '" + redact(value) + "' has a user name or password in it,"
                        + " which Neutron does not send. Put the server's key in .apiKey in " + configuredIn
                        + " instead, and remove it from baseUrl." + fix);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(value, "not a plain http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            // without the cause: its message quotes the value as given, secrets and all
            throw new IllegalArgumentException("baseUrl '" + redact(value) + "' is not an http(s) URL." + fix);
        }
    }

    /** {@code value} fit to show: user name, password, query and fragment (where keys may hide) become {@code ***}. */
    static String redact(String value) {
        String withoutUser = USER_INFO.matcher(value.strip()).replaceFirst("$1***@");
        return QUERY.matcher(withoutUser).replaceFirst("?***");
    }

    private static Duration positive(int millis, String name, String configuredIn) {
        if (millis <= 0) {
            throw new IllegalArgumentException(name + " in " + configuredIn + " must be positive, not " + millis);
        }
        return Duration.ofMillis(millis);
    }

    private static String configuredIn(Map<String, ?> properties) {
        Object file = properties.get(FILEINSTALL_FILENAME);
        if (file != null) {
            try {
                return Path.of(new URI(file.toString())).toString();
            } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                return file.toString();
            }
        }
        Object pid = properties.get("service.pid");
        return "the configuration " + (pid != null ? pid : "of factory PID " + OpenAiModelProvider.FACTORY_PID);
    }
}
