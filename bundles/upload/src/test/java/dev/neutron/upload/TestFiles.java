package dev.neutron.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Files made by the tests themselves: PDFs written with PDFBox, image headers, odd streams. */
final class TestFiles {
    static final byte[] PNG = bytes(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1);
    static final byte[] JPEG = bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1);
    static final byte[] GIF = concat("GIF89a".getBytes(StandardCharsets.US_ASCII), bytes(1, 0, 1, 0, 0x80, 0, 0));
    static final byte[] WEBP = concat("RIFF".getBytes(StandardCharsets.US_ASCII), bytes(0x24, 0, 0, 0),
            "WEBPVP8 ".getBytes(StandardCharsets.US_ASCII), bytes(0x18, 0, 0, 0, 0x30, 0x01, 0x00, 0x9D));
    static final byte[] ELF = bytes(0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3E, 0, 1, 0, 0, 0);
    static final byte[] ZIP = bytes('P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0x9C, 0x5A, 0xA1, 0x58, 0xFF, 0xE3, 0x11);

    private TestFiles() {
    }

    /** A PDF with one page per text, each written in Helvetica (a standard 14 font, not embedded). */
    static byte[] pdf(List<String> pages) {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String text : pages) {
                PDPage page = new PDPage();
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(helvetica, 12);
                    content.newLineAtOffset(72, 700);
                    content.showText(text);
                    content.endText();
                }
            }
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** {@code size} bytes of ASCII text, generated as read, counting what was read. */
    static final class GeneratedText extends InputStream {
        private final long size;
        long read;

        GeneratedText(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (read >= size) {
                return -1;
            }
            read++;
            return 'a' + (int) (read % 26);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (read >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - read);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) ('a' + (int) ((read + i) % 26));
            }
            read += n;
            return n;
        }
    }

    /** Hands out {@code bytes} at most {@code chunk} bytes per read, as a slow network would. */
    static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final int chunk;
        private int position;

        Trickle(byte[] bytes, int chunk) {
            this.bytes = bytes;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, chunk), bytes.length - position);
            System.arraycopy(bytes, position, buffer, offset, n);
            position += n;
            return n;
        }
    }

    /** Gives {@code before} bytes of text, then fails like a dropped connection. */
    static final class Failing extends InputStream {
        private final int before;
        private int position;

        Failing(int before) {
            this.before = before;
        }

        @Override
        public int read() throws IOException {
            if (position >= before) {
                throw new IOException("connection reset");
            }
            position++;
            return 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= before) {
                throw new IOException("connection reset");
            }
            int n = Math.min(length, before - position);
            java.util.Arrays.fill(buffer, offset, offset + n, (byte) 'x');
            position += n;
            return n;
        }
    }
}
