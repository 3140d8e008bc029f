package dev.neutron.http;

import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatService;
import dev.neutron.api.ChatStore;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletMultipart;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code /api/v1/chat/sessions[/{id}[/messages[/{messageId}[/regenerate]]|/stream|/stop|/attachments[/{attachmentId}]]]}:
 * routes each request
 * ({@link SessionsRoute}) to the handler of its resource. The store, the chat engine and the attachment store are
 * dynamic references, so each can be swapped while Neutron runs. Deactivation (a changed {@code dev.neutron.http}
 * configuration, or shutdown) ends every open SSE stream.
 */
@Component(service = Servlet.class, configurationPid = HttpConfig.PID)
@HttpWhiteboardServletPattern({"/api/v1/chat/sessions", "/api/v1/chat/sessions/*"})
@HttpWhiteboardServletName("neutron-sessions")
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletMultipart(enabled = true, maxFileSize = SessionsServlet.MAX_MULTIPART_BYTES,
        maxRequestSize = SessionsServlet.MAX_MULTIPART_BYTES, fileSizeThreshold = 1 << 20)
public class SessionsServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    static final long MAX_MULTIPART_BYTES = 256L << 20;

    private final HttpConfig config;
    private final transient SseStreams streams;
    private final transient SessionsHandler sessions;
    private final transient SessionsHandler messages;
    private final transient SessionsHandler attachmentFiles;
    private final transient SessionsHandler branches;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile ChatStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile ChatService chat;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile AttachmentStore attachments;

    @Activate
    public SessionsServlet(HttpConfig config) {
        this(config, SseStreams.withOwnThreads(config.heartbeatSeconds()));
    }

    SessionsServlet(HttpConfig config, SseStreams streams) {
        this.config = config;
        this.streams = streams;
        SessionServices services = new SessionServices(() -> store, () -> chat, () -> attachments);
        JsonBodyReader json = new JsonBodyReader(config.maxJsonBodyBytes());
        SessionBranches sessionBranches = new SessionBranches(services);
        this.sessions = new SessionsResource(services, json, sessionBranches);
        this.messages = new MessagesResource(services, json, streams);
        this.attachmentFiles = new AttachmentsResource(services, MAX_MULTIPART_BYTES);
        this.branches = new BranchesResource(services, json, streams, sessionBranches);
    }

    @Deactivate
    void deactivate() {
        streams.close();
    }

    @Override
    protected int maxJsonBodyBytes() {
        return config.maxJsonBodyBytes();
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        SessionsRoute route = SessionsRoute.of(request.getPathInfo(), request.getRequestURI());
        handlerFor(route.resource()).handle(route, request, response);
    }

    private SessionsHandler handlerFor(SessionsRoute.Resource resource) {
        return switch (resource) {
            case SESSIONS, SESSION -> sessions;
            case MESSAGES, STREAM, STOP -> messages;
            case UPLOAD, ATTACHMENTS, ATTACHMENT -> attachmentFiles;
            case MESSAGE, REGENERATE -> branches;
        };
    }
}
