package dev.neutron.provider.openai;

import static dev.neutron.provider.openai.OpenAiStreamingFaultsTest.delta;
import static dev.neutron.provider.openai.OpenAiStreamingFaultsTest.finish;
import static dev.neutron.provider.openai.OpenAiStreamingFaultsTest.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatResult;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How the chunks of a streamed answer become deltas and a result; the SSE framing is {@link SseEventReaderTest}'s. */
class ChatCompletionReaderTest {
    private static final OpenAiErrors ERRORS = new OpenAiErrors(OpenAiSettings.from(TestConfigs.config(
            Map.of("baseUrl", "http://127.0.0.1:8080/v1", "displayPrefix", "local")), Map.of()));

    private final RecordingListener tokens = new RecordingListener();

    @Test
    void deltasGoToTheListenerAndTheFinishReasonAndUsageMakeTheResult() {
        ChatResult result = read(delta("Hello"), delta(", world"), finish("length"), usage(33, 5), "[DONE]");

        assertEquals(List.of("Hello", ", world"), tokens.deltas());
        assertEquals("length", result.finishReason());
        assertEquals(33, result.promptTokens());
        assertEquals(5, result.completionTokens());
    }

    @Test
    void withoutUsageTheCountsAreUnknown() {
        ChatResult result = read(delta("Hi"), finish("stop"), "[DONE]");

        assertEquals("stop", result.finishReason());
        assertNull(result.promptTokens());
        assertNull(result.completionTokens());
    }

    @Test
    void roleOnlyNullAndEmptyContentDeliverNothing() {
        read("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":null}}]}",
                delta(""), "{}", "", delta("x"), "[DONE]");

        assertEquals(List.of("x"), tokens.deltas());
    }

    @Test
    void doneWithoutFinishReasonCountsAsStop() {
        assertEquals("stop", read(delta("x"), "[DONE]").finishReason());
    }

    @Test
    void endWithoutDoneButWithFinishReasonIsComplete() {
        assertEquals("stop", read(delta("x"), finish("stop")).finishReason());
    }

    @Test
    void endWithoutDoneOrFinishReasonIsClosedEarly() {
        NeutronException error = assertThrows(NeutronException.class, () -> read(delta("x")));

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertEquals("The OpenAI-compatible server of provider 'local' at http://127.0.0.1:8080/v1 closed the connection "
                + "before the answer was complete.", error.getMessage());
    }

    @Test
    void errorAsTextBeforeAnyOutputIsAProviderError() {
        NeutronException error = assertThrows(NeutronException.class, () -> read("{\"error\":\"overloaded\"}"));

        assertEquals("The OpenAI-compatible server of provider 'local' at http://127.0.0.1:8080/v1 reported an error "
                + "instead of an answer: overloaded", error.getMessage());
    }

    @Test
    void dataThatIsNotJsonIsAProviderError() {
        NeutronException error = assertThrows(NeutronException.class, () -> read(delta("ok"), "<html>502</html>"));

        assertEquals(ErrorCode.PROVIDER_ERROR, error.code());
        assertEquals("The OpenAI-compatible server of provider 'local' at http://127.0.0.1:8080/v1 sent an event that is "
                + "not JSON: <html>502</html>", error.getMessage());
        assertEquals("ok", tokens.text());
    }

    private ChatResult read(String... data) {
        String wire = Arrays.stream(data).map(json -> "data: " + json + "\n\n").collect(Collectors.joining());
        SseEventReader events = new SseEventReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)), () -> { });
        return new ChatCompletionReader(tokens, ERRORS).read(events, System.nanoTime());
    }
}
