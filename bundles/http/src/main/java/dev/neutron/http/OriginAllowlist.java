package dev.neutron.http;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** CORS origin check: exact origins, or {@code scheme://host:*} for any port of that host. */
final class OriginAllowlist {
    private final Set<String> allowed;

    OriginAllowlist(Set<String> allowed) {
        this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT).strip()).collect(Collectors.toSet());
    }

    boolean allows(String origin) {
        String lower = origin.strip().toLowerCase(Locale.ROOT);
        if (allowed.contains(lower)) {
            return true;
        }
        int schemeEnd = lower.indexOf("://");
        int portColon = lower.lastIndexOf(':');
        if (schemeEnd < 0 || portColon <= schemeEnd + 2) {
            return false;
        }
        String port = lower.substring(portColon + 1);
        if (port.isEmpty() || !port.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return allowed.contains(lower.substring(0, portColon) + ":*");
    }
}
