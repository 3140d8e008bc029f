package dev.neutron.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelOptionsTest {

    private static String refused(Map<String, ?> options) {
        NeutronException e = assertThrows(NeutronException.class, () -> ModelOptions.validate(options));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        return e.getMessage();
    }

    private static Map<String, Object> one(String name, Object value) {
        Map<String, Object> options = new HashMap<>();
        options.put(name, value);
        return options;
    }

    @Test
    void knowsEveryOptionByOllamasName() {
        assertEquals(List.of("temperature", "top_p", "min_p", "top_k", "seed", "num_predict", "num_ctx", "repeat_penalty",
                "repeat_last_n", "presence_penalty", "frequency_penalty", "stop"), ModelOptions.names());
    }

    @Test
    void validOptionsComeBackSortedWholeNumbersAsLongOthersAsDouble() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("top_k", 40);
        in.put("temperature", 1);
        in.put("seed", 42L);
        in.put("num_ctx", 8192.0);
        in.put("top_p", 0.9f);
        in.put("stop", List.of("</s>", "User:"));
        Map<String, Object> valid = ModelOptions.validate(in);
        assertEquals(List.of("num_ctx", "seed", "stop", "temperature", "top_k", "top_p"), List.copyOf(valid.keySet()));
        assertEquals(8192L, valid.get("num_ctx"));
        assertEquals(42L, valid.get("seed"));
        assertEquals(40L, valid.get("top_k"));
        assertEquals(1.0, valid.get("temperature"));
        assertEquals((double) 0.9f, valid.get("top_p"));
        assertEquals(List.of("</s>", "User:"), valid.get("stop"));
    }

    @Test
    void nothingIsNoOptions() {
        assertEquals(Map.of(), ModelOptions.validate(null));
        assertEquals(Map.of(), ModelOptions.validate(Map.of()));
    }

    /** name, lowest allowed, highest allowed, below, above, whole number */
    @ParameterizedTest
    @CsvSource({
            "temperature, 0, 2, -0.01, 2.01, false",
            "top_p, 0, 1, -0.01, 1.01, false",
            "min_p, 0, 1, -0.01, 1.01, false",
            "top_k, 0, 1000, -1, 1001, true",
            "seed, -2147483648, 2147483647, -2147483649, 2147483648, true",
            "num_predict, -2, 1048576, -3, 1048577, true",
            "num_ctx, 256, 1048576, 255, 1048577, true",
            "repeat_penalty, 0, 10, -0.01, 10.01, false",
            "repeat_last_n, -1, 1048576, -2, 1048577, true",
            "presence_penalty, -2, 2, -2.01, 2.01, false",
            "frequency_penalty, -2, 2, -2.01, 2.01, false"})
    void eachNumberOptionTakesItsRangeAndNothingOutsideIt(String name, String min, String max, String below, String above,
            boolean whole) {
        Object low = whole ? (Object) Long.parseLong(min) : (Object) Double.parseDouble(min);
        Object high = whole ? (Object) Long.parseLong(max) : (Object) Double.parseDouble(max);
        assertEquals(low, ModelOptions.validate(one(name, new BigDecimal(min))).get(name));
        assertEquals(high, ModelOptions.validate(one(name, new BigDecimal(max))).get(name));
        String range = "Model option \"" + name + "\" must be from " + (whole ? min : Double.toString(Double.parseDouble(min)))
                + " to " + (whole ? max : Double.toString(Double.parseDouble(max))) + "; ";
        Number under = whole ? (Number) Long.parseLong(below) : (Number) Double.parseDouble(below);
        Number over = whole ? (Number) Long.parseLong(above) : (Number) Double.parseDouble(above);
        assertEquals(range + under + " is out of range.", refused(one(name, under)));
        assertEquals(range + over + " is out of range.", refused(one(name, over)));
        assertEquals("Model option \"" + name + "\" takes a number" + (whole ? " (a whole one)" : "")
                + ", not the string \"1\".", refused(one(name, "1")));
        assertEquals("Model option \"" + name + "\" takes a number" + (whole ? " (a whole one)" : "") + ", not true.",
                refused(one(name, true)));
        assertEquals("Model option \"" + name + "\" takes a number" + (whole ? " (a whole one)" : "") + ", not null.",
                refused(one(name, null)));
        assertEquals("Model option \"" + name + "\" takes a number" + (whole ? " (a whole one)" : "") + ", not NaN.",
                refused(one(name, Double.NaN)));
        if (whole) {
            assertEquals("Model option \"" + name + "\" takes a whole number, not 0.5.", refused(one(name, 0.5)));
        } else {
            assertEquals(0.5, ModelOptions.validate(one(name, 0.5)).get(name));
        }
    }

    @Test
    void aWholeNumberMayBeWrittenWithADecimalPoint() {
        assertEquals(7L, ModelOptions.validate(Map.of("seed", 7.0)).get("seed"));
        assertEquals(4096L, ModelOptions.validate(Map.of("num_ctx", BigInteger.valueOf(4096))).get("num_ctx"));
    }

    @Test
    void anUnknownOptionIsRefusedWithTheListOfKnownOnes() {
        assertEquals("Unknown model option \"temprature\". Known options: temperature, top_p, min_p, top_k, seed, "
                + "num_predict, num_ctx, repeat_penalty, repeat_last_n, presence_penalty, frequency_penalty, stop.",
                refused(Map.of("temprature", 0.5)));
        assertEquals(true, refused(Map.of("num_gpu", 1)).startsWith("Unknown model option \"num_gpu\"."));
    }

    @Test
    void stopTakesAListOfUpTo16StringsOf1To200Characters() {
        List<String> sixteen = new ArrayList<>(Collections.nCopies(16, "x"));
        assertEquals(sixteen, ModelOptions.validate(Map.of("stop", sixteen)).get("stop"));
        assertEquals(List.of(), ModelOptions.validate(Map.of("stop", List.of())).get("stop"));
        assertEquals(List.of("y".repeat(200)), ModelOptions.validate(Map.of("stop", List.of("y".repeat(200)))).get("stop"));
        String tooMany = "Model option \"stop\" takes a list of at most 16 strings.";
        sixteen.add("x");
        assertEquals(tooMany, refused(Map.of("stop", sixteen)));
        assertEquals(tooMany, refused(Map.of("stop", "</s>")));
        assertEquals(tooMany, refused(one("stop", null)));
        assertEquals("Each \"stop\" sequence is a string of 1 to 200 characters, not the string \"\".",
                refused(Map.of("stop", List.of("ok", ""))));
        assertEquals("Each \"stop\" sequence is a string of 1 to 200 characters, not 3.",
                refused(Map.of("stop", List.of(3))));
        assertEquals("Each \"stop\" sequence is a string of 1 to 200 characters, not the string \"" + "z".repeat(201) + "\".",
                refused(Map.of("stop", List.of("z".repeat(201)))));
    }

    @Test
    void theValidatedStopListCannotBeChanged() {
        @SuppressWarnings("unchecked")
        List<String> stops = (List<String>) ModelOptions.validate(Map.of("stop", new ArrayList<>(List.of("a")))).get("stop");
        assertThrows(UnsupportedOperationException.class, () -> stops.add("b"));
    }

    @Test
    void thinkIsNullOrOneOfTheKnownValues() {
        assertNull(ModelOptions.validateThink(null));
        for (String think : List.of("true", "false", "low", "medium", "high")) {
            assertEquals(think, ModelOptions.validateThink(think));
        }
        NeutronException e = assertThrows(NeutronException.class, () -> ModelOptions.validateThink("max"));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        assertEquals("\"think\" is one of true, false, low, medium, high, or null for the default; not \"max\".",
                e.getMessage());
        assertThrows(NeutronException.class, () -> ModelOptions.validateThink("TRUE"));
        assertThrows(NeutronException.class, () -> ModelOptions.validateThink(""));
    }
}
