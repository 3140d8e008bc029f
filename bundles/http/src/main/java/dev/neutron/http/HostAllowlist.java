package dev.neutron.http;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Host header check: the host part (without port) must be one of the allowed names. */
final class HostAllowlist {
    private final Set<String> allowed;

    HostAllowlist(Set<String> allowed) {
        this.allowed = allowed.stream().map(h -> h.toLowerCase(Locale.ROOT).strip()).collect(Collectors.toSet());
    }

    /**
     * The configured names, plus the address Neutron is bound to, plus, when an API token guards every request, this
     * machine's own names and addresses (a rebound DNS name then gains an attacker nothing: it has no token).
     */
    static HostAllowlist forServer(String[] configured, String bindHost, boolean tokenSet) {
        Set<String> names = new HashSet<>(List.of(configured));
        if (!LocalAddresses.isWildcard(bindHost)) {
            names.add(bindHost.strip());
        }
        if (tokenSet) {
            names.addAll(LocalAddresses.ownNames());
        }
        return new HostAllowlist(names);
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
