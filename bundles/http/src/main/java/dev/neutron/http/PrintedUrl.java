package dev.neutron.http;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one URL Neutron prints at start, chosen from the HTTP runtime's endpoints so that it works when opened: never a
 * wildcard address, an IPv4 address before an IPv6 one, and loopback when other machines are refused (no token).
 */
final class PrintedUrl {
    private static final Pattern ENDPOINT = Pattern.compile("(https?)://(.*):(\\d+)(/.*)?");

    private PrintedUrl() {
    }

    static Optional<String> choose(List<String> endpoints, boolean remoteAllowed) {
        Optional<Matcher> first = endpoints.stream().map(ENDPOINT::matcher).filter(Matcher::matches)
                .sorted((a, b) -> Boolean.compare(a.group(2).contains(":"), b.group(2).contains(":")))
                .findFirst();
        return first.map(m -> {
            String host = m.group(2);
            if (LocalAddresses.isWildcard(host) || !remoteAllowed && !LocalAddresses.isLoopback(host)) {
                host = "127.0.0.1";
            }
            String path = m.group(4) == null ? "/" : m.group(4);
            return m.group(1) + "://" + host + ":" + m.group(3) + (path.endsWith("/") ? path : path + "/");
        });
    }

    /** Whether the runtime listens anywhere beyond loopback. */
    static boolean exposed(List<String> endpoints) {
        return endpoints.stream().map(ENDPOINT::matcher).filter(Matcher::matches)
                .anyMatch(m -> !LocalAddresses.isLoopback(m.group(2)));
    }
}
