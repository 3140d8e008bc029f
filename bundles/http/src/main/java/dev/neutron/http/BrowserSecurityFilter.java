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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * Guards every request: the Host header must name an allowed host (against DNS rebinding), and a cross-origin
 * browser request must come from an allowed origin (CORS). Preflight requests are answered here.
 */
@Component(service = Filter.class, configurationPid = HttpConfig.PID)
@Designate(ocd = HttpConfig.class)
@HttpWhiteboardFilterPattern("/*")
@HttpWhiteboardFilterName("neutron-browser-security")
public class BrowserSecurityFilter implements Filter {
    static final String BIND_HOST_PROPERTY = "org.apache.felix.http.host";

    private final HostAllowlist hosts;
    private final OriginAllowlist origins;

    @Activate
    public BrowserSecurityFilter(HttpConfig config) {
        String bindHost = System.getProperty(BIND_HOST_PROPERTY, "");
        this.hosts = new HostAllowlist(Stream.concat(Stream.of(config.allowedHosts()),
                bindHost.isBlank() || "0.0.0.0".equals(bindHost) || "::".equals(bindHost) ? Stream.empty() : Stream.of(bindHost))
                .collect(Collectors.toSet()));
        this.origins = new OriginAllowlist(Set.of(config.allowedOrigins()));
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String host = request.getHeader("Host");
        if (host != null && !hosts.allows(host)) {
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
                response.setHeader("Access-Control-Allow-Headers", "Content-Type, Last-Event-ID");
                response.setHeader("Access-Control-Max-Age", "600");
                response.setStatus(204);
                return;
            }
        }
        response.setHeader("X-Content-Type-Options", "nosniff");
        chain.doFilter(request, response);
    }

    private static boolean isSameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        String lower = origin.toLowerCase(Locale.ROOT);
        String hostLower = host.toLowerCase(Locale.ROOT);
        return lower.equals("http://" + hostLower) || lower.equals("https://" + hostLower);
    }
}
