package dev.neutron.http;

import dev.neutron.api.ChatService;
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

/** {@code GET /api/v1/chat/models}: the live model list of every provider, with each provider's status. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/chat/models")
@HttpWhiteboardServletName("neutron-models")
public class ModelsServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatService chat;

    @Override
    protected int maxJsonBodyBytes() {
        return 0;
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod())) {
            throw methodNotAllowed(request, response, "GET");
        }
        ChatService engine = required(chat, "chat engine", "chat");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("models", engine.models());
        body.put("providers", engine.providers());
        body.put("defaultModel", engine.defaultModel());
        writeJson(response, 200, body);
    }
}
