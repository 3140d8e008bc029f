package dev.neutron.provider.ollama;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where Ollama listens: the configured URL, else {@code OLLAMA_HOST}, else the system property
 * {@code neutron.ollama.url}, else Ollama's default address. A user name and password in it are dropped: Ollama has
 * no authentication of its own and Neutron never sent them, so they would only leak into statuses, messages and logs.
 */
final class OllamaBaseUrl {
    private static final System.Logger LOG = System.getLogger(OllamaBaseUrl.class.getName());
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)?[^/?#]*@");
    static final URI DEFAULT = URI.create("http://127.0.0.1:11434");
    static final String ENV_VARIABLE = "OLLAMA_HOST";
    static final String SYSTEM_PROPERTY = "neutron.ollama.url";
    private static final int OLLAMA_DEFAULT_PORT = 11434;
    private static final Set<String> WILDCARD_HOSTS = Set.of("", "0.0.0.0", "[::]", "::");

    private OllamaBaseUrl() {
    }

    static URI resolve(String configured, UnaryOperator<String> environment, UnaryOperator<String> systemProperties) {
        return Stream.of(configured, environment.apply(ENV_VARIABLE), systemProperties.apply(SYSTEM_PROPERTY))
                .filter(value -> value != null && !value.isBlank())
                .findFirst()
                .map(OllamaBaseUrl::parse)
                .orElse(DEFAULT);
    }

    /**
     * Reads a value the way Ollama reads {@code OLLAMA_HOST}: {@code host}, {@code host:port} or a URL. A bare host gets
     * port 11434; a wildcard bind address such as {@code 0.0.0.0} means this machine.
     */
    static URI parse(String value) {
        String trimmed = value.trim();
        boolean hasScheme = trimmed.contains("://");
        try {
            URI uri = new URI(hasScheme ? trimmed : "http://" + trimmed);
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
            int userInfoEnd = authority.lastIndexOf('@');
            if (userInfoEnd >= 0) {
                authority = authority.substring(userInfoEnd + 1);
                LOG.log(System.Logger.Level.WARNING, "The Ollama address " + redact(trimmed) + " has a user name or"
                        + " password in it; Neutron leaves it out (Ollama does not authenticate)");
            }
            int colon = authority.lastIndexOf(':');
            boolean hasPort = colon >= 0 && colon > authority.lastIndexOf(']');
            String host = hasPort ? authority.substring(0, colon) : authority;
            int port = hasPort ? Integer.parseInt(authority.substring(colon + 1)) : hasScheme ? -1 : OLLAMA_DEFAULT_PORT;
            if (WILDCARD_HOSTS.contains(host)) {
                host = "127.0.0.1";
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            return URI.create(uri.getScheme() + "://" + host + (port >= 0 ? ":" + port : "") + path);
        } catch (URISyntaxException | IllegalArgumentException e) {
            // without the cause: its message quotes the value as given, password and all
            throw new IllegalArgumentException("'" + redact(trimmed) + "' is not an Ollama address: use host, host:port or a URL "
                    + "like http://127.0.0.1:11434");
        }
    }

    /** {@code value} fit to show: a user name and password become {@code ***}. */
    static String redact(String value) {
        return USER_INFO.matcher(value).replaceFirst("$1***@");
    }
}
