package dev.neutron.search.index;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque {@code nextCursor}: where the next page starts in the ranking. */
final class Cursor {
    /** Pages reach this deep at most: a search that needs more should be narrowed. */
    static final int MAX_OFFSET = 1_000;
    private static final String PREFIX = "o";

    private Cursor() {
    }

    static String encode(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    static int decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                int offset = Integer.parseInt(text.substring(PREFIX.length()));
                if (offset >= 0 && offset <= MAX_OFFSET) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // not one of ours: refused below
        }
        throw QuerySyntax.invalid("The cursor '" + cursor + "' is not one this server gave out: pass the nextCursor "
                + "of the previous page, or no cursor for the first page.");
    }
}
