package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelJobErrorsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pull model manifest: file does not exist | model_not_found",
        "pull model manifest: 404: manifest unknown | model_not_found",
        "max retries exceeded: Get \"http://127.0.0.1:5000/v2/library/x/blobs/sha256:ab\": dial tcp 127.0.0.1:5000: connect: connection refused | provider_error",
        "pull model manifest: Get \"https://nowhere.invalid/v2/\": dial tcp: lookup nowhere.invalid: no such host | provider_error",
        "unexpected EOF | provider_error",
        "write /models/blobs/sha256-ab-partial: no space left on device | insufficient_storage",
        "something else entirely | provider_error",
    })
    void pullFailuresMapToActionableCodes(String ollamaText, String code) {
        NeutronException error = ModelJobErrors.pullFailed("x:1", ollamaText);
        assertEquals(code, error.code().code());
        assertTrue(error.getMessage().contains(ollamaText), "Ollama's own words are quoted: " + error.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "no space left on device | insufficient_storage",
        "invalid model name | invalid_request",
        "unsupported content type: unknown | provider_error",
    })
    void createFailuresMapToActionableCodes(String ollamaText, String code) {
        assertEquals(code, ModelJobErrors.createFailed("x:1", ollamaText).code().code());
    }

    @org.junit.jupiter.api.Test
    void unreachableRegistryTellsWhatToDo() {
        String message = ModelJobErrors.pullFailed("127.0.0.1:1/library/x:1", "dial tcp: connection refused").getMessage();
        assertTrue(message.contains("pull again"), message);
        assertTrue(message.contains("insecure"), message);
        assertEquals(ErrorCode.PROVIDER_ERROR.httpStatus(), 502);
    }
}
