package dev.neutron.api;

import java.util.Map;

/**
 * A model to create from an uploaded GGUF blob and Modelfile settings; {@code system}, {@code template} and
 * {@code parameters} may be null (the GGUF's own template and defaults apply).
 *
 * @param blob the digest of the uploaded blob, {@code sha256:<hex>}
 * @param parameters Modelfile parameters by name; each needs a name and a value
 * @throws NeutronException {@link ErrorCode#INVALID_REQUEST} for a parameter without a name or a value
 * @since 2.3
 */
public record ModelCreation(String name, String blob, String system, String template, Map<String, Object> parameters) {
    public ModelCreation {
        if (parameters != null) {
            parameters.forEach((parameter, value) -> {
                if (parameter == null || parameter.isBlank() || value == null) {
                    throw new NeutronException(ErrorCode.INVALID_REQUEST, "Every Modelfile parameter needs a name and a"
                            + " value, such as \"temperature\": 0.7; '" + parameter + "' has " + (value == null
                            ? "no value." : "no name."));
                }
            });
        }
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
