package dev.neutron.store.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neutron.api.ChatSession;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SessionTitlesTest {
    static Stream<Arguments> titles() {
        return Stream.of(
                Arguments.of(null, "New chat"),
                Arguments.of("", "New chat"),
                Arguments.of(" \t\n ", "New chat"),
                Arguments.of("\u0007\u0000", "New chat"),
                Arguments.of("Trip plans", "Trip plans"),
                Arguments.of("  padded  ", "padded"),
                Arguments.of("line\nbreak\tand\u0007bell", "line break and bell"),
                Arguments.of("del\u007fete", "del ete"),
                Arguments.of("Заметки 📝 日本語", "Заметки 📝 日本語"),
                Arguments.of("t".repeat(ChatSession.MAX_TITLE_CHARS), "t".repeat(200)),
                Arguments.of("t".repeat(10_000), "t".repeat(200)),
                Arguments.of("   " + "t".repeat(201), "t".repeat(200)),
                Arguments.of("a".repeat(199) + "😀", "a".repeat(199)),
                Arguments.of("a".repeat(198) + "😀", "a".repeat(198) + "😀"));
    }

    @ParameterizedTest
    @MethodSource("titles")
    void cleansControlCharactersWhitespaceAndLength(String given, String kept) {
        assertEquals(kept, SessionTitles.clean(given));
    }

    @Test
    void aTitleIsMissingWhenNothingIsLeftOfItOnceCleaned() {
        assertEquals(true, SessionTitles.untitled(null));
        assertEquals(true, SessionTitles.untitled(""));
        assertEquals(true, SessionTitles.untitled(" \t\n\u0007 "));
        assertEquals(false, SessionTitles.untitled("New chat"));
        assertEquals(false, SessionTitles.untitled(" x "));
    }
}
