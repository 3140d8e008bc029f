package dev.neutron.search.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * The terms a query looks for, so that a snippet can mark exactly the words that made a text match: a stem marks every
 * form of the word ("answered" for "answers"), a prefix every word it starts.
 */
final class MatchTerms {
    private final Set<String> stems = new HashSet<>();
    private final List<String> prefixes = new ArrayList<>();

    static MatchTerms of(List<QuerySyntax.Clause> clauses, Analyzers analyzers) {
        MatchTerms terms = new MatchTerms();
        for (QuerySyntax.Clause clause : clauses) {
            if (clause.excluded()) {
                continue;
            }
            if (clause.kind() == QuerySyntax.Kind.PREFIX) {
                terms.prefixes.add(analyzers.query.normalize(IndexFields.TEXT, clause.text()).utf8ToString());
            } else {
                tokens(analyzers.query, IndexFields.TEXT, clause.text(), (term, offsets) -> terms.stems.add(term));
            }
        }
        return terms;
    }

    boolean isEmpty() {
        return stems.isEmpty() && prefixes.isEmpty();
    }

    /** The {@code [start, end)} ranges of {@code text} that match, sorted, merged where they overlap. */
    List<int[]> find(String text, Analyzers analyzers) {
        List<int[]> found = new ArrayList<>();
        if (!isEmpty()) {
            tokens(analyzers.index, IndexFields.TEXT, text, (term, offsets) -> {
                if (stems.contains(term) || prefixes.stream().anyMatch(term::startsWith)) {
                    found.add(offsets);
                }
            });
        }
        found.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(b[1], a[1]));
        List<int[]> merged = new ArrayList<>();
        for (int[] range : found) {
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && range[0] <= last[1]) {
                last[1] = Math.max(last[1], range[1]);
            } else {
                merged.add(range.clone());
            }
        }
        return merged;
    }

    static void tokens(Analyzer analyzer, String field, String text, BiConsumer<String, int[]> consumer) {
        try (TokenStream stream = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                consumer.accept(term.toString(), new int[] {offset.startOffset(), offset.endOffset()});
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing text in memory failed", e);
        }
    }
}
