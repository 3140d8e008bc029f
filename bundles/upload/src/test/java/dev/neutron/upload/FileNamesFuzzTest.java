package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of {@link FileNames#sanitise}: whatever name a client sends, the result is a safe tail of a
 * file name in the uploads directory. Regression inputs (one file name per file, UTF-8):
 * {@code FileNamesFuzzTestInputs/}.
 */
class FileNamesFuzzTest {
    private static final Path UPLOADS = Path.of("/data/uploads");

    @FuzzTest
    void sanitisedNamesStaySafeFileNameTails(byte[] input) {
        // a multipart file name arrives as bytes decoded by the container: every code point, no lone surrogates
        String client = new String(input, StandardCharsets.UTF_8);
        String name = FileNames.sanitise(client);

        assertFalse(name.isEmpty(), "empty name for " + escaped(client));
        assertFalse(name.contains("/") || name.contains("\\"), "separator in " + escaped(name));
        assertFalse(name.contains(".."), "'..' in " + escaped(name));
        assertFalse(name.startsWith(".") || name.startsWith("-") || name.startsWith(" "), "bad start: " + escaped(name));
        assertFalse(name.endsWith(".") || name.endsWith(" "), "bad end: " + escaped(name));
        name.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            assertFalse(type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE,
                    "invisible U+" + Integer.toHexString(cp) + " in " + escaped(name));
        });
        assertTrue(name.codePointCount(0, name.length()) <= FileNames.MAX_CODE_POINTS, escaped(name));
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= FileNames.MAX_UTF8_BYTES, escaped(name));

        Path stored = UPLOADS.resolve("chat_0123456789abcdef_att_1_" + name).normalize();
        assertEquals(UPLOADS, stored.getParent(), "escapes the directory: " + escaped(name));
        assertEquals(name, FileNames.sanitise(name), "sanitising again changes " + escaped(name));
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format("\\u{%x}", cp));
            }
        });
        return out.append('"').toString();
    }
}
