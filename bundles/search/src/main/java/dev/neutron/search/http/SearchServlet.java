package dev.neutron.search.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.search.ChatSearch;
import dev.neutron.search.SearchResults;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/chat/search}. Registered in the default whiteboard context like the rest of the API, so the http
 * bundle's request filter (Host, origin, API token) guards it too; without that filter it refuses to answer.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/chat/search")
@HttpWhiteboardServletName("neutron-search")
public class SearchServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** Set by the http bundle's BrowserSecurityFilter on every request it let through. */
    static final String CHECKED = "dev.neutron.http.BrowserSecurityFilter.checked";
    private static final System.Logger LOG = System.getLogger(SearchServlet.class.getName());
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatSearch search;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (request.getAttribute(CHECKED) == null) {
                throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE, "Neutron's request checks (the http "
                        + "bundle) are not active, so search does not answer. Check that the http bundle is started.");
            }
            if (!"GET".equals(request.getMethod())) {
                response.setHeader("Allow", "GET");
                throw new NeutronException(ErrorCode.METHOD_NOT_ALLOWED, request.getMethod() + " is not supported on "
                        + request.getRequestURI() + ". Allowed: GET.");
            }
            ChatSearch current = search;
            if (current == null) {
                throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE, "Search is not running yet. Retry in a moment.");
            }
            SearchResults results = current.search(SearchParameters.parse(request.getParameterMap()));
            write(response, 200, results);
        } catch (NeutronException e) {
            if (e.code().httpStatus() >= 500) {
                LOG.log(System.Logger.Level.WARNING, e.code().code() + ": " + e.getMessage(), e.getCause());
            }
            error(response, e.code().httpStatus(), e.code().code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Search failed unexpectedly", e);
            error(response, 500, ErrorCode.INTERNAL_ERROR.code(), "Search hit an unexpected error ("
                    + e.getClass().getSimpleName() + "). The server log has the details.");
        }
    }

    private static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        Map<String, String> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        write(response, status, Map.of("error", error));
    }

    private static void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
