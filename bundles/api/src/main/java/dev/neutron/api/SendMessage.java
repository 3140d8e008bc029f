package dev.neutron.api;

import java.util.List;

/**
 * A user message to send.
 *
 * @param model       optional: switches the session to this model first
 * @param attachments optional ids of attachments to put into the context
 * @param parentId    optional: the message this one follows, which starts a new branch there; without it (and without
 *                    {@code editOf}) the message follows the session's active leaf
 * @param editOf      optional: the user message this one replaces; it becomes that message's sibling (same parent,
 *                    {@code null} for the first question). At most one of {@code parentId} and {@code editOf}.
 */
public record SendMessage(String content, String model, List<String> attachments, String parentId, String editOf) {
    public SendMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A message that follows the active leaf. */
    public SendMessage(String content, String model, List<String> attachments) {
        this(content, model, attachments, null, null);
    }
}
