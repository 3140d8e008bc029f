package dev.neutron.provider.openai;

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
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiUnreachableTest {
    private URI closedPort;
    private OpenAiModelProvider provider;

    @BeforeEach
    void pointAtAPortNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1");
        }
        provider = TestConfigs.provider(closedPort);
    }

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    @Test
    void statusNamesTheServerAndTheFileToFix() {
        ProviderStatus status = provider.status();

        assertFalse(status.available());
        assertEquals("test", status.provider());
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
    void chatFailsWithTheFixItMessage() throws Exception {
        ChatRequest request = new ChatRequest("test/smollm2:135m", List.of(new PromptMessage("user", "Hi")), 0);

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> provider.chat(request, new RecordingListener()).result().get(10, SECONDS));

        NeutronException error = assertInstanceOf(NeutronException.class, failure.getCause());
        assertEquals(ErrorCode.PROVIDER_UNREACHABLE, error.code());
        assertEquals(fixItMessage(), error.getMessage());
    }

    @Test
    void modelsOfOtherProvidersAreNotFoundWithoutAskingTheServer() throws Exception {
        ChatRequest request = new ChatRequest("smollm2:135m", List.of(new PromptMessage("user", "Hi")), 0);

        NeutronException described = assertThrows(NeutronException.class, () -> provider.describeModel("smollm2:135m"));
        ExecutionException chatted = assertThrows(ExecutionException.class,
                () -> provider.chat(request, new RecordingListener()).result().get(10, SECONDS));

        assertEquals(ErrorCode.MODEL_NOT_FOUND, described.code());
        assertEquals(ErrorCode.MODEL_NOT_FOUND, assertInstanceOf(NeutronException.class, chatted.getCause()).code());
    }

    private String fixItMessage() {
        return "The OpenAI-compatible server of provider 'test' at " + closedPort + " is not reachable. Start it, or fix "
                + "baseUrl in /srv/neutron/deploy/dev.neutron.provider.openai-test.cfg.";
    }
}
