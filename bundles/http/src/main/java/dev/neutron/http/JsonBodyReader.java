package dev.neutron.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads a JSON request body of bounded size into a record; an empty body reads as {@code {}}. */
final class JsonBodyReader {
    private static final long MAX_DRAIN_BYTES = 64L << 20;

    private final int maxBytes;

    JsonBodyReader(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    <T> T read(HttpServletRequest request, Class<T> type) throws IOException {
        String contentType = request.getContentType();
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            drain(request.getInputStream());
            throw tooLarge();
        }
        byte[] body = readBounded(ApiServlet.body(request));
        if (body.length == 0) {
            body = "{}".getBytes(StandardCharsets.UTF_8);
        } else if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new NeutronException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Send the request body as JSON with the header 'Content-Type: application/json'.");
        }
        try {
            T value = Json.MAPPER.readValue(Json.utf8(body), type);
            if (value == null) {
                throw new NeutronException(ErrorCode.INVALID_REQUEST, "The request body must be a JSON object.");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw ApiError.fromJson(e);
        }
    }

    private byte[] readBounded(InputStream in) throws IOException {
        byte[] body = in.readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            drain(in);
            throw tooLarge();
        }
        return body;
    }

    /**
     * Reads and discards a moderately oversized body so the client, still sending, receives the 413 instead of a
     * reset connection. Beyond {@link #MAX_DRAIN_BYTES} the connection is simply closed.
     */
    private static void drain(InputStream in) {
        try {
            long skipped = 0;
            byte[] sink = new byte[64 * 1024];
            int read;
            while (skipped < MAX_DRAIN_BYTES && (read = in.read(sink)) >= 0) {
                skipped += read;
            }
        } catch (IOException ignored) {
            // the client gave up; nothing to answer
        }
    }

    private NeutronException tooLarge() {
        return new NeutronException(ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body is larger than the limit of " + maxBytes + " bytes.");
    }
}
