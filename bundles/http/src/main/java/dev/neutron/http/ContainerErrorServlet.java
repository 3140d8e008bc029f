package dev.neutron.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;

/**
 * Errors the container raises before any of our servlets runs (a malformed or ambiguous URI, an unknown path) get
 * the same JSON error body as everything else instead of Jetty's HTML page.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletErrorPage(errorPage = {"4xx", "5xx"})
@HttpWhiteboardServletName("neutron-container-errors")
public class ContainerErrorServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer code ? code : response.getStatus();
        Object messageAttribute = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = messageAttribute == null ? "" : messageAttribute.toString();
        String code = switch (status) {
            case 400 -> "invalid_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
        String message = switch (status) {
            case 400 -> "The request could not be understood" + (detail.isBlank() ? "." : ": " + detail + ".")
                    + " Check the URL: session ids contain no slashes or dots.";
            case 404 -> "Nothing at " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + ". See CHAT_API.md.";
            default -> detail.isBlank() ? "HTTP error " + status + "." : detail;
        };
        ApiError.write(response, status, code, message);
    }
}
