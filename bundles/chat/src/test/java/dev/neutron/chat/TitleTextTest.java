package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TitleTextTest {

    static Stream<Arguments> questions() {
        return Stream.of(
                Arguments.of("a short question stays as it is", "What is 2+2?", "What is 2+2?"),
                Arguments.of("blanks and lines collapse", "  Plan a\n\ntrip   to\tRome  ", "Plan a trip to Rome"),
                Arguments.of("a long one is cut at a word",
                        "Explain how the immune system recognises viruses and what vaccines do to it",
                        "Explain how the immune system recognises viruses"),
                Arguments.of("a cut drops the punctuation before it",
                        "Tell me, in detail, everything about the history of the Roman Empire, please",
                        "Tell me, in detail, everything about the history"),
                Arguments.of("one long word is cut at the limit", "x".repeat(70), "x".repeat(50)),
                Arguments.of("nothing but blanks gives nothing", " \n ", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("questions")
    void provisional(String why, String question, String expected) {
        assertEquals(expected, TitleText.provisional(question));
        assertEquals(true, TitleText.provisional(question).length() <= TitleText.MAX_PROVISIONAL_CHARS);
    }

    static Stream<Arguments> written() {
        return Stream.of(
                Arguments.of("a plain title", "Capital of France", "Capital of France"),
                Arguments.of("quotes", "\"Capital of France\"", "Capital of France"),
                Arguments.of("curly quotes and a full stop", "“Capital of France.”", "Capital of France"),
                Arguments.of("a label", "Title: Capital of France", "Capital of France"),
                Arguments.of("a bold label in markdown", "**Title:** *Capital of France*", "Capital of France"),
                Arguments.of("a heading", "# Capital of France", "Capital of France"),
                Arguments.of("a label inside quotes", "\"Title: Capital of France\"", "Capital of France"),
                Arguments.of("the first line with text", "\n\nCapital of France\nThis title sums up the chat.",
                        "Capital of France"),
                Arguments.of("a list item", "- Capital of France", "Capital of France"),
                Arguments.of("inline code marks", "The `ls` command", "The ls command"),
                Arguments.of("too long: cut at a word",
                        "A very long title that a small model wrote about many things at once, without end",
                        "A very long title that a small model wrote about many things"),
                Arguments.of("only markup gives nothing", "** \"\" **", ""),
                Arguments.of("nothing", "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("written")
    void clean(String why, String raw, String expected) {
        assertEquals(expected, TitleText.clean(raw));
    }
}
