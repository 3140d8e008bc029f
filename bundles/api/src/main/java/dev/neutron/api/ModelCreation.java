package dev.neutron.api;

import java.util.Map;

/**
 * A model to create from an uploaded GGUF blob and Modelfile settings; {@code system}, {@code template} and
 * {@code parameters} may be null (the GGUF's own template and defaults apply).
 *
 * @param blob the digest of the uploaded blob, {@code sha256:<hex>}
 * @since 2.3
 */
public record ModelCreation(String name, String blob, String system, String template, Map<String, Object> parameters) {
    public ModelCreation {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
