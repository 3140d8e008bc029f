package dev.neutron.api;

import java.util.List;

/**
 * A user message to send.
 *
 * @param model       optional: switches the session to this model first
 * @param attachments optional ids of attachments to put into the context
 */
public record SendMessage(String content, String model, List<String> attachments) {
    public SendMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
}
