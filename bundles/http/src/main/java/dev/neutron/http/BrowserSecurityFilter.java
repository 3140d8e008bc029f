package dev.neutron.http;

import dev.neutron.api.ErrorCode;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * Guards every request, in this order: a Host header is required and must name an allowed host (against DNS
 * rebinding); a request that reached a network (non-loopback) address is refused unless an API token is set; a
 * cross-origin browser request must come from an allowed origin (CORS, preflights answered here); and with a token
 * set, every API request must carry it. The UI's static files need no token, so the browser can load the page that
 * asks for it.
 */
@Component(service = Filter.class, configurationPid = HttpConfig.PID)
@Designate(ocd = HttpConfig.class)
@HttpWhiteboardFilterPattern("/*")
@HttpWhiteboardFilterName("neutron-browser-security")
public class BrowserSecurityFilter implements Filter {
    static final String BIND_HOST_PROPERTY = "org.apache.felix.http.host";
    /** Set on every request this filter let through; API servlets refuse requests without it (see ApiServlet). */
    static final String CHECKED = BrowserSecurityFilter.class.getName() + ".checked";
    private static final System.Logger LOG = System.getLogger(BrowserSecurityFilter.class.getName());

    private final HostAllowlist hosts;
    private final OriginAllowlist origins;
    private final ApiToken token;

    @Activate
    public BrowserSecurityFilter(HttpConfig config, BundleContext context) {
        this(config, ApiToken.fromEnvironment(), context.getProperty(BIND_HOST_PROPERTY));
    }

    BrowserSecurityFilter(HttpConfig config, ApiToken token, String bindHost) {
        this.token = token;
        this.hosts = HostAllowlist.forServer(config.allowedHosts(), bindHost, token.isSet());
        this.origins = new OriginAllowlist(Set.of(config.allowedOrigins()));
        if (!token.isSet() && !LocalAddresses.isLoopback(bindHost)) {
            LOG.log(System.Logger.Level.ERROR, "Neutron listens on '" + (bindHost == null ? "" : bindHost)
                    + "' (not loopback) but " + ApiToken.ENVIRONMENT_VARIABLE + " is not set: requests from other "
                    + "machines are refused. Set " + ApiToken.ENVIRONMENT_VARIABLE + " and restart.");
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        response.setHeader("X-Content-Type-Options", "nosniff");
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            ApiError.write(response, 400, ErrorCode.INVALID_REQUEST.code(), "The request has no Host header. "
                    + "Send 'Host: <the address you connect to>' (HTTP/1.1 clients do this by themselves).");
            return;
        }
        if (!token.isSet() && !LocalAddresses.isLoopback(request.getLocalAddr())) {
            ApiError.write(response, 503, ErrorCode.SERVICE_UNAVAILABLE.code(), "This Neutron answers only on "
                    + "loopback (127.0.0.1) because " + ApiToken.ENVIRONMENT_VARIABLE + " is not set. To use it from "
                    + "other machines, set " + ApiToken.ENVIRONMENT_VARIABLE + " and restart it.");
            return;
        }
        if (!hosts.allows(host)) {
            ApiError.write(response, 403, ErrorCode.FORBIDDEN_HOST.code(), "Host '" + host + "' is not allowed. "
                    + "Open Neutron at http://127.0.0.1 or http://localhost, or add the name to allowedHosts of PID "
                    + HttpConfig.PID + ".");
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !isSameOrigin(origin, host)) {
            if (!origins.allows(origin)) {
                ApiError.write(response, 403, ErrorCode.FORBIDDEN_ORIGIN.code(), "Requests from origin '" + origin
                        + "' are not allowed. Add it to allowedOrigins of PID " + HttpConfig.PID + ".");
                return;
            }
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.addHeader("Vary", "Origin");
            response.setHeader("Access-Control-Expose-Headers", "Location");
            if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
                response.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
                response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID");
                response.setHeader("Access-Control-Max-Age", "600");
                response.setStatus(204);
                return;
            }
        }
        if (token.isSet() && isApi(request) && !token.acceptsAuthorization(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"neutron\"");
            ApiError.write(response, 401, ErrorCode.UNAUTHORIZED.code(), request.getHeader("Authorization") == null
                    ? "This Neutron requires its API token: send the header 'Authorization: Bearer <NEUTRON_API_TOKEN>'."
                    : "The API token sent in the Authorization header is wrong. Send 'Authorization: Bearer "
                            + "<NEUTRON_API_TOKEN>' with the token Neutron was started with.");
            return;
        }
        request.setAttribute(CHECKED, Boolean.TRUE);
        chain.doFilter(request, response);
    }

    /** Decoded, as the whiteboard resolves servlets, so an encoded path such as {@code /%61pi/} cannot skip the token. */
    private static boolean isApi(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.replaceAll("/{2,}", "/").startsWith("/api");
    }

    private static boolean isSameOrigin(String origin, String host) {
        String lower = origin.toLowerCase(Locale.ROOT);
        String hostLower = host.toLowerCase(Locale.ROOT);
        return lower.equals("http://" + hostLower) || lower.equals("https://" + hostLower);
    }
}
