package dev.neutron.provider.openai;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The {@code data} of each Server-Sent Event of a byte stream, as the SSE specification reads it: lines end with LF,
 * CRLF or CR; {@code data:} lines of one event are joined with LF; a blank line ends an event; comments ({@code :…})
 * and the other fields ({@code event}, {@code id}, {@code retry}) are skipped. Lines are cut from the whole byte
 * stream, so an event or a UTF-8 character split across network reads arrives whole.
 */
final class SseEventReader {
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final BufferedReader lines;
    private final Runnable onLine;
    private boolean firstLine = true;

    /** @param onLine runs for every line read, comments included (a server's keep-alive comment is activity) */
    SseEventReader(InputStream body, Runnable onLine) {
        this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        this.onLine = onLine;
    }

    /** The next event's data, or null at the end of the stream. An event cut off by the end is dropped, as the spec says. */
    String next() throws IOException {
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            onLine.run();
            if (firstLine) {
                firstLine = false;
                if (!line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
                    line = line.substring(1);
                }
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return data.toString();
                }
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            if (!"data".equals(field)) {
                continue;
            }
            String value = colon < 0 ? "" : line.substring(colon + 1);
            value = value.startsWith(" ") ? value.substring(1) : value;
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
        return null;
    }
}
