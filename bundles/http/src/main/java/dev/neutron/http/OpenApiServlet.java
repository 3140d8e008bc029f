package dev.neutron.http;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 document of the whole API, the resource {@link #RESOURCE} of this
 * bundle (its single source; tests keep it in step with the servlets).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(OpenApiServlet.PATH)
@HttpWhiteboardServletName("neutron-openapi")
public class OpenApiServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    static final String PATH = "/api/v1/openapi.json";
    static final String RESOURCE = "openapi.json";

    private final byte[] document = load();

    static byte[] load() {
        try (InputStream in = OpenApiServlet.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The bundle lacks its resource " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected int maxJsonBodyBytes() {
        return 0;
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod())) {
            throw methodNotAllowed(request, response, "GET");
        }
        if (request.getPathInfo() != null && !request.getPathInfo().isEmpty()) {
            throw new NeutronException(ErrorCode.NOT_FOUND, "Nothing at " + request.getRequestURI() + ".");
        }
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(document.length);
        response.getOutputStream().write(document);
    }
}
