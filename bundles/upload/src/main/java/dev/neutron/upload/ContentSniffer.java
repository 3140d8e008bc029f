package dev.neutron.upload;

import dev.neutron.api.AttachmentKind;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Decides what a file is from its bytes, fed chunk by chunk as they are read: a PDF or an image by its magic bytes,
 * else text when every byte forms strict UTF-8 and none is NUL. The client's extension only picks among text types.
 */
final class ContentSniffer {
    static final String ACCEPTED = "text files in UTF-8 (.txt, .md, .csv, .json, source code…), PDFs, "
            + "and PNG, JPEG, GIF or WEBP images";

    /** What a file was found to be. */
    record Detected(AttachmentKind kind, String contentType) {
    }

    private static final int HEAD_BYTES = 16;
    private static final int PIECE = 64 * 1024;
    private static final byte[] PDF = ascii("%PDF-");
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] GIF87 = ascii("GIF87a");
    private static final byte[] GIF89 = ascii("GIF89a");
    private static final byte[] RIFF = ascii("RIFF");
    private static final byte[] WEBP = ascii("WEBP");

    private static final Set<String> SOURCE_EXTENSIONS = Set.of(
            "py", "java", "js", "mjs", "cjs", "jsx", "ts", "tsx", "go", "rs", "c", "cc", "cpp", "cxx", "h", "hh", "hpp",
            "cs", "sh", "bash", "zsh", "ps1", "bat", "rb", "kt", "kts", "scala", "swift", "m", "php", "pl", "lua", "r",
            "dart", "sql", "yaml", "yml", "toml", "ini", "cfg", "conf", "properties", "gradle", "xml", "html", "htm",
            "css", "scss", "less", "vue", "svelte", "dockerfile", "makefile", "cmake", "proto", "graphql", "tf");
    private static final Map<String, String> TEXT_TYPES = Map.of(
            "txt", "text/plain", "text", "text/plain", "log", "text/plain",
            "md", "text/markdown", "markdown", "text/markdown",
            "csv", "text/csv",
            "json", "application/json");

    private final byte[] head = new byte[HEAD_BYTES];
    private int headLength;
    private boolean text = true;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** In write mode between calls; holds the (at most 3) bytes of a character split across chunks. */
    private final ByteBuffer pending = ByteBuffer.allocate(PIECE + 8);
    private final CharBuffer decoded = CharBuffer.allocate(PIECE + 8);

    void update(byte[] bytes, int offset, int length) {
        if (headLength < HEAD_BYTES) {
            int n = Math.min(HEAD_BYTES - headLength, length);
            System.arraycopy(bytes, offset, head, headLength, n);
            headLength += n;
        }
        if (magic() != null) {
            return; // a PDF or an image: no need to read it as text
        }
        for (int start = offset; text && start < offset + length; start += PIECE) {
            int n = Math.min(PIECE, offset + length - start);
            for (int i = start; i < start + n; i++) {
                if (bytes[i] == 0) {
                    text = false;
                    return;
                }
            }
            pending.put(bytes, start, n);
            pending.flip();
            text = decode(false);
            pending.compact();
        }
    }

    /** True once the bytes seen rule out every accepted type: no known magic bytes, and not text. */
    boolean rejected() {
        return !text && headLength == HEAD_BYTES && magic() == null;
    }

    /** The detected type, or null when the file is none of the accepted kinds. */
    Detected finish(String fileName) {
        Detected binary = magic();
        if (binary != null) {
            return binary;
        }
        if (text) {
            pending.flip();
            text = decode(true) && !decoder.flush(decoded).isError() && !pending.hasRemaining();
        }
        return text ? new Detected(AttachmentKind.text, textType(fileName)) : null;
    }

    private boolean decode(boolean endOfInput) {
        while (true) {
            CoderResult result = decoder.decode(pending, decoded, endOfInput);
            decoded.clear();
            if (result.isError()) {
                return false;
            }
            if (result.isUnderflow()) {
                return true;
            }
        }
    }

    private Detected magic() {
        if (startsWith(PDF)) {
            return new Detected(AttachmentKind.pdf, "application/pdf");
        }
        if (startsWith(PNG)) {
            return new Detected(AttachmentKind.image, "image/png");
        }
        if (startsWith(JPEG)) {
            return new Detected(AttachmentKind.image, "image/jpeg");
        }
        if (startsWith(GIF87) || startsWith(GIF89)) {
            return new Detected(AttachmentKind.image, "image/gif");
        }
        if (startsWith(RIFF) && regionEquals(8, WEBP)) {
            return new Detected(AttachmentKind.image, "image/webp");
        }
        return null;
    }

    /** The type of a text file by its extension; never an active type like text/html, which a browser would render. */
    static String textType(String fileName) {
        String extension = FileNames.extension(fileName);
        String known = TEXT_TYPES.get(extension);
        if (known != null) {
            return known;
        }
        if (SOURCE_EXTENSIONS.contains(extension)) {
            return "text/x-source";
        }
        return "text/plain";
    }

    private boolean startsWith(byte[] magic) {
        return regionEquals(0, magic);
    }

    private boolean regionEquals(int at, byte[] magic) {
        if (headLength < at + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[at + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
