package dev.neutron.provider.ollama;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import dev.neutron.api.ProviderStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OllamaUnreachableTest {
    private URI closedPort;
    private OllamaModelProvider provider;

    @BeforeEach
    void pointAtAPortNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        provider = new OllamaModelProvider(closedPort, Duration.ofSeconds(3), Duration.ofSeconds(30), 200_000, Duration.ofSeconds(5));
    }

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    @Test
    void statusSaysHowToStartOllama() {
        ProviderStatus status = provider.status();

        assertFalse(status.available());
        assertEquals("provider_unreachable", status.errorCode());
        assertEquals(fixItMessage(), status.message());
        assertEquals(closedPort.toString(), status.endpoint());
    }

    @Test
    void listingModelsFailsWithTheFixItMessage() {
        NeutronException error = assertThrows(NeutronException.class, provider::listModels);

        assertEquals(ErrorCode.PROVIDER_UNREACHABLE, error.code());
        assertEquals(fixItMessage(), error.getMessage());
    }

    @Test
    void describingAModelFailsWithTheFixItMessage() {
        NeutronException error = assertThrows(NeutronException.class, () -> provider.describeModel("smollm2:135m"));

        assertEquals(ErrorCode.PROVIDER_UNREACHABLE, error.code());
    }

    @Test
    void chatFailsWithTheFixItMessage() {
        ChatRequest request = new ChatRequest("smollm2:135m", List.of(new PromptMessage("user", "Hi")), 0);

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> provider.chat(request, new TokenRecorder()).result().get(10, SECONDS));

        NeutronException error = assertInstanceOf(NeutronException.class, failure.getCause());
        assertEquals(ErrorCode.PROVIDER_UNREACHABLE, error.code());
        assertEquals(fixItMessage(), error.getMessage());
    }

    private String fixItMessage() {
        return "Ollama is not reachable at " + closedPort + ". Start it with `ollama serve` (or set OLLAMA_HOST / "
                + "the baseUrl of PID dev.neutron.provider.ollama).";
    }
}
