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
        "max retries exceeded: Get \"http://127.0.0.1:5000/v2/library/x/blobs/sha256:ab\": dial tcp 127.0.0.1:5000: connect: connection refused | registry_unreachable",
        "pull model manifest: Get \"https://nowhere.invalid/v2/\": dial tcp: lookup nowhere.invalid: no such host | registry_unreachable",
        "unexpected EOF | registry_unreachable",
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
        assertEquals(ErrorCode.REGISTRY_UNREACHABLE, ModelJobErrors.pullFailed("x:1", "dial tcp: connection refused").code());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "write /var/lib/ollama/models/blobs/sha256-1a2b-partial-0: no space left on device | /var/lib/ollama/models",
        "open /tmp/pull test/models/manifests/127.0.0.1:5000/library/x/1: no space left on device | /tmp/pull test/models",
        "write C:\\Users\\me\\.ollama\\models\\blobs\\sha256-1a: There is not enough space on the disk. | C:\\Users\\me\\.ollama\\models",
    })
    void aFullDiskNamesOllamasModelStore(String ollamaText, String modelsDir) {
        NeutronException error = ModelJobErrors.pullFailed("x:1", ollamaText);

        assertEquals(ErrorCode.INSUFFICIENT_STORAGE, error.code());
        assertEquals("The disk of Ollama's model store " + modelsDir + " is full (Ollama: " + ollamaText + "). Delete "
                + "models you do not need or free space on that disk, then try again.", error.getMessage());
    }

    @org.junit.jupiter.api.Test
    void aFullDiskWithoutAPathSaysWhereTheStoreIsSet() {
        assertEquals("The disk of Ollama's model store (OLLAMA_MODELS) is full (Ollama: disk quota exceeded). Delete "
                + "models you do not need or free space on that disk, then try again.",
                ModelJobErrors.pullFailed("x:1", "disk quota exceeded").getMessage());
    }

    @org.junit.jupiter.api.Test
    void aStalledRegistrySaysHowLongItWasSilent() {
        NeutronException error = ModelJobErrors.registryStalled("127.0.0.1:5000/library/x:1", java.time.Duration.ofSeconds(30));

        assertEquals(ErrorCode.REGISTRY_UNREACHABLE, error.code());
        assertEquals("The registry of '127.0.0.1:5000/library/x:1' stopped answering: no progress for 30 s, so the pull "
                + "was stopped. Check the network and the registry, then pull again: layers already downloaded are "
                + "kept.", error.getMessage());
    }
}
