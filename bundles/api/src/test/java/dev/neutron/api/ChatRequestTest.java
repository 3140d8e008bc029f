package dev.neutron.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRequestTest {
    private static final List<PromptMessage> HI = List.of(new PromptMessage("user", "Hi"));

    @Test
    void contextWindowAndAnswerBudgetAreTheEffectiveNumCtxAndNumPredict() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("temperature", 0.0);
        options.put("num_ctx", 2048);
        options.put("num_predict", 100);
        options.put("stop", List.of("END"));

        ChatRequest request = new ChatRequest("m", HI, 8192, 64, options, "true");

        assertEquals("{temperature=0.0, num_ctx=8192, num_predict=64, stop=[END]}", request.effectiveOptions().toString());
        assertEquals(options, request.options());
    }

    @Test
    void optionsStandWhereNoWindowOrBudgetIsSet() {
        ChatRequest request = new ChatRequest("m", HI, 0, 0, Map.of("num_ctx", 2048, "num_predict", 3), null);

        assertEquals(Map.of("num_ctx", 2048, "num_predict", 3), request.effectiveOptions());
    }

    @Test
    void nullOptionValuesAreLeftOut() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("seed", 42);
        options.put("top_k", null);

        assertEquals(Map.of("seed", 42), new ChatRequest("m", HI, 0, 0, options, null).options());
        assertEquals(Map.of(), new ChatRequest("m", HI, 0, 0, null, null).options());
    }

    @Test
    void olderConstructorsSendNoOptionsAndSayNothingAboutThinking() {
        ChatRequest request = new ChatRequest("m", HI, 4096);

        assertEquals(Map.of(), request.options());
        assertNull(request.think());
        assertEquals(Map.of("num_ctx", 4096), request.effectiveOptions());
    }
}
