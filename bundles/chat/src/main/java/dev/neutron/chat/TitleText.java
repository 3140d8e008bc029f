package dev.neutron.chat;

import java.util.regex.Pattern;

/** The text rules of chat titles: the provisional one from a question, and the cleaning of one a model wrote. */
final class TitleText {
    /** The longest provisional title, in characters. */
    static final int MAX_PROVISIONAL_CHARS = 50;
    /** The longest title a model may give a chat, in characters. */
    static final int MAX_MODEL_TITLE_CHARS = 60;

    private static final Pattern BLANKS = Pattern.compile("\\s+");
    /** Markdown and similar markup around or inside a one-line title. */
    private static final Pattern MARKUP = Pattern.compile("[*_`#~]+|^\\s*(?:[-+>]|\\d+[.)])\\s+");
    /** A label before the title, as small models like to write ("Title: ...", "Chat title - ..."). */
    private static final Pattern LABEL = Pattern.compile("^(?:(?:chat|conversation|suggested|short)\\s+)?title\\s*[:\\-–—]\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final String QUOTES = "\"'“”‘’„«»‹›「」";
    private static final String TRAILING = ".:;,!-–— ";

    private TitleText() {
    }

    /** The first words of {@code question}, on one line, at most {@value #MAX_PROVISIONAL_CHARS} characters; "" for none. */
    static String provisional(String question) {
        String line = question == null ? "" : BLANKS.matcher(question).replaceAll(" ").strip();
        return cutAtWord(line, MAX_PROVISIONAL_CHARS);
    }

    /**
     * A title a model wrote, cleaned: its first line with text, without quotes, markup or a "Title:" label, at most
     * {@value #MAX_MODEL_TITLE_CHARS} characters (cut at a word); "" when nothing is left.
     */
    static String clean(String written) {
        if (written == null) {
            return "";
        }
        for (String line : written.split("\\R")) {
            String title = cleanLine(line);
            if (!title.isEmpty()) {
                return cutAtWord(title, MAX_MODEL_TITLE_CHARS);
            }
        }
        return "";
    }

    private static String cleanLine(String line) {
        String title = MARKUP.matcher(line).replaceAll("").strip();
        title = LABEL.matcher(title).replaceFirst("");
        title = stripChars(title, QUOTES + " ", QUOTES + TRAILING);
        title = LABEL.matcher(title).replaceFirst(""); // a label inside quotes: "Title: x"
        title = stripChars(title, QUOTES + " ", QUOTES + TRAILING);
        return BLANKS.matcher(title).replaceAll(" ");
    }

    private static String stripChars(String text, String leading, String trailing) {
        int start = 0;
        int end = text.length();
        while (start < end && leading.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && trailing.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(start, end);
    }

    /** {@code text} if it fits {@code max}, else its words up to the last space that fits (a long word is cut). */
    private static String cutAtWord(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int space = text.lastIndexOf(' ', max);
        String cut = space > 0 ? text.substring(0, space) : text.substring(0, max);
        if (Character.isHighSurrogate(cut.charAt(cut.length() - 1))) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return stripChars(cut, "", TRAILING);
    }
}
