package dev.neutron.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The context window each model was last asked for by this engine: what the model is loaded with, as far as it knows. */
final class LoadedWindows {
    private final Map<String, Integer> byModel = new ConcurrentHashMap<>();

    Integer of(String providerId, String model) {
        return byModel.get(key(providerId, model));
    }

    /**
     * Notes that {@code model} is asked for {@code window} now. Returns whether that makes the model load again: its
     * window changes (false when the model was not asked anything since the engine started).
     */
    boolean ask(String providerId, String model, int window) {
        Integer before = byModel.put(key(providerId, model), window);
        return before != null && before != window;
    }

    void clear() {
        byModel.clear();
    }

    private static String key(String providerId, String model) {
        return providerId + "\u0000" + model;
    }
}
