package dev.neutron.api;

/** What a client may set when it creates a session; both fields are optional. */
public record NewSession(String title, String model) {
}
