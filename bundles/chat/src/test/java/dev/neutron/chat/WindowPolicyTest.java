package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.GenerationStats;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The window asked of a model changes (and reloads it) only when a prompt no longer fits. */
class WindowPolicyTest {

    static Stream<Arguments> windows() {
        return Stream.of(
                Arguments.of("a first small prompt: the smallest step", 3_000, 32_768, null, 0, 4_096),
                Arguments.of("a first larger prompt: the next power of two", 5_000, 32_768, null, 0, 8_192),
                Arguments.of("the loaded window fits: reused, not shrunk", 3_000, 32_768, 16_384, 0, 16_384),
                Arguments.of("the loaded window is too small: grows by steps", 5_000, 32_768, 4_096, 0, 8_192),
                Arguments.of("never below the chat's earlier window", 3_000, 32_768, null, 16_384, 16_384),
                Arguments.of("a smaller loaded window that fits beats the chat's floor", 3_000, 32_768, 4_096, 16_384, 4_096),
                Arguments.of("a loaded window above the model's limit is not reused", 3_000, 8_192, 16_384, 0, 4_096),
                Arguments.of("the chat's floor is capped by the model's limit", 3_000, 8_192, null, 16_384, 8_192),
                Arguments.of("growing past the chat's floor", 20_000, 32_768, 16_384, 16_384, 32_768));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void choosesTheWindow(String why, int needed, int limit, Integer loaded, int floor, int expected) {
        assertEquals(expected, WindowPolicy.choose(needed, limit, loaded, floor));
    }

    @Test
    void theChatsFloorIsItsLargestWindowWithThisModel() {
        List<ChatMessage> history = List.of(message(MessageRole.user, "m", null), message(MessageRole.assistant, "m", 8_192),
                message(MessageRole.assistant, "other", 65_536), message(MessageRole.assistant, "m", 4_096),
                message(MessageRole.assistant, "m", null));

        assertEquals(8_192, WindowPolicy.chatFloor(history, "m"));
        assertEquals(0, WindowPolicy.chatFloor(history, "new"));
    }

    @Test
    void aReloadIsAChangeOfTheModelsWindow() {
        LoadedWindows loaded = new LoadedWindows();

        assertEquals(false, loaded.ask("ollama", "m", 4_096), "first request: nothing to reload");
        assertEquals(false, loaded.ask("ollama", "m", 4_096));
        assertEquals(true, loaded.ask("ollama", "m", 8_192));
        assertEquals(false, loaded.ask("ollama", "n", 4_096), "each model is loaded on its own");
        assertEquals(8_192, loaded.of("ollama", "m"));
    }

    private static ChatMessage message(MessageRole role, String model, Integer window) {
        GenerationStats stats = window == null ? null
                : new GenerationStats(1, 1, 1L, 1L, window, 1, 0, "stop", Map.of(), null, false);
        return new ChatMessage("msg_" + System.nanoTime(), role, "text", model, Instant.EPOCH, MessageStatus.complete,
                List.of(), null, stats, null, null);
    }
}
