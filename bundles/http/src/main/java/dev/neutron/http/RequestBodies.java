package dev.neutron.http;

import java.util.List;

/** The JSON bodies clients send; unknown fields are rejected. */
final class RequestBodies {
    private RequestBodies() {
    }

    /** A new session. */
    record SessionFields(String title, String model) {
    }

    /** A change of a session; {@code activeLeafId} shows the branch of that message. */
    record SessionPatchBody(String title, String model, String activeLeafId) {
    }

    record SendMessageBody(String content, String model, List<String> attachments, String parentId, String editOf) {
    }

    /** Regenerating an answer: optionally with another model. */
    record RegenerateBody(String model) {
    }
}
