package dev.neutron.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCreationTest {
    @Test
    void aParameterWithoutAValueIsAClientErrorNotANullPointer() {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("temperature", null);
        NeutronException refused = assertThrows(NeutronException.class,
                () -> new ModelCreation("m", "sha256:00", null, null, parameters));
        assertEquals(ErrorCode.INVALID_REQUEST, refused.code());
        assertEquals("Every Modelfile parameter needs a name and a value, such as \"temperature\": 0.7; 'temperature'"
                + " has no value.", refused.getMessage());
    }

    @Test
    void aParameterWithABlankNameIsAClientError() {
        NeutronException refused = assertThrows(NeutronException.class,
                () -> new ModelCreation("m", "sha256:00", null, null, Map.of(" ", 1)));
        assertEquals(ErrorCode.INVALID_REQUEST, refused.code());
    }

    @Test
    void namedParametersWithValuesAreKeptAndNoneIsEmpty() {
        assertEquals(Map.of("temperature", 0.7), new ModelCreation("m", "sha256:00", null, null,
                Map.of("temperature", 0.7)).parameters());
        assertEquals(Map.of(), new ModelCreation("m", "sha256:00", null, null, null).parameters());
    }
}
