package dev.neutron.store.codec;

import dev.neutron.api.ChatSession;

/** The title rule of every store. */
public final class SessionTitles {
    /** The title of a session that was given none. */
    public static final String UNTITLED = "New chat";

    private SessionTitles() {
    }

    /**
     * Whether a session created with this title has none, so it gets {@value #UNTITLED} and Neutron's own titles
     * ({@code ChatSession.autoTitle}): no title, or nothing left of it once cleaned.
     */
    public static boolean untitled(String title) {
        return title == null || title.replaceAll("\\p{Cntrl}", " ").isBlank();
    }

    /**
     * The title as a store keeps it: control characters (line breaks, tabs…) become spaces, outer whitespace goes, and
     * it is cut to {@link ChatSession#MAX_TITLE_CHARS} chars, never between the two halves of a surrogate pair. No
     * title, or nothing left of it, is {@value #UNTITLED}.
     */
    public static String clean(String title) {
        if (title == null) {
            return UNTITLED;
        }
        String clean = title.replaceAll("\\p{Cntrl}", " ").strip();
        if (clean.length() > ChatSession.MAX_TITLE_CHARS) {
            int end = ChatSession.MAX_TITLE_CHARS;
            clean = clean.substring(0, Character.isHighSurrogate(clean.charAt(end - 1)) ? end - 1 : end);
        }
        return clean.isEmpty() ? UNTITLED : clean;
    }
}
