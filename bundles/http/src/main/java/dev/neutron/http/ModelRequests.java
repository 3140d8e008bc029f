package dev.neutron.http;

import java.util.Map;

/** The JSON bodies of the model management API. */
final class ModelRequests {
    private ModelRequests() {
    }

    record Pull(String name, Boolean insecure) {
    }

    record Name(String name) {
    }

    record Copy(String from, String to) {
    }

    record Create(String name, String blob, String system, String template, Map<String, Object> parameters) {
    }
}
