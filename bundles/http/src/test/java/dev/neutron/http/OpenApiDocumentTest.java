package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.NeutronException;
import dev.neutron.http.SessionsRoute.Resource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is well formed and covers every resource the sessions servlet routes; the distribution's
 * {@code OpenApiContractIT} checks the rest (every servlet pattern, every method) against the running server.
 */
class OpenApiDocumentTest {
    private static final JsonNode DOCUMENT = read();
    private static final String SESSIONS = "/api/v1/chat/sessions";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private static JsonNode read() {
        try {
            return Json.MAPPER.readTree(OpenApiServlet.load());
        } catch (java.io.IOException e) {
            throw new AssertionError("openapi.json is not valid JSON", e);
        }
    }

    private static List<Map.Entry<String, JsonNode>> operations() {
        List<Map.Entry<String, JsonNode>> operations = new ArrayList<>();
        DOCUMENT.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                operations.add(Map.entry(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue()));
            }
        }));
        return operations;
    }

    @Test
    void isAnOpenApi31Document() {
        assertEquals("3.1.0", DOCUMENT.path("openapi").asText());
        assertTrue(operations().size() >= 30, "operations: " + operations().size());
    }

    @Test
    void everySessionsRouteIsDocumentedAndEveryDocumentedSessionsPathIsRouted() {
        Set<Resource> documented = EnumSet.noneOf(Resource.class);
        DOCUMENT.path("paths").fieldNames().forEachRemaining(path -> {
            if (path.startsWith(SESSIONS)) {
                String pathInfo = path.substring(SESSIONS.length()).replace("{sessionId}", "chat_0123456789abcdef")
                        .replace("{attachmentId}", "att_0123456789abcdef").replace("{messageId}", "msg_1");
                try {
                    documented.add(SessionsRoute.of(pathInfo, path).resource());
                } catch (NeutronException e) {
                    fail("Documented " + path + " is not routed: " + e.getMessage());
                }
            }
        });
        assertEquals(EnumSet.allOf(Resource.class), documented, "resources the sessions servlet routes without a path in openapi.json");
    }

    @Test
    void everyOperationHasAUniqueIdAndEveryClientErrorHasTheErrorBody() {
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, JsonNode> operation : operations()) {
            String id = operation.getValue().path("operationId").asText();
            assertFalse(id.isEmpty(), operation.getKey() + " has no operationId");
            assertTrue(ids.add(id), "operationId " + id + " twice");
            operation.getValue().path("responses").fields().forEachRemaining(response -> {
                if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                    JsonNode resolved = resolve(response.getValue());
                    assertEquals("#/components/schemas/Error", resolved.path("content").path("application/json")
                            .path("schema").path("$ref").asText(), operation.getKey() + " " + response.getKey());
                }
            });
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = new ArrayList<>();
        collectBrokenRefs(DOCUMENT, broken);
        assertEquals(List.of(), broken);
    }

    private static void collectBrokenRefs(JsonNode node, List<String> broken) {
        if (node.isObject() && node.has("$ref") && resolvePointer(node.get("$ref").asText()).isMissingNode()) {
            broken.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectBrokenRefs(child, broken));
    }

    private static JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? resolvePointer(node.get("$ref").asText()) : node;
    }

    private static JsonNode resolvePointer(String ref) {
        return ref.startsWith("#") ? DOCUMENT.at(ref.substring(1)) : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
