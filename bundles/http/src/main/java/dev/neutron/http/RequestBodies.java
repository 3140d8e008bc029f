package dev.neutron.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The JSON bodies clients send; unknown fields are rejected. */
final class RequestBodies {
    private RequestBodies() {
    }

    /** A new session, with its own settings ({@link ChatSettingsFields}); each field is optional. */
    record SessionFields(String title, String model, JsonNode systemPrompt, JsonNode options, JsonNode think) {
    }

    /**
     * A change of a session; {@code activeLeafId} shows the branch of that message. The settings are JSON nodes so
     * that a field left out (Java null: unchanged) differs from a JSON {@code null} (reset to the default).
     */
    record SessionPatchBody(String title, String model, String activeLeafId, JsonNode systemPrompt, JsonNode options,
            JsonNode think) {
    }

    record SendMessageBody(String content, String model, List<String> attachments, String parentId, String editOf) {
    }

    /** Regenerating an answer: optionally with another model. */
    record RegenerateBody(String model) {
    }
}
