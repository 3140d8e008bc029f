package dev.neutron.provider.ollama;

import java.util.List;

/** What the model catalog needs from Ollama: {@code /api/tags} and {@code /api/show}. */
interface ModelSource {

    List<Tag> tags();

    /** @throws dev.neutron.api.NeutronException {@code model_not_found} when Ollama does not have the model */
    Details show(String model);

    /** One entry of {@code /api/tags}. */
    record Tag(String name, String digest, Long sizeBytes, String family, String parameterSize, String quantization) {
    }

    /** What {@code /api/show} says about a model; {@code contextLength} is null when it does not say. */
    record Details(Integer contextLength, List<String> capabilities, String family, String parameterSize, String quantization) {
        public Details {
            capabilities = List.copyOf(capabilities);
        }
    }
}
