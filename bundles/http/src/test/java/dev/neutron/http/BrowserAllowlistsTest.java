package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrowserAllowlistsTest {
    private final HostAllowlist hosts = new HostAllowlist(Set.of("localhost", "127.0.0.1", "[::1]", "::1"));
    private final OriginAllowlist origins = new OriginAllowlist(Set.of("http://localhost:*", "http://127.0.0.1:*",
            "https://chat.example.org"));

    @ParameterizedTest
    @CsvSource({
        "localhost, true", "localhost:8000, true", "LOCALHOST:8000, true", "127.0.0.1:51234, true", "[::1]:8000, true",
        "[::1], true", "evil.com, false", "localhost.evil.com, false", "127.0.0.1.nip.io:8000, false",
        "'127.0.0.1:80:90', false", "[::2]:8000, false", "'[::1', false", "attacker:8000, false"})
    void acceptsOnlyLoopbackHostHeaders(String host, boolean allowed) {
        assertEquals(allowed, hosts.allows(host), host);
    }

    @Test
    void noOriginIsAllowedByDefault() {
        OriginAllowlist defaults = new OriginAllowlist(Set.of(HttpConfigDefaults.allowedOrigins()));
        assertEquals(Set.of(), Set.of(HttpConfigDefaults.allowedOrigins()));
        assertFalse(defaults.allows("http://localhost:5173"));
        assertFalse(defaults.allows("http://127.0.0.1:8000"));
    }

    @ParameterizedTest
    @CsvSource({
        "http://localhost:5173, true", "http://127.0.0.1:8000, true", "https://chat.example.org, true",
        "http://localhost, false", "http://localhost:abc, false", "http://evil.com:8000, false",
        "https://localhost:5173, false", "http://localhost.evil.com:80, false", "null, false"})
    void acceptsOnlyConfiguredOrigins(String origin, boolean allowed) {
        assertEquals(allowed, origins.allows(origin), origin);
    }
}
