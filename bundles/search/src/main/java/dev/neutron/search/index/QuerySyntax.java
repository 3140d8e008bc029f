package dev.neutron.search.index;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.util.ArrayList;
import java.util.List;

/**
 * The query language users type: words (all must occur), {@code "a phrase"}, {@code prefix*} and {@code -excluded}
 * (a word or phrase that must not occur). Anything else is searched as text, so "c++ what?" is a valid query; only
 * the few mistakes below are refused, each with a message that says how to fix it.
 */
public final class QuerySyntax {
    public static final int MAX_CHARS = 500;
    public static final int MAX_CLAUSES = 32;
    static final int MIN_PREFIX = 2;

    public enum Kind { WORD, PHRASE, PREFIX }

    public record Clause(Kind kind, String text, boolean excluded) {
    }

    private QuerySyntax() {
    }

    public static List<Clause> parse(String query) {
        if (query == null || query.isBlank()) {
            throw invalid("The search query is empty: give the words to look for in the parameter q.");
        }
        if (query.length() > MAX_CHARS) {
            throw invalid("The search query is " + query.length() + " characters long; the longest allowed is "
                    + MAX_CHARS + ".");
        }
        List<Clause> clauses = new ArrayList<>();
        int i = 0;
        int n = query.length();
        while (i < n) {
            if (Character.isWhitespace(query.charAt(i))) {
                i++;
                continue;
            }
            boolean excluded = query.charAt(i) == '-' && i + 1 < n && !Character.isWhitespace(query.charAt(i + 1));
            int start = excluded ? i + 1 : i;
            if (query.charAt(start) == '"') {
                int close = query.indexOf('"', start + 1);
                if (close < 0) {
                    throw invalid("The search query has an unclosed quote (\"): end the phrase with a second \" or "
                            + "remove the quote.");
                }
                String phrase = query.substring(start + 1, close);
                if (phrase.indexOf('*') >= 0) {
                    throw invalid("A * does not work inside a phrase (\"" + phrase + "\"): search the phrase without "
                            + "it, or put the prefix outside the quotes.");
                }
                if (!phrase.isBlank()) {
                    clauses.add(new Clause(Kind.PHRASE, phrase, excluded));
                }
                i = close + 1;
                continue;
            }
            int end = start;
            while (end < n && !Character.isWhitespace(query.charAt(end)) && query.charAt(end) != '"') {
                end++;
            }
            String word = query.substring(start, end);
            clauses.add(word(word, excluded));
            i = end;
        }
        if (clauses.size() > MAX_CLAUSES) {
            throw invalid("The search query has " + clauses.size() + " words or phrases; at most " + MAX_CLAUSES
                    + " are allowed.");
        }
        if (clauses.stream().allMatch(Clause::excluded)) {
            throw invalid("The search query only excludes words (-word): add at least one word to find.");
        }
        return List.copyOf(clauses);
    }

    private static Clause word(String word, boolean excluded) {
        int star = word.indexOf('*');
        if (star < 0) {
            return new Clause(Kind.WORD, word, excluded);
        }
        String prefix = word.substring(0, word.length() - 1);
        if (star != word.length() - 1 || prefix.codePointCount(0, prefix.length()) < MIN_PREFIX) {
            throw invalid("'" + word + "' is not a valid prefix: a * may only end a word of at least " + MIN_PREFIX
                    + " letters, as in java*.");
        }
        return new Clause(Kind.PREFIX, prefix, excluded);
    }

    static NeutronException invalid(String message) {
        return new NeutronException(ErrorCode.INVALID_REQUEST, message);
    }
}
