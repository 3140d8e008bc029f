package dev.neutron.http;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatService;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SendMessage;
import dev.neutron.api.SessionPatch;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
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
 * Sessions CRUD and the message stream: {@code /api/v1/chat/sessions[/{id}[/messages|/stream|/stop]]}. The store and
 * the chat engine are dynamic references, so either can be swapped while Neutron runs.
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
    private static final int MAX_TITLE_CHARS = ChatSession.MAX_TITLE_CHARS;
    private static final Pattern ATTACHMENT_ID = Pattern.compile(Attachment.ID_PATTERN);
    private static final Pattern SESSION_ID = Pattern.compile(ChatSession.ID_PATTERN);

    private final HttpConfig config;
    private final transient ScheduledExecutorService heartbeats;
    private final transient ExecutorService sseWriters;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatService chat;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AttachmentStore attachments;

    @Activate
    public SessionsServlet(HttpConfig config) {
        this.config = config;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "neutron-sse-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger writerNumber = new AtomicInteger();
        this.sseWriters = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "neutron-sse-writer-" + writerNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Deactivate
    void deactivate() {
        heartbeats.shutdownNow();
        sseWriters.shutdown();
    }

    @Override
    protected int maxJsonBodyBytes() {
        return config.maxJsonBodyBytes();
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || path.isEmpty() || "/".equals(path)) {
            handleCollection(request, response);
            return;
        }
        String[] parts = path.substring(1).split("/", -1);
        String sessionId = parts[0];
        if (!SESSION_ID.matcher(sessionId).matches()) {
            throw new NeutronException(ErrorCode.INVALID_SESSION_ID,
                    "Not a valid session id. Session ids look like chat_0123456789abcdef and come from POST /api/v1/chat/sessions.");
        }
        if (parts.length == 1) {
            handleSession(sessionId, request, response);
        } else if (parts.length == 2) {
            switch (parts[1]) {
                case "messages" -> handleMessages(sessionId, request, response);
                case "stream" -> handleStream(sessionId, request, response);
                case "stop" -> handleStop(sessionId, request, response);
                case "upload" -> handleUpload(sessionId, request, response);
                case "attachments" -> handleAttachments(sessionId, request, response);
                default -> throw notFound(request);
            }
        } else if (parts.length == 3 && "attachments".equals(parts[1])) {
            handleAttachment(sessionId, parts[2], request, response);
        } else {
            throw notFound(request);
        }
    }

    private void handleCollection(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getMethod()) {
            case "GET" -> {
                ChatService engine = chat;
                List<SessionView> sessions = store().listSessions().stream()
                        .map(s -> SessionView.of(s, engine != null && engine.isGenerating(s.id()))).toList();
                writeJson(response, 200, Map.of("sessions", sessions));
            }
            case "POST" -> {
                RequestBodies.SessionFields body = readJson(request, RequestBodies.SessionFields.class);
                validateTitle(body.title());
                ChatSession created = store().createSession(new NewSession(body.title(), body.model()));
                response.setHeader("Location", "/api/v1/chat/sessions/" + created.id());
                writeJson(response, 201, SessionView.of(created, false));
            }
            default -> throw methodNotAllowed(request, response, "GET, POST");
        }
    }

    private void handleSession(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        ChatStore currentStore = store();
        switch (request.getMethod()) {
            case "GET" -> {
                ChatSession session = existing(currentStore, sessionId);
                List<ChatMessage> messages = currentStore.messages(sessionId);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("session", SessionView.of(session, generating(sessionId)));
                body.put("messages", messages);
                writeJson(response, 200, body);
            }
            case "PATCH" -> {
                RequestBodies.SessionFields body = readJson(request, RequestBodies.SessionFields.class);
                validateTitle(body.title());
                ChatSession updated = currentStore.updateSession(sessionId, new SessionPatch(body.title(), body.model()));
                writeJson(response, 200, SessionView.of(updated, generating(sessionId)));
            }
            case "DELETE" -> {
                existing(currentStore, sessionId);
                ChatService engine = chat;
                if (engine != null) {
                    engine.stop(sessionId);
                }
                if (!currentStore.deleteSession(sessionId)) {
                    throw sessionNotFound(sessionId);
                }
                AttachmentStore files = attachments;
                if (files != null) {
                    files.deleteAll(sessionId);
                }
                response.setStatus(204);
            }
            default -> throw methodNotAllowed(request, response, "GET, PATCH, DELETE");
        }
    }

    private void handleMessages(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getMethod()) {
            case "GET" -> {
                ChatStore currentStore = store();
                existing(currentStore, sessionId);
                writeJson(response, 200, Map.of("messages", currentStore.messages(sessionId)));
            }
            case "POST" -> {
                RequestBodies.SendMessageBody body = readJson(request, RequestBodies.SendMessageBody.class);
                if (body.content() == null || body.content().isBlank()) {
                    throw new NeutronException(ErrorCode.INVALID_REQUEST, "Field 'content' is required and must not be empty.");
                }
                LiveGeneration generation = engine().send(sessionId,
                        new SendMessage(body.content(), body.model(), body.attachments()));
                SseStream.open(request, response, generation, 0, heartbeats, sseWriters, config.heartbeatSeconds());
            }
            default -> throw methodNotAllowed(request, response, "GET, POST");
        }
    }

    private void handleStream(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod())) {
            throw methodNotAllowed(request, response, "GET");
        }
        existing(store(), sessionId);
        LiveGeneration generation = engine().generation(sessionId).orElseThrow(() -> new NeutronException(
                ErrorCode.NO_ACTIVE_GENERATION, "No answer is being generated for session " + sessionId
                        + "; its stored history is at GET /api/v1/chat/sessions/" + sessionId + "."));
        SseStream.open(request, response, generation, lastEventId(request), heartbeats, sseWriters, config.heartbeatSeconds());
    }

    private void handleStop(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            throw methodNotAllowed(request, response, "POST");
        }
        existing(store(), sessionId);
        writeJson(response, 200, Map.of("stopped", engine().stop(sessionId)));
    }

    private void handleUpload(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            throw methodNotAllowed(request, response, "POST");
        }
        existing(store(), sessionId);
        AttachmentStore files = attachmentStore();
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new NeutronException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Upload files as multipart/form-data with the file in a field named 'file' (curl -F file=@notes.txt).");
        }
        Part part;
        try {
            part = request.getPart("file");
        } catch (IllegalStateException e) {
            throw new NeutronException(ErrorCode.UPLOAD_TOO_LARGE, "The upload is larger than the request limit of "
                    + (MAX_MULTIPART_BYTES >> 20) + " MB.");
        } catch (ServletException | IOException | RuntimeException e) {
            throw MultipartFailure.of(e, MAX_MULTIPART_BYTES);
        }
        String fileName = part == null ? null : submittedFileName(part);
        if (fileName == null) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "The multipart body has no file in a field named 'file'.");
        }
        Attachment stored;
        try (InputStream content = part.getInputStream()) {
            stored = files.store(sessionId, fileName, content);
        } finally {
            part.delete();
        }
        response.setHeader("Location", "/api/v1/chat/sessions/" + sessionId + "/attachments/" + stored.id());
        writeJson(response, 201, Map.of("attachment", stored));
    }

    private static String submittedFileName(Part part) throws IOException {
        try {
            return part.getSubmittedFileName();
        } catch (RuntimeException e) {
            part.delete();
            throw MultipartFailure.of(e, MAX_MULTIPART_BYTES);
        }
    }

    private void handleAttachments(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("POST".equals(request.getMethod())) {
            handleUpload(sessionId, request, response);
            return;
        }
        if (!"GET".equals(request.getMethod())) {
            throw methodNotAllowed(request, response, "GET, POST");
        }
        existing(store(), sessionId);
        writeJson(response, 200, Map.of("attachments", attachmentStore().list(sessionId)));
    }

    private void handleAttachment(String sessionId, String attachmentId, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        existing(store(), sessionId);
        AttachmentStore files = attachmentStore();
        if (!ATTACHMENT_ID.matcher(attachmentId).matches()) {
            throw attachmentNotFound(attachmentId);
        }
        switch (request.getMethod()) {
            case "GET" -> {
                Attachment attachment = files.find(sessionId, attachmentId).orElseThrow(() -> attachmentNotFound(attachmentId));
                response.setStatus(200);
                response.setContentType(attachment.contentType());
                response.setContentLengthLong(attachment.size());
                response.setHeader("Content-Disposition", "attachment; filename*=UTF-8''"
                        + URLEncoder.encode(attachment.fileName(), StandardCharsets.UTF_8).replace("+", "%20"));
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
                try (InputStream in = files.open(sessionId, attachmentId)) {
                    in.transferTo(response.getOutputStream());
                }
            }
            case "DELETE" -> {
                if (!files.delete(sessionId, attachmentId)) {
                    throw attachmentNotFound(attachmentId);
                }
                response.setStatus(204);
            }
            default -> throw methodNotAllowed(request, response, "GET, DELETE");
        }
    }

    private AttachmentStore attachmentStore() {
        return required(attachments, "attachment store", "upload");
    }

    private static NeutronException attachmentNotFound(String attachmentId) {
        return new NeutronException(ErrorCode.ATTACHMENT_NOT_FOUND, "No attachment with id " + attachmentId
                + " in this chat.");
    }

    private static long lastEventId(HttpServletRequest request) {
        String value = request.getHeader("Last-Event-ID");
        if (value == null || value.isBlank()) {
            value = request.getParameter("after");
        }
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "Last-Event-ID must be the numeric id of an event.");
        }
    }

    private boolean generating(String sessionId) {
        ChatService engine = chat;
        return engine != null && engine.isGenerating(sessionId);
    }

    private static void validateTitle(String title) {
        if (title != null && title.length() > MAX_TITLE_CHARS) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST,
                    "Field 'title' is " + title.length() + " characters long; the limit is " + MAX_TITLE_CHARS + ".");
        }
    }

    private ChatStore store() {
        return required(store, "chat store", "store");
    }

    private ChatService engine() {
        return required(chat, "chat engine", "chat");
    }

    private static ChatSession existing(ChatStore store, String sessionId) {
        return store.findSession(sessionId).orElseThrow(() -> sessionNotFound(sessionId));
    }

    private static NeutronException sessionNotFound(String sessionId) {
        return new NeutronException(ErrorCode.SESSION_NOT_FOUND, "No chat session with id " + sessionId + ".");
    }

    private static NeutronException notFound(HttpServletRequest request) {
        return new NeutronException(ErrorCode.NOT_FOUND, "Nothing at " + request.getRequestURI() + ". See CHAT_API.md.");
    }
}
