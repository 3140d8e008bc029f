package dev.neutron.http;

import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatService;
import dev.neutron.api.ChatStore;
import jakarta.servlet.Servlet;
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
 * {@code GET /api/v1/health}: 200 once the store, the chat engine and the attachment store are all up (503 before),
 * answered fast, without calling any model backend.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/health")
@HttpWhiteboardServletName("neutron-health")
public class HealthServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatService chat;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AttachmentStore attachments;

    @Override
    protected int maxJsonBodyBytes() {
        return 0;
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            throw methodNotAllowed(request, response, "GET");
        }
        ChatStore currentStore = store;
        boolean ready = currentStore != null && chat != null && attachments != null;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ok" : "starting");
        body.put("store", currentStore == null ? null : currentStore.getClass().getSimpleName());
        body.put("chat", chat != null);
        body.put("attachments", attachments != null);
        writeJson(response, ready ? 200 : 503, body);
    }
}
