package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContextWindowTest {

    private static List<PromptMessage> turns(int count, int charsEach) {
        List<PromptMessage> turns = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            turns.add(new PromptMessage(i % 2 == 0 ? "user" : "assistant", i + ":" + "x".repeat(charsEach)));
        }
        return turns;
    }

    @Test
    void keepsEverythingWhenHistoryFits() {
        List<PromptMessage> history = turns(5, 30);
        ContextWindow.Fit fit = ContextWindow.fit(List.of(), history, 10_000);
        assertEquals(0, fit.droppedMessages());
        assertEquals(history, fit.messages());
    }

    @Test
    void truncatesOldestTurnsFirstWhenHistoryExceedsWindow() {
        List<PromptMessage> history = turns(21, 300); // ~104 tokens each
        List<PromptMessage> system = List.of(new PromptMessage("system", "be brief"));
        ContextWindow.Fit fit = ContextWindow.fit(system, history, 1000);
        assertTrue(fit.droppedMessages() > 0);
        assertEquals("system", fit.messages().get(0).role());
        assertEquals(history.get(history.size() - 1), fit.messages().get(fit.messages().size() - 1));
        List<PromptMessage> kept = fit.messages().subList(1, fit.messages().size());
        assertEquals(history.subList(fit.droppedMessages(), history.size()), kept);
        assertTrue(fit.estimatedTokens() <= 1000, "estimate " + fit.estimatedTokens());
        assertEquals("user", kept.get(0).role(), "kept history must not start with an assistant turn");
    }

    @Test
    void alwaysKeepsTheNewestMessageEvenWhenItAloneIsTooLarge() {
        List<PromptMessage> history = List.of(new PromptMessage("user", "old"), new PromptMessage("user", "y".repeat(9000)));
        ContextWindow.Fit fit = ContextWindow.fit(List.of(), history, 100);
        assertEquals(1, fit.droppedMessages());
        assertEquals(history.get(1), fit.messages().get(0));
    }

    @ParameterizedTest
    @CsvSource({"100,8192,4096", "4096,8192,4096", "4097,8192,8192", "9000,8192,8192", "70000,200000,131072",
        "150000,200000,200000", "100,2048,2048"})
    void sizesTheWindowToThePromptInPowerOfTwoSteps(int needed, int limit, int expected) {
        assertEquals(expected, ContextWindow.size(needed, limit));
    }

    @ParameterizedTest
    @CsvSource({"'',0", "abc,1", "abcdef,2", "héllo,3", "日本語,3"})
    void estimatesTokensPessimistically(String text, int expected) {
        assertEquals(expected, ContextWindow.estimateTokens(text));
    }
}
