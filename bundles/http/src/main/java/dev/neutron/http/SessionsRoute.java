package dev.neutron.http;

import dev.neutron.api.ChatSession;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.util.regex.Pattern;

/**
 * Which resource a path under {@code /api/v1/chat/sessions} names: the path info ({@code null}, {@code /},
 * {@code /{id}}, {@code /{id}/messages}, {@code /{id}/messages/{messageId}[/regenerate]}...) split and checked, before
 * any service is asked. A message id is checked by its handler (404 {@code message_not_found}).
 */
record SessionsRoute(Resource resource, String sessionId, String attachmentId, String messageId) {
    private static final Pattern SESSION_ID = Pattern.compile(ChatSession.ID_PATTERN);

    enum Resource {
        SESSIONS, SESSION, MESSAGES, STREAM, STOP, UPLOAD, ATTACHMENTS, ATTACHMENT, MESSAGE, REGENERATE
    }

    SessionsRoute(Resource resource, String sessionId, String attachmentId) {
        this(resource, sessionId, attachmentId, null);
    }

    /**
     * @throws NeutronException {@code invalid_session_id} for a malformed session id, {@code not_found} for any
     *                          other path
     */
    static SessionsRoute of(String pathInfo, String requestUri) {
        if (pathInfo == null || pathInfo.isEmpty() || "/".equals(pathInfo)) {
            return new SessionsRoute(Resource.SESSIONS, null, null);
        }
        String[] parts = pathInfo.substring(1).split("/", -1);
        String sessionId = parts[0];
        if (!SESSION_ID.matcher(sessionId).matches()) {
            throw new NeutronException(ErrorCode.INVALID_SESSION_ID,
                    "Not a valid session id. Session ids look like chat_0123456789abcdef and come from POST /api/v1/chat/sessions.");
        }
        if (parts.length == 1) {
            return new SessionsRoute(Resource.SESSION, sessionId, null);
        }
        if (parts.length == 2) {
            Resource resource = switch (parts[1]) {
                case "messages" -> Resource.MESSAGES;
                case "stream" -> Resource.STREAM;
                case "stop" -> Resource.STOP;
                case "upload" -> Resource.UPLOAD;
                case "attachments" -> Resource.ATTACHMENTS;
                default -> throw notFound(requestUri);
            };
            return new SessionsRoute(resource, sessionId, null);
        }
        if (parts.length == 3 && "attachments".equals(parts[1])) {
            return new SessionsRoute(Resource.ATTACHMENT, sessionId, parts[2]);
        }
        if (parts.length == 3 && "messages".equals(parts[1]) && !parts[2].isEmpty()) {
            return new SessionsRoute(Resource.MESSAGE, sessionId, null, parts[2]);
        }
        if (parts.length == 4 && "messages".equals(parts[1]) && !parts[2].isEmpty() && "regenerate".equals(parts[3])) {
            return new SessionsRoute(Resource.REGENERATE, sessionId, null, parts[2]);
        }
        throw notFound(requestUri);
    }

    private static NeutronException notFound(String requestUri) {
        return new NeutronException(ErrorCode.NOT_FOUND, "Nothing at " + requestUri + ". See CHAT_API.md.");
    }
}
