package dev.neutron.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatSettingsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-02T00:00:00Z");

    @Test
    void valuesSetInTheChatWinAndOptionsMergeKeyByKey() {
        ChatSettings chat = new ChatSettings("Be a pirate.", Map.of("temperature", 0.2, "seed", 7L), "false");
        ChatSettings defaults = new ChatSettings("Be brief.", Map.of("temperature", 0.9, "top_k", 40L), "high");
        assertEquals(new ChatSettings("Be a pirate.", Map.of("seed", 7L, "temperature", 0.2, "top_k", 40L), "false"),
                chat.over(defaults));
    }

    @Test
    void unsetValuesComeFromTheDefaults() {
        ChatSettings defaults = new ChatSettings("Be brief.", Map.of("top_k", 40L), "low");
        assertEquals(defaults, ChatSettings.NONE.over(defaults));
        assertEquals(new ChatSettings("Be brief.", Map.of("top_k", 40L, "seed", 1L), "low"),
                new ChatSettings(null, Map.of("seed", 1L), null).over(defaults));
        assertEquals(ChatSettings.NONE, ChatSettings.NONE.over(ChatSettings.NONE));
    }

    @Test
    void anEmptySystemPromptIsNoneAtAllAndNotTheDefault() {
        assertEquals("", new ChatSettings("", Map.of(), null).over(new ChatSettings("Be brief.", Map.of(), null))
                .systemPrompt());
    }

    @Test
    void optionsAreNeverNullSortedAndCannotBeChanged() {
        assertEquals(Map.of(), new ChatSettings(null, null, null).options());
        assertEquals(List.of("a", "b"), List.copyOf(new ChatSettings(null, Map.of("b", 1L, "a", 2L), null).options().keySet()));
        Map<String, Object> options = new ChatSettings(null, Map.of("seed", 1L), null).options();
        assertThrows(UnsupportedOperationException.class, () -> options.put("seed", 2L));
    }

    @Test
    void numbersReadFromJsonEqualTheValidatedOnes() {
        Map<String, Object> asJacksonReadsThem = new HashMap<>();
        asJacksonReadsThem.put("seed", 42); // Integer
        asJacksonReadsThem.put("temperature", 0.5);
        asJacksonReadsThem.put("stop", new ArrayList<>(List.of("</s>")));
        Map<String, Object> validated = ModelOptions.validate(Map.of("seed", 42, "temperature", 0.5, "stop", List.of("</s>")));
        assertEquals(new ChatSettings("p", validated, "true"), new ChatSettings("p", asJacksonReadsThem, "true"));
        assertEquals(42L, new ChatSettings(null, asJacksonReadsThem, null).options().get("seed"));
        assertEquals(new GenerationStats(1, 2, 3L, 4L, 5, 6, 7, "stop", validated, 8L),
                new GenerationStats(1, 2, 3L, 4L, 5, 6, 7, "stop", asJacksonReadsThem, 8L));
    }

    @Test
    void settingsGiveTheDefaultsOfEveryChatWithEmptyValuesUnset() {
        assertEquals(ChatSettings.NONE, Settings.EMPTY.chatDefaults());
        Settings settings = new Settings("", "", "Be brief.", Map.of("temperature", 0.3), " medium ", "", "");
        assertEquals(new ChatSettings("Be brief.", Map.of("temperature", 0.3), "medium"), settings.chatDefaults());
        assertEquals(ChatSettings.NONE, new Settings(null, null, null, null, null, null, null).chatDefaults());
        assertEquals(ChatSettings.NONE, new Settings("", "", "", Map.of(), "  ", "", "").chatDefaults());
    }

    @Test
    void titlesAreOnUnlessOff() {
        assertTrue(Settings.EMPTY.titlesOn());
        assertTrue(new Settings("", "", "", Map.of(), "", "on", "").titlesOn());
        assertTrue(new Settings("", "", "", Map.of(), "", null, "").titlesOn());
        assertFalse(new Settings("", "", "", Map.of(), "", "off", "").titlesOn());
        assertFalse(new Settings("", "", "", Map.of(), "", " off ", "").titlesOn());
    }

    @Test
    void normalisedSettingsHaveNoNullsAndStrippedNames() {
        assertEquals(new Settings("http://h:1", "m", " keep ", Map.of(), "high", "off", "t"),
                new Settings(" http://h:1 ", " m ", " keep ", null, " high ", " off ", " t ").normalised());
        assertEquals(new Settings("", "", "", Map.of(), "", "", ""),
                new Settings(null, null, null, null, null, null, null).normalised());
    }

    @Test
    void aSessionCarriesItsSettingsAndTitleOwnerThroughEveryChange() {
        ChatSettings mine = new ChatSettings("sp", Map.of("seed", 1L), "low");
        ChatSession auto = new ChatSession("chat_0123456789abcdef", "New chat", "m", T0, T0, 2, "leaf", mine, true);
        assertEquals(mine, auto.withModel("n", T1).settings());
        assertTrue(auto.withModel("n", T1).autoTitle());
        assertTrue(auto.withMessageAdded(T1).autoTitle());
        assertEquals(mine, auto.withMessageAdded(T1).settings());
        assertEquals(mine, auto.withActiveLeaf("x").settings());
        assertTrue(auto.withActiveLeaf("x").autoTitle());
        ChatSession retitled = auto.withAutoTitle("Pirate talk", T1);
        assertEquals("Pirate talk", retitled.title());
        assertTrue(retitled.autoTitle());
        assertEquals(T1, retitled.updatedAt());
        ChatSession named = auto.withTitle("Mine", T1);
        assertFalse(named.autoTitle());
        assertEquals(mine, named.settings());
        assertSame(named, named.withAutoTitle("Model's idea", T1));
        ChatSession reset = named.withSettings(ChatSettings.NONE, T1);
        assertEquals(ChatSettings.NONE, reset.settings());
        assertFalse(reset.autoTitle());
        assertEquals("Mine", reset.title());
    }

    @Test
    void sessionsAndMessagesMadeTheOldWayHaveNoSettingsNoAutoTitleNoThinking() {
        ChatSession old = new ChatSession("chat_0123456789abcdef", "t", null, T0, T0, 0);
        assertEquals(ChatSettings.NONE, old.settings());
        assertFalse(old.autoTitle());
        assertEquals(ChatSettings.NONE, new ChatSession("chat_0123456789abcdef", "t", null, T0, T0, 0, null, null, true)
                .settings());
        ChatMessage message = new ChatMessage("m", MessageRole.assistant, "a", null, T0, MessageStatus.complete, null, null,
                new GenerationStats(1, 2, 3L, 4L, 5, 6, 7, "stop"));
        assertNull(message.thinking());
        assertEquals(Map.of(), message.stats().options());
        assertNull(message.stats().thinkingMs());
        ChatMessage thought = new ChatMessage("m", MessageRole.assistant, "a", null, T0, MessageStatus.complete, null, null,
                null, null, "hmm");
        assertEquals("hmm", thought.withParentId("p").thinking());
    }

    @Test
    void patchesSayWhoseTitleItIs() {
        assertEquals(new SessionPatch("t", null, null, true), SessionPatch.autoTitle("t"));
        assertFalse(new SessionPatch("t", "m").autoTitle());
        assertNull(new SessionPatch("t", "m").settings());
        ChatSettings settings = new ChatSettings("p", Map.of(), null);
        assertEquals(new SessionPatch(null, null, settings, false), SessionPatch.settings(settings));
        assertNull(new NewSession("t", "m").settings());
    }
}
