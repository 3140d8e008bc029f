package dev.neutron.search.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.KeywordRepeatFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Text is split into Unicode words (any language) and case-folded. The index keeps each word twice at the same
 * position, as written (for prefixes and any language) and stemmed for English ("answers" → "answer"); queries look
 * for the stem, which every word has. One field, analysed once.
 */
final class Analyzers {
    /** For indexing, and for finding the matched words of a text: each word as written and, where it differs, its stem. */
    final Analyzer index = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String field) {
            StandardTokenizer source = new StandardTokenizer();
            TokenStream words = new KeywordRepeatFilter(new LowerCaseFilter(new EnglishPossessiveFilter(source)));
            return new TokenStreamComponents(source, new RemoveDuplicatesTokenFilter(new PorterStemFilter(words)));
        }

        @Override
        protected TokenStream normalize(String field, TokenStream in) {
            return new LowerCaseFilter(in);
        }
    };

    /** For the words and phrases of a query: stems only. */
    final Analyzer query = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String field) {
            StandardTokenizer source = new StandardTokenizer();
            return new TokenStreamComponents(source,
                    new PorterStemFilter(new LowerCaseFilter(new EnglishPossessiveFilter(source))));
        }

        @Override
        protected TokenStream normalize(String field, TokenStream in) {
            return new LowerCaseFilter(in);
        }
    };
}
