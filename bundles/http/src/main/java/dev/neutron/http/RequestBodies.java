package dev.neutron.http;

import java.util.List;

/** The JSON bodies clients send; unknown fields are rejected. */
final class RequestBodies {
    private RequestBodies() {
    }

    record SessionFields(String title, String model) {
    }

    record SendMessageBody(String content, String model, List<String> attachments) {
    }
}
