package dev.neutron.chat;

import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ModelInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a chat's settings (over the defaults) make of one request to one model: the system prompt, the options to
 * send, a fixed context window ({@code num_ctx}) and answer cap ({@code num_predict}) taken out of them, and the
 * thinking to send, which goes only to a model with the {@code thinking} capability. A chat that asks a model without
 * it to think is answered without thinking, and {@link #thinkIgnored} says why (in the {@code meta} event).
 *
 * @param options    the options other than {@code num_ctx} and a positive {@code num_predict}
 * @param numCtx     the chat's fixed window, or null for the automatic one
 * @param numPredict the chat's answer cap above 0, or null
 * @param think      what is sent as {@code think}; null: nothing
 */
record RequestSettings(String systemPrompt, Map<String, Object> options, Integer numCtx, Integer numPredict,
        String think, String thinkIgnored) {
    static final String THINKING = "thinking";

    static RequestSettings of(ChatSettings chat, ChatSettings defaults, ModelInfo model) {
        ChatSettings effective = chat.over(defaults);
        Map<String, Object> options = new LinkedHashMap<>(effective.options());
        Integer numCtx = whole(options.remove(ChatRequest.NUM_CTX));
        Integer numPredict = whole(options.get(ChatRequest.NUM_PREDICT));
        if (numPredict != null && numPredict > 0) {
            options.remove(ChatRequest.NUM_PREDICT);
        } else {
            numPredict = null; // -1 (no limit) and -2 (fill the window) are sent as they are
        }
        String think = effective.think();
        String ignored = null;
        if (think != null && !model.capabilities().contains(THINKING)) {
            if (!"false".equals(think)) {
                ignored = "Model '" + model.name() + "' cannot think (it lacks the thinking capability), so the chat's"
                        + " thinking setting (" + think + ") was not sent.";
            }
            think = null;
        }
        return new RequestSettings(effective.systemPrompt(), Collections.unmodifiableMap(options), numCtx, numPredict, think, ignored);
    }

    /** {@code think} as the API shows it: {@code true}/{@code false} as booleans, a level as its name. */
    static Object thinkOnWire(String think) {
        return "true".equals(think) || "false".equals(think) ? (Object) Boolean.valueOf(think) : think;
    }

    private static Integer whole(Object value) {
        return value instanceof Number number ? (int) Math.min(Integer.MAX_VALUE, number.longValue()) : null;
    }
}
