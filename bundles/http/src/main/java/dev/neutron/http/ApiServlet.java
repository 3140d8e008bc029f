package dev.neutron.http;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/** Base of every JSON servlet: error mapping, bounded body reading, JSON writing. */
abstract class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ApiServlet.class.getName());

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
        return new JsonBodyReader(maxJsonBodyBytes()).read(request, type);
    }

    /** The request body, whose read failures become 408 or 400 errors instead of a 500. */
    protected static InputStream body(HttpServletRequest request) throws IOException {
        return new RequestBodyInput(request.getInputStream());
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
