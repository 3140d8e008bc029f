package dev.neutron.http;

import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.NeutronException;
import dev.neutron.api.SendMessage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The conversation of one session: {@code /messages} (the active branch, {@code ?tree=all} every message; POST sends,
 * after the active leaf or where {@code parentId}/{@code editOf} say, and streams the answer as SSE),
 * {@code /stream} (reattach to the answer in flight, from {@code Last-Event-ID}) and {@code /stop}.
 */
final class MessagesResource implements SessionsHandler {
    private final SessionServices services;
    private final JsonBodyReader json;
    private final SseStreams streams;

    MessagesResource(SessionServices services, JsonBodyReader json, SseStreams streams) {
        this.services = services;
        this.json = json;
        this.streams = streams;
    }

    @Override
    public void handle(SessionsRoute route, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String sessionId = route.sessionId();
        switch (route.resource()) {
            case MESSAGES -> handleMessages(sessionId, request, response);
            case STREAM -> handleStream(sessionId, request, response);
            case STOP -> handleStop(sessionId, request, response);
            default -> throw new IllegalArgumentException("not a messages route: " + route);
        }
    }

    private void handleMessages(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getMethod()) {
            case "GET" -> {
                boolean withTree = ChatTreeView.wantsTree(request);
                ChatStore store = services.store();
                services.existing(store, sessionId);
                ChatTreeView view = ChatTreeView.of(store, sessionId, withTree);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("messages", view.messages());
                if (withTree) {
                    body.put("tree", view.tree());
                }
                ApiServlet.writeJson(response, 200, body);
            }
            case "POST" -> {
                RequestBodies.SendMessageBody body = json.read(request, RequestBodies.SendMessageBody.class);
                if (body.content() == null || body.content().isBlank()) {
                    throw new NeutronException(ErrorCode.INVALID_REQUEST, "Field 'content' is required and must not be empty.");
                }
                if (body.attachments() != null && body.attachments().contains(null)) {
                    throw new NeutronException(ErrorCode.INVALID_REQUEST, "Field 'attachments' must be a list of "
                            + "attachment ids (strings from the upload endpoint); it holds null.");
                }
                LiveGeneration generation = services.engine().send(sessionId,
                        new SendMessage(body.content(), body.model(), body.attachments(), body.parentId(), body.editOf()));
                streams.open(request, response, generation, 0);
            }
            default -> throw ApiServlet.methodNotAllowed(request, response, "GET, POST");
        }
    }

    private void handleStream(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod())) {
            throw ApiServlet.methodNotAllowed(request, response, "GET");
        }
        services.existing(sessionId);
        LiveGeneration generation = services.engine().generation(sessionId).orElseThrow(() -> new NeutronException(
                ErrorCode.NO_ACTIVE_GENERATION, "No answer is being generated for session " + sessionId
                        + "; its stored history is at GET /api/v1/chat/sessions/" + sessionId + "."));
        streams.open(request, response, generation, SseStreams.lastEventId(request));
    }

    private void handleStop(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            throw ApiServlet.methodNotAllowed(request, response, "POST");
        }
        services.existing(sessionId);
        ApiServlet.writeJson(response, 200, Map.of("stopped", services.engine().stop(sessionId)));
    }
}
