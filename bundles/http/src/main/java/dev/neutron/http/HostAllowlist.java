package dev.neutron.http;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Host header check: the host part (without port) must be one of the allowed names. */
final class HostAllowlist {
    private final Set<String> allowed;

    HostAllowlist(Set<String> allowed) {
        this.allowed = allowed.stream().map(h -> h.toLowerCase(Locale.ROOT).strip()).collect(Collectors.toSet());
    }

    boolean allows(String hostHeader) {
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0) {
                return false;
            }
            String bracketed = host.substring(0, end + 1);
            return allowed.contains(bracketed) || allowed.contains(bracketed.substring(1, bracketed.length() - 1));
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            if (host.indexOf(':', colon + 1) >= 0) {
                return false;
            }
            host = host.substring(0, colon);
        }
        return allowed.contains(host);
    }
}
