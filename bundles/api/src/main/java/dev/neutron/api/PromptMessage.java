package dev.neutron.api;

import java.util.List;

/** A message as sent to a model. {@code images} are base64-encoded, for vision models. */
public record PromptMessage(String role, String content, List<String> images) {
    public PromptMessage {
        images = images == null ? List.of() : List.copyOf(images);
    }

    public PromptMessage(String role, String content) {
        this(role, content, List.of());
    }
}
