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
 * Errors the servlet context raises before any of our servlets runs (an unknown path, a failure the container
 * catches) get the same JSON error body as everything else. Errors raised before a request reaches the context
 * (while parsing it) are {@link JsonErrorHandler}'s.
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
        Object detail = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        ApiError.write(response, status, ContainerErrors.code(status), ContainerErrors.message(status,
                detail == null ? null : detail.toString(), request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)));
    }
}
