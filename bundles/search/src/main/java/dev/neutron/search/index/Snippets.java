package dev.neutron.search.index;

import dev.neutron.search.SearchHit;
import java.util.ArrayList;
import java.util.List;

/**
 * A short piece of a matched text around its first match, on one line (runs of white space become one space), with
 * an ellipsis where it was cut, and the matches as offsets into the piece.
 */
final class Snippets {
    static final int LENGTH = 240;
    static final int CONTEXT_BEFORE = 60;
    static final String ELLIPSIS = "…";

    private Snippets() {
    }

    static SearchHit.Snippet of(String text, List<int[]> matches) {
        int length = text.length();
        int start = 0;
        if (!matches.isEmpty() && matches.get(0)[0] > CONTEXT_BEFORE) {
            int first = matches.get(0)[0];
            start = first - CONTEXT_BEFORE;
            int space = indexOfWhitespace(text, start, first);
            start = space < 0 ? start : space + 1;
        }
        int end = Math.min(length, start + LENGTH);
        if (!matches.isEmpty()) {
            end = Math.max(end, Math.min(length, matches.get(0)[1]));
        }
        if (end < length) {
            int space = lastIndexOfWhitespace(text, start, end);
            int mustKeep = matches.isEmpty() ? start : matches.get(0)[1];
            end = space > mustKeep ? space : end;
        }
        StringBuilder out = new StringBuilder(end - start + 2);
        if (start > 0) {
            out.append(ELLIPSIS);
        }
        int[] position = new int[end - start + 1];
        boolean wroteText = false;
        for (int i = start; i < end; i++) {
            position[i - start] = out.length();
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (wroteText && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
            } else {
                out.append(c);
                wroteText = true;
            }
        }
        position[end - start] = out.length();
        List<int[]> highlights = new ArrayList<>();
        for (int[] match : matches) {
            if (match[0] >= start && match[1] <= end) {
                highlights.add(new int[] {position[match[0] - start], position[match[1] - start]});
            }
        }
        while (out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
        if (end < length) {
            out.append(ELLIPSIS);
        }
        return new SearchHit.Snippet(out.toString(), highlights);
    }

    private static int indexOfWhitespace(String text, int from, int before) {
        for (int i = from; i < before; i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOfWhitespace(String text, int after, int end) {
        for (int i = end; i > after; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
