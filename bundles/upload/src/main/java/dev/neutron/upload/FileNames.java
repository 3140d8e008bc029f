package dev.neutron.upload;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Turns a client's file name into a display name that is safe to show and to use as the tail of a server-chosen file
 * name. The result never contains a path separator, a control, bidi or zero-width character, never starts with a dot,
 * and is at most {@value #MAX_CODE_POINTS} code points and {@value #MAX_UTF8_BYTES} UTF-8 bytes long.
 */
final class FileNames {
    static final String FALLBACK = "file";
    static final int MAX_CODE_POINTS = 100;
    /** Keeps {@code <sessionId>_<attachmentId>_<name>} under the 255-byte name limit of common file systems. */
    static final int MAX_UTF8_BYTES = 150;
    private static final int MAX_EXTENSION_CODE_POINTS = 16;

    private FileNames() {
    }

    static String sanitise(String clientName) {
        if (clientName == null) {
            return FALLBACK;
        }
        // NFKC folds look-alikes (fullwidth ．／＼, ligatures) into the characters they stand for, so the path
        // is stripped after it; invisible characters are removed before and after, as NFKC may expose new ones.
        String name = Normalizer.normalize(removeInvisible(clientName), Normalizer.Form.NFKC);
        name = removeInvisible(name);
        int lastSeparator = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(lastSeparator + 1);
        name = collapseRuns(allowListed(name));
        name = trim(name);
        name = cap(name);
        return name.isEmpty() ? FALLBACK : name;
    }

    /** The lower-case extension without the dot, or "" when there is none. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Drops controls (NUL, tab, newline, C1) and format characters: bidi embeddings, overrides and isolates, zero-width ones, BOM, soft hyphen. */
    private static String removeInvisible(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (type != Character.CONTROL && type != Character.FORMAT) {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Letters, digits and combining marks (any script), '.', '-', '_' and space stay; everything else becomes '_'. */
    private static String allowListed(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean keep = Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK
                    || type == Character.COMBINING_SPACING_MARK
                    || cp == '.' || cp == '-' || cp == '_' || cp == ' ';
            out.appendCodePoint(keep ? cp : '_');
        });
        return out.toString();
    }

    /** "a!!b" → "a_b", "a..b" → "a.b", "a   b" → "a b". */
    private static String collapseRuns(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean separator = c == '.' || c == '-' || c == '_' || c == ' ';
            if (separator && out.length() > 0 && out.charAt(out.length() - 1) == c) {
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** No leading dot (hidden file, "..") or dash (option-like), no leading or trailing space, no trailing dot. */
    private static String trim(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && (name.charAt(start) == '.' || name.charAt(start) == '-' || name.charAt(start) == ' ')) {
            start++;
        }
        while (end > start && (name.charAt(end - 1) == '.' || name.charAt(end - 1) == ' ')) {
            end--;
        }
        return name.substring(start, end);
    }

    /** Shortens the base name so that the whole fits both limits; a short extension survives. */
    private static String cap(String name) {
        if (fits(name)) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = "";
        String base = name;
        if (dot > 0 && name.codePointCount(dot + 1, name.length()) <= MAX_EXTENSION_CODE_POINTS) {
            extension = name.substring(dot);
            base = name.substring(0, dot);
        }
        int budgetCodePoints = MAX_CODE_POINTS - extension.codePointCount(0, extension.length());
        int budgetBytes = MAX_UTF8_BYTES - utf8Length(extension);
        StringBuilder kept = new StringBuilder();
        int codePoints = 0;
        int bytes = 0;
        for (int i = 0; i < base.length(); ) {
            int cp = base.codePointAt(i);
            int cpBytes = utf8Length(cp);
            if (codePoints + 1 > budgetCodePoints || bytes + cpBytes > budgetBytes) {
                break;
            }
            kept.appendCodePoint(cp);
            codePoints++;
            bytes += cpBytes;
            i += Character.charCount(cp);
        }
        String shortened = trim(kept.toString());
        return (shortened.isEmpty() ? FALLBACK : shortened) + extension;
    }

    private static boolean fits(String name) {
        return name.codePointCount(0, name.length()) <= MAX_CODE_POINTS && utf8Length(name) <= MAX_UTF8_BYTES;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
}
