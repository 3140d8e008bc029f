package dev.neutron.store.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.MessageRole;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConversationTreeTest {

    /** "id" is a message without a parent field (legacy, or the first); "id<parent" names its parent. */
    private static List<ChatMessage> stored(String... specs) {
        List<ChatMessage> messages = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.split("<", 2);
            messages.add(new ChatMessage(parts[0], MessageRole.user, "text of " + parts[0], null, null, null, List.of(),
                    null, null, parts.length == 2 ? parts[1] : null));
        }
        return messages;
    }

    private static List<String> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    private static List<String> specs(List<ChatMessage> messages) {
        return messages.stream().map(m -> m.parentId() == null ? m.id() : m.id() + "<" + m.parentId()).toList();
    }

    static Stream<Arguments> parents() {
        return Stream.of(
                Arguments.of("empty", List.of(), List.of()),
                Arguments.of("one message is the root", List.of("a"), List.of("a")),
                Arguments.of("legacy straight chat: each follows the one before", List.of("a", "b", "c"),
                        List.of("a", "b<a", "c<b")),
                Arguments.of("new records keep their parents", List.of("a", "b<a", "c<a", "d<b"),
                        List.of("a", "b<a", "c<a", "d<b")),
                Arguments.of("legacy prefix continued with a branch", List.of("a", "b", "c", "d<a", "e<d"),
                        List.of("a", "b<a", "c<b", "d<a", "e<d")),
                Arguments.of("legacy line after tree lines follows the line before", List.of("a", "b<a", "c<a", "d"),
                        List.of("a", "b<a", "c<a", "d<c")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parents")
    void setsParentsOfLegacyRecordsOnly(String name, List<String> in, List<String> expected) {
        assertEquals(expected, specs(ConversationTree.withParents(stored(in.toArray(String[]::new)))));
    }

    static Stream<Arguments> activePaths() {
        return Stream.of(
                Arguments.of("no messages", List.of(), null, List.of()),
                Arguments.of("legacy chat, no leaf stored: all of it", List.of("a", "b", "c"), null, List.of("a", "b", "c")),
                Arguments.of("branch from the middle, leaf on it", List.of("a", "b<a", "c<b", "d<a", "e<d"), "e",
                        List.of("a", "d", "e")),
                Arguments.of("branch from the middle, leaf on the old branch", List.of("a", "b<a", "c<b", "d<a", "e<d"), "c",
                        List.of("a", "b", "c")),
                Arguments.of("leaf in the middle of a branch", List.of("a", "b<a", "c<b"), "b", List.of("a", "b")),
                Arguments.of("no leaf stored: the last appended", List.of("a", "b<a", "c<b", "d<a"), null, List.of("a", "d")),
                Arguments.of("stored leaf lags (crash): still valid and kept", List.of("a", "b<a", "c<b"), "b", List.of("a", "b")),
                Arguments.of("stored leaf names no message: the last appended", List.of("a", "b<a", "c<a"), "zz",
                        List.of("a", "c")),
                Arguments.of("legacy chat continued on a branch", List.of("a", "b", "c", "d<b"), "d", List.of("a", "b", "d")),
                Arguments.of("a parent that is missing ends the walk", List.of("a", "x<gone", "y<x"), "y", List.of("x", "y")),
                Arguments.of("a loop ends the walk", List.of("a", "p<q", "q<p"), "q", List.of("p", "q")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activePaths")
    void activePathIsTheWalkFromTheLeafToTheRoot(String name, List<String> in, String storedLeaf, List<String> expected) {
        assertEquals(expected, ids(ConversationTree.activePath(stored(in.toArray(String[]::new)), storedLeaf)));
    }

    static Stream<Arguments> leaves() {
        return Stream.of(
                Arguments.of(List.of(), "a", null),
                Arguments.of(List.of("a", "b"), null, "b"),
                Arguments.of(List.of("a", "b", "c<a"), "b", "b"),
                Arguments.of(List.of("a", "b", "c<a"), "nope", "c"));
    }

    @ParameterizedTest(name = "{0} with {1} stored -> {2}")
    @MethodSource("leaves")
    void activeLeafIsTheStoredOneWhenItExists(List<String> in, String storedLeaf, String expected) {
        assertEquals(expected, ConversationTree.activeLeaf(stored(in.toArray(String[]::new)), storedLeaf));
    }
}
