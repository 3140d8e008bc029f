package dev.neutron.http;

import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatService;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ChatStore;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sessions CRUD: {@code /api/v1/chat/sessions} (list, create) and {@code /api/v1/chat/sessions/{id}}. */
final class SessionsResource implements SessionsHandler {
    static final int MAX_TITLE_CHARS = ChatSession.MAX_TITLE_CHARS;

    private final SessionServices services;
    private final JsonBodyReader json;
    private final SessionBranches branches;

    SessionsResource(SessionServices services, JsonBodyReader json, SessionBranches branches) {
        this.services = services;
        this.json = json;
        this.branches = branches;
    }

    @Override
    public void handle(SessionsRoute route, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (route.resource() == SessionsRoute.Resource.SESSIONS) {
            handleCollection(request, response);
        } else {
            handleSession(route.sessionId(), request, response);
        }
    }

    private void handleCollection(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getMethod()) {
            case "GET" -> {
                ChatService engine = services.engineIfRunning();
                List<SessionView> sessions = services.store().listSessions().stream()
                        .map(s -> SessionView.of(s, engine != null && engine.isGenerating(s.id()))).toList();
                ApiServlet.writeJson(response, 200, Map.of("sessions", sessions));
            }
            case "POST" -> {
                RequestBodies.SessionFields body = json.read(request, RequestBodies.SessionFields.class);
                validateTitle(body.title());
                ChatSettings settings = ChatSettingsFields.ofNew(body.systemPrompt(), body.options(), body.think());
                ChatSession created = services.store().createSession(new NewSession(body.title(), body.model(), settings));
                response.setHeader("Location", "/api/v1/chat/sessions/" + created.id());
                ApiServlet.writeJson(response, 201, SessionView.of(created, false));
            }
            default -> throw ApiServlet.methodNotAllowed(request, response, "GET, POST");
        }
    }

    private void handleSession(String sessionId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        ChatStore store = services.store();
        switch (request.getMethod()) {
            case "GET" -> {
                boolean withTree = ChatTreeView.wantsTree(request);
                ChatSession session = services.existing(store, sessionId);
                ChatTreeView view = ChatTreeView.of(store, sessionId, withTree);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("session", SessionView.of(session, services.generating(sessionId), view.leafId()));
                body.put("messages", view.messages());
                if (withTree) {
                    body.put("tree", view.tree());
                }
                ApiServlet.writeJson(response, 200, body);
            }
            case "PATCH" -> {
                RequestBodies.SessionPatchBody body = json.read(request, RequestBodies.SessionPatchBody.class);
                validateTitle(body.title());
                ChatSession current = services.existing(store, sessionId);
                ChatSettings settings = ChatSettingsFields.patched(current.settings(), body.systemPrompt(),
                        body.options(), body.think());
                ChatSession updated = body.activeLeafId() == null ? null
                        : branches.show(store, sessionId, body.activeLeafId());
                if (updated == null || body.title() != null || body.model() != null || settings != null) {
                    // a title given here is the user's: Neutron never replaces it
                    updated = store.updateSession(sessionId, new SessionPatch(body.title(), body.model(), settings, false));
                }
                ApiServlet.writeJson(response, 200, SessionView.of(updated, services.generating(sessionId)));
            }
            case "DELETE" -> {
                services.existing(store, sessionId);
                ChatService engine = services.engineIfRunning();
                if (engine != null) {
                    engine.stop(sessionId);
                }
                if (!store.deleteSession(sessionId)) {
                    throw SessionServices.sessionNotFound(sessionId);
                }
                AttachmentStore files = services.attachmentsIfRunning();
                if (files != null) {
                    files.deleteAll(sessionId);
                }
                response.setStatus(204);
            }
            default -> throw ApiServlet.methodNotAllowed(request, response, "GET, PATCH, DELETE");
        }
    }

    private static void validateTitle(String title) {
        if (title != null && title.length() > MAX_TITLE_CHARS) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST,
                    "Field 'title' is " + title.length() + " characters long; the limit is " + MAX_TITLE_CHARS + ".");
        }
    }
}
