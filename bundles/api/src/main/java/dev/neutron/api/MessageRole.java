package dev.neutron.api;

public enum MessageRole {
    system, user, assistant
}
