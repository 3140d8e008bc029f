package dev.neutron.api;

/** How a message ended. A user message is always {@code complete}; an assistant answer may be cut short. */
public enum MessageStatus {
    complete, stopped, error
}
