package dev.neutron.http;

import dev.neutron.api.ChatStore;
import dev.neutron.api.LiveGeneration;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message of a chat's tree: {@code /messages/{messageId}} (DELETE removes it and everything under it) and
 * {@code /messages/{messageId}/regenerate} (POST answers its question again, streamed as SSE like a send).
 */
final class BranchesResource implements SessionsHandler {
    private final SessionServices services;
    private final JsonBodyReader json;
    private final SseStreams streams;
    private final SessionBranches branches;

    BranchesResource(SessionServices services, JsonBodyReader json, SseStreams streams, SessionBranches branches) {
        this.services = services;
        this.json = json;
        this.streams = streams;
        this.branches = branches;
    }

    @Override
    public void handle(SessionsRoute route, HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (route.resource()) {
            case MESSAGE -> handleMessage(route, request, response);
            case REGENERATE -> handleRegenerate(route, request, response);
            default -> throw new IllegalArgumentException("not a branch route: " + route);
        }
    }

    private void handleMessage(SessionsRoute route, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!"DELETE".equals(request.getMethod())) {
            throw ApiServlet.methodNotAllowed(request, response, "DELETE");
        }
        ChatStore store = services.store();
        services.existing(store, route.sessionId());
        SessionBranches.Deleted deleted = branches.delete(store, route.sessionId(), route.messageId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session", SessionView.of(deleted.session(), services.generating(route.sessionId())));
        body.put("deleted", deleted.deleted());
        ApiServlet.writeJson(response, 200, body);
    }

    private void handleRegenerate(SessionsRoute route, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!"POST".equals(request.getMethod())) {
            throw ApiServlet.methodNotAllowed(request, response, "POST");
        }
        RequestBodies.RegenerateBody body = json.read(request, RequestBodies.RegenerateBody.class);
        services.existing(route.sessionId());
        LiveGeneration generation = services.engine().regenerate(route.sessionId(), route.messageId(), body.model());
        streams.open(request, response, generation, 0);
    }
}
