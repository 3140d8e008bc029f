package dev.neutron.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Base of every JSON servlet: error mapping, bounded body reading, JSON writing. */
abstract class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ApiServlet.class.getName());
    private static final long MAX_DRAIN_BYTES = 64L << 20;

    protected abstract int maxJsonBodyBytes();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getAttribute(BrowserSecurityFilter.CHECKED) == null) {
            // At start the whiteboard may register a servlet a moment before the filter: fail closed until then.
            ApiError.write(response, 503, ErrorCode.SERVICE_UNAVAILABLE.code(),
                    "Neutron is still starting (its request checks are not active yet). Retry in a moment.");
            return;
        }
        try {
            handle(request, response);
        } catch (NeutronException e) {
            if (e.code().httpStatus() >= 500) {
                LOG.log(System.Logger.Level.WARNING, e.code().code() + ": " + e.getMessage(), e.getCause());
            }
            ApiError.write(response, e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Unexpected failure on " + request.getMethod() + " " + request.getRequestURI(), e);
            ApiError.write(response, 500, ErrorCode.INTERNAL_ERROR.code(),
                    "Neutron hit an unexpected error (" + e.getClass().getSimpleName() + "). The server log has the details.");
        }
    }

    protected abstract void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;

    protected static NeutronException methodNotAllowed(HttpServletRequest request, HttpServletResponse response, String allowed) {
        response.setHeader("Allow", allowed);
        return new NeutronException(ErrorCode.METHOD_NOT_ALLOWED,
                request.getMethod() + " is not supported on " + request.getRequestURI() + ". Allowed: " + allowed + ".");
    }

    /** Reads a JSON body of at most {@link #maxJsonBodyBytes()} bytes; an empty body reads as {@code {}}. */
    protected <T> T readJson(HttpServletRequest request, Class<T> type) throws IOException {
        String contentType = request.getContentType();
        long declared = request.getContentLengthLong();
        if (declared > maxJsonBodyBytes()) {
            drain(request.getInputStream());
            throw tooLarge();
        }
        byte[] body = readBounded(body(request));
        if (body.length == 0) {
            body = "{}".getBytes();
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

    /** The request body, whose read failures become 408 or 400 errors instead of a 500. */
    protected static InputStream body(HttpServletRequest request) throws IOException {
        return new RequestBodyInput(request.getInputStream());
    }

    private byte[] readBounded(InputStream in) throws IOException {
        byte[] body = in.readNBytes(maxJsonBodyBytes() + 1);
        if (body.length > maxJsonBodyBytes()) {
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
                "The request body is larger than the limit of " + maxJsonBodyBytes() + " bytes.");
    }

    /** The service, or a {@code service_unavailable} error naming the bundle that should provide it. */
    protected static <T> T required(T service, String what, String bundle) {
        if (service == null) {
            throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE, "No " + what + " is running. Check that the "
                    + bundle + " bundle is installed and started.");
        }
        return service;
    }

    protected static void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        Json.MAPPER.writeValue(response.getOutputStream(), body);
    }
}
