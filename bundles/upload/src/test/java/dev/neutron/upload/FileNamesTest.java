package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FileNamesTest {

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("report.pdf", "report.pdf"),
                Arguments.of("My Notes v2.md", "My Notes v2.md"),
                Arguments.of("../../x", "x"),
                Arguments.of("../../../etc/passwd", "passwd"),
                Arguments.of("/etc/passwd", "passwd"),
                Arguments.of("C:\\Windows\\x.txt", "x.txt"),
                Arguments.of("..\\..\\boot.ini", "boot.ini"),
                Arguments.of("dir/", "file"),
                Arguments.of("a\u0000b.txt", "ab.txt"),
                Arguments.of("nul\u0000/../../x.txt", "x.txt"),
                Arguments.of("tab\tand\nnewline\r.txt", "tabandnewline.txt"),
                Arguments.of("evil\u202Etxt.exe", "eviltxt.exe"),
                Arguments.of("\u2066iso\u2069late\u202A\u202B\u202C\u202D.txt", "isolate.txt"),
                Arguments.of("zero\u200Bwidth\u200C\u200D\uFEFF.txt", "zerowidth.txt"),
                Arguments.of("\uFF0E\uFF0E\uFF0F\uFF0E\uFF0E\uFF0Fsecret.txt", "secret.txt"),
                Arguments.of("\uFF0E\uFF0E\uFF3C\uFF0E\uFF0E\uFF3Cwin.txt", "win.txt"),
                Arguments.of("\uFF46\uFF55\uFF4C\uFF4C\uFF57\uFF49\uFF44\uFF54\uFF48.txt", "fullwidth.txt"),
                Arguments.of("\uFB01le.txt", "file.txt"),
                Arguments.of("r\u00E9sum\u00E9.pdf", "r\u00E9sum\u00E9.pdf"),
                Arguments.of("re\u0301sume\u0301.pdf", "r\u00E9sum\u00E9.pdf"),
                Arguments.of("\u65E5\u672C\u8A9E.md", "\u65E5\u672C\u8A9E.md"),
                Arguments.of("a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt"),
                Arguments.of("my  file!!.txt", "my file_.txt"),
                Arguments.of("a...b.txt", "a.b.txt"),
                Arguments.of(".bashrc", "bashrc"),
                Arguments.of("...", "file"),
                Arguments.of("..", "file"),
                Arguments.of(".", "file"),
                Arguments.of("-rf.txt", "rf.txt"),
                Arguments.of("name.txt.", "name.txt"),
                Arguments.of("  spaced  .txt  ", "spaced .txt"),
                Arguments.of("$(rm -rf ~).sh", "_rm -rf _.sh"),
                Arguments.of("", "file"),
                Arguments.of("   ", "file"),
                Arguments.of("\u0000\u0001\u001F", "file"),
                Arguments.of("\u202E", "file"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("names")
    void sanitisesClientNamesToSafeDisplayNames(String clientName, String expected) {
        assertEquals(expected, FileNames.sanitise(clientName));
    }

    @Test
    void aNullNameBecomesFile() {
        assertEquals("file", FileNames.sanitise(null));
    }

    @Test
    void capsTenThousandCharNamesAt100CharsKeepingTheExtension() {
        String name = FileNames.sanitise("a".repeat(10_000) + ".txt");
        assertEquals(100, name.length());
        assertTrue(name.endsWith("a.txt"));
    }

    @Test
    void capsMultibyteNamesByUtf8BytesSoTheStoredNameFitsTheFileSystem() {
        String name = FileNames.sanitise("\u6F22".repeat(10_000) + ".pdf");
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= FileNames.MAX_UTF8_BYTES, name);
        assertTrue(name.endsWith("\u6F22.pdf"));
        String astral = FileNames.sanitise("\uD840\uDC0B".repeat(5_000) + ".md"); // a CJK letter outside the BMP
        assertTrue(astral.getBytes(StandardCharsets.UTF_8).length <= FileNames.MAX_UTF8_BYTES);
        assertTrue(astral.endsWith("\uD840\uDC0B.md"), "never splits a surrogate pair");
    }

    @Test
    void aLongExtensionIsCutWithTheRest() {
        String name = FileNames.sanitise("a." + "x".repeat(500));
        assertEquals(100, name.length());
        assertTrue(name.startsWith("a.xxx"));
    }

    @Test
    void theResultIsStableWhenSanitisedAgain() {
        names().forEach(arguments -> {
            String once = FileNames.sanitise((String) arguments.get()[0]);
            assertEquals(once, FileNames.sanitise(once));
        });
    }

    @Test
    void neverLeavesSeparatorsOrInvisibleCharacters() {
        String nasty = "\u202E/..\\\u0000\u200B\uFF0F\uFF3C\u2215\u2044 x";
        String name = FileNames.sanitise(nasty);
        assertFalse(name.contains("/") || name.contains("\\") || name.startsWith("."), name);
        name.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            assertFalse(type == Character.CONTROL || type == Character.FORMAT, name);
        });
    }

    @Test
    void extensionIsLowerCase() {
        assertEquals("pdf", FileNames.extension("A.PDF"));
        assertEquals("", FileNames.extension("Makefile"));
    }
}
