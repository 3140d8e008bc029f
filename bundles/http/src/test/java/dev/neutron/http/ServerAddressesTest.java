package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which hosts count as loopback, which Host headers a server accepts, and which URL it prints. */
class ServerAddressesTest {
    private static final String[] LOOPBACK_NAMES = HttpConfigDefaults.config().allowedHosts();

    @ParameterizedTest
    @CsvSource({"127.0.0.1, true", "127.1.2.3, true", "localhost, true", "::1, true", "[::1], true",
        "0:0:0:0:0:0:0:1, true", "0.0.0.0, false", "::, false", "192.0.2.7, false", "'', false"})
    void knowsLoopback(String host, boolean loopback) {
        assertEquals(loopback, LocalAddresses.isLoopback(host), host);
    }

    @Test
    void withoutTokenOnlyLoopbackNamesAndTheBindAddressAreAccepted() throws Exception {
        String hostName = InetAddress.getLocalHost().getHostName();
        HostAllowlist wildcard = HostAllowlist.forServer(LOOPBACK_NAMES, "0.0.0.0", false);
        assertTrue(wildcard.allows("127.0.0.1:8000"));
        assertFalse(wildcard.allows("0.0.0.0:8000"));
        assertFalse(wildcard.allows(hostName + ":8000"));
        HostAllowlist bound = HostAllowlist.forServer(LOOPBACK_NAMES, "192.0.2.7", false);
        assertTrue(bound.allows("192.0.2.7:8000"));
    }

    @Test
    void withTokenTheMachinesOwnNamesAndAddressesAreAccepted() throws Exception {
        HostAllowlist hosts = HostAllowlist.forServer(LOOPBACK_NAMES, "0.0.0.0", true);
        assertTrue(hosts.allows(InetAddress.getLocalHost().getHostName() + ":8000"));
        for (String name : LocalAddresses.ownNames()) {
            assertTrue(hosts.allows(name.contains(":") && !name.startsWith("[") ? "[" + name + "]:8000" : name + ":8000"), name);
        }
        assertFalse(hosts.allows("evil.example:8000"));
    }

    @Test
    void printsAConcreteUrlThatTheHostAllowlistAccepts() {
        assertEquals(Optional.of("http://127.0.0.1:8000/"), PrintedUrl.choose(List.of("http://127.0.0.1:8000/"), false));
        assertEquals(Optional.of("http://127.0.0.1:8000/"), PrintedUrl.choose(List.of("http://0.0.0.0:8000/"), true));
        assertEquals(Optional.of("http://127.0.0.1:8000/"), PrintedUrl.choose(List.of("http://:::8000/"), true));
        assertEquals(Optional.of("http://192.0.2.7:8000/"),
                PrintedUrl.choose(List.of("http://[2001:db8::7]:8000/", "http://192.0.2.7:8000/"), true));
        assertEquals(Optional.of("http://127.0.0.1:8000/"),
                PrintedUrl.choose(List.of("http://192.0.2.7:8000/"), false), "other machines refused: loopback");
        assertEquals(Optional.empty(), PrintedUrl.choose(List.of(), true));
    }

    @Test
    void knowsWhenTheServerIsExposed() {
        assertFalse(PrintedUrl.exposed(List.of("http://127.0.0.1:8000/")));
        assertTrue(PrintedUrl.exposed(List.of("http://192.0.2.7:8000/")));
        assertTrue(PrintedUrl.exposed(List.of("http://0.0.0.0:8000/")));
    }
}
