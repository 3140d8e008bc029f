package dev.neutron.search.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.search.SearchHit;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnippetsTest {
    private final Analyzers analyzers = new Analyzers();

    private SearchHit.Snippet snippet(String query, String text) {
        MatchTerms terms = MatchTerms.of(QuerySyntax.parse(query), analyzers);
        return Snippets.of(text, terms.find(text, analyzers));
    }

    private static List<String> marked(SearchHit.Snippet snippet) {
        return snippet.highlights().stream().map(r -> snippet.text().substring(r[0], r[1])).toList();
    }

    @Test
    void marksEveryFormOfAStemmedWordAndKeepsAShortTextWhole() {
        SearchHit.Snippet snippet = snippet("answers", "She Answered; the answer was in two answers.");
        assertEquals("She Answered; the answer was in two answers.", snippet.text());
        assertEquals(List.of("Answered", "answer", "answers"), marked(snippet));
        assertArrayEquals(new int[] {4, 12}, snippet.highlights().get(0));
    }

    @Test
    void marksWordsThatAPrefixStartsAndPhraseWords() {
        assertEquals(List.of("JavaScript", "java"), marked(snippet("java*", "JavaScript is not java, nor Kotlin.")));
        assertEquals(List.of("consumer", "group"), marked(snippet("\"consumer group\"", "A consumer group reads.")));
    }

    @Test
    void cutsALongTextAroundTheFirstMatchOnOneLine() {
        String text = "word ".repeat(100) + "the\n\n  needle   is here " + "tail ".repeat(100);
        SearchHit.Snippet snippet = snippet("needle", text);
        assertTrue(snippet.text().startsWith(Snippets.ELLIPSIS + "word "), snippet.text());
        assertTrue(snippet.text().endsWith(Snippets.ELLIPSIS), snippet.text());
        assertTrue(snippet.text().contains("word the needle is here tail"), snippet.text());
        assertTrue(snippet.text().length() <= Snippets.LENGTH + 2, snippet.text());
        assertEquals(List.of("needle"), marked(snippet));
    }

    @Test
    void startsAtTheBeginningWhenNothingIsMarked() {
        SearchHit.Snippet snippet = snippet("zzz", "a\tb  c");
        assertEquals("a b c", snippet.text());
        assertEquals(List.of(), snippet.highlights());
    }

    @Test
    void findsWordsOfAnyLanguageByCaseFolding() {
        assertEquals(List.of("ПРИВЕТ", "Straße"), marked(snippet("привет straße", "ПРИВЕТ aus der Straße")));
    }
}
