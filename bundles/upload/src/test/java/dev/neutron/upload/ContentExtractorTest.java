package dev.neutron.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentContent;
import dev.neutron.api.AttachmentKind;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentExtractorTest {
    @TempDir
    Path dir;

    private Path file(byte[] content) throws IOException {
        return Files.write(dir.resolve("f"), content);
    }

    private static Attachment ofKind(AttachmentKind kind, long size) {
        return new Attachment("att_0123456789abcdef", "chat_0123456789abcdef", "f", "x/y", size, kind, Instant.EPOCH);
    }

    private AttachmentContent extractText(String text, int maxChars) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ContentExtractor.extract(ofKind(AttachmentKind.text, bytes.length), file(bytes), maxChars);
    }

    @ParameterizedTest(name = "max {1}: \"{2}\" truncated={3}")
    @CsvSource(delimiter = '|', value = {
            "0123456789 | 100 | 0123456789 | false",
            "0123456789 | 10  | 0123456789 | false",
            "0123456789 | 4   | 0123       | true",
            "0123456789 | 0   | ''         | true",
            "ab😀cd     | 3   | ab         | true",
            "ab😀cd     | 4   | ab😀       | true",
            "\uFEFFhello | 5  | hello      | false",
            "\uFEFFhello | 4  | hell       | true"})
    void cutsTextToTheLimitNeverInsideACharacterAndWithoutTheBom(String text, int maxChars, String expected,
            boolean truncated) throws IOException {
        AttachmentContent content = extractText(text, maxChars);
        assertEquals(expected, content.text());
        assertEquals(truncated, content.truncated());
        assertNull(content.imageBase64());
    }

    @Test
    void readsOnlyJustPastTheLimit() throws IOException {
        assertEquals("0123", ContentExtractor.readText(file("0123456789".getBytes(StandardCharsets.UTF_8)), 2));
        assertEquals("0123456789", extractText("0123456789", Integer.MAX_VALUE).text());
    }

    @Test
    void extractsTextFromAPdfMadeWithPdfBox() throws IOException {
        byte[] pdf = TestFiles.pdf(List.of("Neutron PDF test 42"));
        Attachment attachment = ofKind(AttachmentKind.pdf, pdf.length);
        AttachmentContent content = ContentExtractor.extract(attachment, file(pdf), 10_000);
        assertTrue(content.text().contains("Neutron PDF test 42"), content.text());
        assertFalse(content.truncated());
        assertNull(content.imageBase64());
        assertEquals(attachment, content.attachment());
    }

    @Test
    void cutsLongPdfTextAndSaysSo() throws IOException {
        byte[] pdf = TestFiles.pdf(List.of("First page text", "Second page text", "Third page text"));
        Path file = file(pdf);
        AttachmentContent whole = ContentExtractor.extract(ofKind(AttachmentKind.pdf, pdf.length), file, 10_000);
        assertTrue(whole.text().contains("First page text") && whole.text().contains("Third page text"), whole.text());
        assertFalse(whole.truncated());
        AttachmentContent cut = ContentExtractor.extract(ofKind(AttachmentKind.pdf, pdf.length), file, 10);
        assertEquals("First page", cut.text());
        assertTrue(cut.truncated());
    }

    @Test
    void reportsAPdfItCannotRead() throws IOException {
        Path broken = file("%PDF-1.4\nthis is not really a pdf \u00FF\u00FE".getBytes(StandardCharsets.ISO_8859_1));
        NeutronException e = assertThrows(NeutronException.class,
                () -> ContentExtractor.extract(ofKind(AttachmentKind.pdf, 40), broken, 1000));
        assertEquals(ErrorCode.UNSUPPORTED_FILE_TYPE, e.code());
        assertTrue(e.getMessage().startsWith("Could not read text from this PDF: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("try exporting it again or attach it as text."), e.getMessage());
    }

    @Test
    void givesImagesAsBase64WhateverTheLimit() throws IOException {
        AttachmentContent content = ContentExtractor.extract(ofKind(AttachmentKind.image, TestFiles.PNG.length), file(TestFiles.PNG), 10);
        assertNull(content.text());
        assertFalse(content.truncated());
        assertArrayEquals(TestFiles.PNG, Base64.getDecoder().decode(content.imageBase64()));
    }
}
