package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.NeutronException;
import dev.neutron.api.ProviderStatus;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A user name and password in the Ollama URL never show: not in the status, not in messages. */
class OllamaUrlRedactionTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://user:secret@ollama.lan:11434,     http://ollama.lan:11434",
            "https://user:secret@ollama.lan/proxy/,   https://ollama.lan/proxy",
            "user:secret@ollama.lan,                  http://ollama.lan:11434",
            "http://user:se%40cret@127.0.0.1:11434,   http://127.0.0.1:11434",
    })
    void dropsUserNameAndPassword(String configured, String expected) {
        assertEquals(URI.create(expected), OllamaBaseUrl.parse(configured));
    }

    @Test
    void aBadAddressIsQuotedWithoutItsPassword() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> OllamaBaseUrl.parse("http://user:secret@a b:11434"));

        assertEquals("'http://***@a b:11434' is not an Ollama address: use host, host:port or a URL like"
                + " http://127.0.0.1:11434", error.getMessage());
        assertEquals(null, error.getCause());
    }

    @Test
    void statusAndErrorsOfAnUnreachableOllamaShowNoPassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OllamaConfig config = config(Map.of("baseUrl", "http://user:secret@127.0.0.1:" + closedPort));
        try (OllamaModelProvider provider = new OllamaModelProvider(config)) {
            ProviderStatus status = provider.status();
            NeutronException listing = assertThrows(NeutronException.class, provider::listModels);

            assertEquals("http://127.0.0.1:" + closedPort, status.endpoint());
            assertFalse(status.available());
            assertFalse(status.message().contains("secret"), status.message());
            assertFalse(status.message().contains("user"), status.message());
            assertFalse(listing.getMessage().contains("secret"), listing.getMessage());
        }
    }

    private static OllamaConfig config(Map<String, Object> values) {
        return (OllamaConfig) Proxy.newProxyInstance(OllamaConfig.class.getClassLoader(), new Class<?>[] {OllamaConfig.class},
                (proxy, method, args) -> "annotationType".equals(method.getName()) ? OllamaConfig.class
                        : values.getOrDefault(method.getName(), method.getDefaultValue()));
    }
}
