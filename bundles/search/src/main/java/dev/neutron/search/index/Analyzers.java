package dev.neutron.search.index;

import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

/**
 * The two ways text is indexed: {@link IndexFields#STEMMED} through English stemming ("answers" finds "answer"), and
 * {@link IndexFields#WORDS} through Unicode word splitting and case folding only, so that any language is found by its
 * words. Both split words the same way (StandardTokenizer), so their tokens have the same offsets.
 */
final class Analyzers {
    final Analyzer english = new EnglishAnalyzer();
    final Analyzer words = new StandardAnalyzer();
    final Analyzer perField = new PerFieldAnalyzerWrapper(words, Map.of(IndexFields.STEMMED, english));
}
