package dev.neutron.chat;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.MessageRole;
import java.util.List;

/**
 * How large a context window to ask a model for. Ollama loads a model again whenever the window it is asked for
 * changes, which costs a moment for a small model and many seconds for a large one, so the window changes as rarely
 * as a growing chat allows: the window the model was last asked for (what it is loaded with, as far as Neutron knows)
 * is reused whenever the prompt and the answer's reserve fit it; otherwise the window grows in power-of-two steps, and
 * never below the largest one the chat's earlier answers by this model had, so a chat does not shrink back.
 */
final class WindowPolicy {
    private WindowPolicy() {
    }

    /**
     * @param needed     tokens of the prompt plus the answer's reserve
     * @param modelLimit the model's own window (capped by configuration): never asked for more
     * @param loaded     the window the model was last asked for, or null when unknown
     * @param chatFloor  the largest window of this chat's earlier answers by this model, or 0
     */
    static int choose(int needed, int modelLimit, Integer loaded, int chatFloor) {
        if (loaded != null && loaded >= needed && loaded <= modelLimit) {
            return loaded;
        }
        return Math.min(modelLimit, Math.max(ContextWindow.size(needed, modelLimit), chatFloor));
    }

    /** The largest window this branch's answers by {@code model} were generated with; 0 when none. */
    static int chatFloor(List<ChatMessage> history, String model) {
        int floor = 0;
        for (ChatMessage message : history) {
            if (message.role() == MessageRole.assistant && message.stats() != null && model.equals(message.model())) {
                floor = Math.max(floor, message.stats().contextWindow());
            }
        }
        return floor;
    }
}
