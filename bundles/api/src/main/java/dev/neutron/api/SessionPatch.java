package dev.neutron.api;

/** A partial update of a session: {@code null} fields are left as they are. */
public record SessionPatch(String title, String model) {
}
