package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OllamaBaseUrlTest {
    private static final UnaryOperator<String> NOTHING_SET = name -> null;

    @ParameterizedTest(name = "OLLAMA_HOST={0} -> {1}")
    @CsvSource({
            "127.0.0.1,                     http://127.0.0.1:11434",
            "0.0.0.0,                       http://127.0.0.1:11434",
            "0.0.0.0:9999,                  http://127.0.0.1:9999",
            ":12345,                        http://127.0.0.1:12345",
            "ollama.lan,                    http://ollama.lan:11434",
            "ollama.lan:8080,               http://ollama.lan:8080",
            "http://ollama.lan,             http://ollama.lan",
            "https://ollama.example.org/,   https://ollama.example.org",
            "http://[::]:11434,             http://127.0.0.1:11434",
            "http://[::1]:11434,            http://[::1]:11434",
            "http://proxy.lan:80/ollama/,   http://proxy.lan:80/ollama",
            "'  http://127.0.0.1:11434  ',  http://127.0.0.1:11434",
    })
    void readsOllamaHostLikeOllamaDoes(String ollamaHost, String expected) {
        assertEquals(URI.create(expected), OllamaBaseUrl.parse(ollamaHost));
    }

    @Test
    void defaultsToOllamasOwnAddress() {
        assertEquals(URI.create("http://127.0.0.1:11434"), OllamaBaseUrl.resolve("", NOTHING_SET, NOTHING_SET));
    }

    @Test
    void configuredUrlWinsOverEnvironmentAndSystemProperty() {
        URI resolved = OllamaBaseUrl.resolve("http://configured:1", name -> "environment:2", name -> "http://property:3");

        assertEquals(URI.create("http://configured:1"), resolved);
    }

    @Test
    void environmentWinsOverSystemProperty() {
        UnaryOperator<String> environment = name -> name.equals("OLLAMA_HOST") ? "environment:2" : null;

        URI resolved = OllamaBaseUrl.resolve(" ", environment, name -> "http://property:3");

        assertEquals(URI.create("http://environment:2"), resolved);
    }

    @Test
    void systemPropertyIsUsedWhenNothingElseIsSet() {
        UnaryOperator<String> properties = name -> name.equals("neutron.ollama.url") ? "http://property:3" : null;

        assertEquals(URI.create("http://property:3"), OllamaBaseUrl.resolve(null, NOTHING_SET, properties));
    }

    @Test
    void rejectsWhatIsNoAddress() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> OllamaBaseUrl.parse("http://a b"));

        assertEquals("'http://a b' is not an Ollama address: use host, host:port or a URL like http://127.0.0.1:11434",
                error.getMessage());
    }
}
