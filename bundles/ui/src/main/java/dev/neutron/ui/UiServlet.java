package dev.neutron.ui;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Serves the web UI packed in this bundle under /web at the root of the default whiteboard
 * context. "/*" is the least specific pattern, so the API servlets under /api/v1/* take
 * precedence over it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("neutron-ui")
@HttpWhiteboardServletPattern("/*")
public class UiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Folder of this bundle that holds the Vite build. */
    static final String WEB_ROOT = "/web/";

    private final transient StaticAssets assets;

    @Activate
    public UiServlet(BundleContext context) {
        this(new StaticAssets(name -> context.getBundle().getEntry(WEB_ROOT + name)));
    }

    UiServlet(StaticAssets assets) {
        this.assets = assets;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (path == null) {
            path = req.getServletPath();
        }
        String method = req.getMethod();
        StaticAssets.Reply reply = assets.handle(method, path, req.getHeader("Accept-Encoding"), req.getHeader("If-None-Match"));
        resp.setStatus(reply.status());
        reply.headers().forEach(resp::setHeader);
        byte[] body = reply.body();
        if (body != null) {
            resp.setContentLength(body.length);
            if (!"HEAD".equals(method)) {
                resp.getOutputStream().write(body);
            }
        }
    }
}
