package dev.neutron.http;

import dev.neutron.api.Attachment;
import dev.neutron.api.AttachmentKind;
import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatService;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Files attached to a session: upload ({@code POST /attachments}, or {@code POST /upload}), list, download and
 * delete ({@code /attachments/{attachmentId}}).
 */
final class AttachmentsResource implements SessionsHandler {
    private static final Pattern ATTACHMENT_ID = Pattern.compile(Attachment.ID_PATTERN);

    private final SessionServices services;
    private final long maxMultipartBytes;

    AttachmentsResource(SessionServices services, long maxMultipartBytes) {
        this.services = services;
        this.maxMultipartBytes = maxMultipartBytes;
    }

    @Override
    public void handle(SessionsRoute route, HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (route.resource()) {
            case UPLOAD -> {
                if (!"POST".equals(request.getMethod())) {
                    throw ApiServlet.methodNotAllowed(request, response, "POST");
                }
                upload(route.sessionId(), request, response);
            }
            case ATTACHMENTS -> handleAttachments(route.sessionId(), request, response);
            case ATTACHMENT -> handleAttachment(route.sessionId(), route.attachmentId(), request, response);
            default -> throw new IllegalArgumentException("not an attachments route: " + route);
        }
    }

    private void handleAttachments(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("POST".equals(request.getMethod())) {
            upload(sessionId, request, response);
            return;
        }
        if (!"GET".equals(request.getMethod())) {
            throw ApiServlet.methodNotAllowed(request, response, "GET, POST");
        }
        services.existing(sessionId);
        ApiServlet.writeJson(response, 200, Map.of("attachments", services.attachments().list(sessionId)));
    }

    private void upload(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        services.existing(sessionId);
        AttachmentStore files = services.attachments();
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new NeutronException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Upload files as multipart/form-data with the file in a field named 'file' (curl -F file=@notes.txt).");
        }
        Part part;
        try {
            part = request.getPart("file");
        } catch (IllegalStateException e) {
            throw new NeutronException(ErrorCode.UPLOAD_TOO_LARGE, "The upload is larger than the request limit of "
                    + (maxMultipartBytes >> 20) + " MB.");
        } catch (ServletException | IOException | RuntimeException e) {
            throw MultipartFailure.of(e, maxMultipartBytes);
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
        refuseImageTheModelCannotRead(sessionId, stored, files);
        response.setHeader("Location", "/api/v1/chat/sessions/" + sessionId + "/attachments/" + stored.id());
        ApiServlet.writeJson(response, 201, Map.of("attachment", stored));
    }

    /**
     * Takes back an image uploaded to a chat whose model cannot read images (when the model's capabilities are known),
     * so the user learns it now, not when sending.
     */
    private void refuseImageTheModelCannotRead(String sessionId, Attachment stored, AttachmentStore files) {
        ChatService engine = services.engineIfRunning();
        if (stored.kind() != AttachmentKind.image || engine == null) {
            return;
        }
        String chatModel = services.existing(sessionId).model();
        String model = chatModel != null ? chatModel : engine.defaultModel();
        ModelInfo info = model == null ? null
                : engine.models().stream().filter(m -> m.name().equals(model)).findFirst().orElse(null);
        if (info == null || info.capabilities().isEmpty() || info.capabilities().contains("vision")) {
            return;
        }
        files.delete(sessionId, stored.id());
        throw new NeutronException(ErrorCode.UNSUPPORTED_FILE_TYPE, "Model '" + model + "' cannot read images (it lacks"
                + " the vision capability), so " + stored.fileName() + " was not attached. Pick a vision model for this"
                + " chat (for example llava), then attach the image again.");
    }

    private String submittedFileName(Part part) throws IOException {
        try {
            return part.getSubmittedFileName();
        } catch (RuntimeException e) {
            part.delete();
            throw MultipartFailure.of(e, maxMultipartBytes);
        }
    }

    private void handleAttachment(String sessionId, String attachmentId, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        // a wrong method is a 405 whether or not the session and the file exist
        if (!"GET".equals(request.getMethod()) && !"DELETE".equals(request.getMethod())) {
            throw ApiServlet.methodNotAllowed(request, response, "GET, DELETE");
        }
        services.existing(sessionId);
        AttachmentStore files = services.attachments();
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
            default -> throw ApiServlet.methodNotAllowed(request, response, "GET, DELETE");
        }
    }

    private static NeutronException attachmentNotFound(String attachmentId) {
        return new NeutronException(ErrorCode.ATTACHMENT_NOT_FOUND, "No attachment with id " + attachmentId
                + " in this chat.");
    }
}
