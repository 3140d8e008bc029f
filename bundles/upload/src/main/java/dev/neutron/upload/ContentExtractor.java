package dev.neutron.upload;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentContent;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** What a model is given of an attachment: the text of a text file or PDF, cut to a limit, or an image as base64. */
final class ContentExtractor {
    private ContentExtractor() {
    }

    /** {@code file} holds the bytes of {@code attachment}. */
    static AttachmentContent extract(Attachment attachment, Path file, int maxChars) throws IOException {
        return switch (attachment.kind()) {
            case text -> textContent(attachment, readText(file, maxChars), maxChars);
            case pdf -> textContent(attachment, pdfText(file, maxChars), maxChars);
            case image -> new AttachmentContent(attachment, null, false,
                    Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
        };
    }

    private static AttachmentContent textContent(Attachment attachment, String text, int maxChars) {
        return new AttachmentContent(attachment, cut(text, maxChars), text.length() > maxChars, null);
    }

    /** UTF-8 text without a BOM; reads just past {@code maxChars}, so truncation is known without reading it all. */
    static String readText(Path file, int maxChars) throws IOException {
        long wanted = (long) maxChars + 2; // one char past the limit, one more for a BOM
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            while (text.length() < wanted) {
                int n = reader.read(buffer, 0, (int) Math.min(buffer.length, wanted - text.length()));
                if (n < 0) {
                    break;
                }
                text.append(buffer, 0, n);
            }
        }
        if (text.length() > 0 && text.charAt(0) == '\uFEFF') {
            text.deleteCharAt(0);
        }
        return text.toString();
    }

    private static String pdfText(Path file, int maxChars) {
        try {
            return PdfText.extract(file, maxChars);
        } catch (IOException | RuntimeException | LinkageError e) {
            // LinkageError: e.g. a PDF encrypted with a certificate needs Bouncy Castle, which is not deployed
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new NeutronException(ErrorCode.UNSUPPORTED_FILE_TYPE, "Could not read text from this PDF: " + reason
                    + ". It may be damaged or password-protected; try exporting it again or attach it as text.", e);
        }
    }

    /** The first {@code maxChars} chars, never ending in half a surrogate pair. */
    static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}
