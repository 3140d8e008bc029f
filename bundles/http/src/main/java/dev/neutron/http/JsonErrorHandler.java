package dev.neutron.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's server-wide error page, used for requests Jetty refuses before any servlet context sees them: a missing or
 * duplicate Host, an ambiguous or too long URI, too large headers, a malformed body encoding. Writes the API's JSON
 * error body (whatever the method or Accept header) instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
            Callback callback) throws IOException {
        String detail = message == null || message.equals(HttpStatus.getMessage(status)) ? null : message;
        byte[] body = Json.MAPPER.writeValueAsBytes(ApiError.body(ContainerErrors.code(status),
                ContainerErrors.message(status, detail, request.getHttpURI().getPath())));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
