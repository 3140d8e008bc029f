package dev.neutron.chat;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fits a conversation into a model's context window: the system prompt and the newest message always stay, older
 * turns are dropped oldest first until the estimate fits.
 */
final class ContextWindow {
    /** Tokens of chat-template framing per message (role markers, separators). */
    static final int MESSAGE_OVERHEAD_TOKENS = 4;

    private ContextWindow() {
    }

    /**
     * A deliberately pessimistic estimate (about 3 characters per token for text, more for non-ASCII) so the real
     * prompt is no larger than the estimate for the tokenizers of common small models.
     */
    static int estimateTokens(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        long ascii = 0;
        long other = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128) {
                ascii++;
            } else if (!Character.isLowSurrogate(c)) {
                other++;
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, (ascii + 2) / 3 + other);
    }

    /** The smallest window Ollama is asked for; below this the model's own default would be larger anyway. */
    static final int MIN_WINDOW = 4096;

    /**
     * The context window to ask for: big enough for the prompt plus the answer, rounded up to a power of two so that
     * a growing conversation changes it (and makes Ollama reload the model) only now and then, never above the
     * model's own limit.
     */
    static int size(int neededTokens, int modelLimit) {
        int window = MIN_WINDOW;
        while (window < neededTokens && window < modelLimit) {
            window <<= 1;
        }
        return Math.min(window, modelLimit);
    }

    static int estimateTokens(PromptMessage message) {
        return estimateTokens(message.content()) + MESSAGE_OVERHEAD_TOKENS;
    }

    /**
     * Refuses a message that cannot fit the window even alone, with the system prompt and the answer's reserve, since
     * a model cuts an overlong prompt silently. After this check {@link #fit} always keeps a prompt within
     * {@code window - answerReserve}.
     *
     * @param newest the new message as it will be sent, attachments inlined
     * @throws NeutronException {@code context_overflow}
     */
    static void requireRoomFor(PromptMessage newest, List<PromptMessage> system, int window, int answerReserve,
            String model) {
        int systemTokens = 0;
        for (PromptMessage message : system) {
            systemTokens += estimateTokens(message);
        }
        int messageTokens = estimateTokens(newest);
        if (systemTokens + messageTokens + answerReserve <= window) {
            return;
        }
        String systemPart = systemTokens == 0 ? "" : " and " + number(systemTokens) + " to the system prompt";
        throw new NeutronException(ErrorCode.CONTEXT_OVERFLOW, "This message is too long for model '" + model
                + "': it comes to about " + number(messageTokens) + " tokens (with the text of its attachments), but"
                + " the model's context window is " + number(window) + " tokens, of which " + number(answerReserve)
                + " are kept for the answer" + systemPart + ". Shorten the message, attach less, or pick a model with a"
                + " larger context window. Nothing was sent or stored.");
    }

    private static String number(int value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** The result of fitting: the messages to send, how many were left out, and the estimated prompt size. */
    record Fit(List<PromptMessage> messages, int droppedMessages, int estimatedTokens) {
    }

    /**
     * @param system      leading system messages, always kept
     * @param history     the conversation in order; its last message is always kept
     * @param budget      tokens available for the prompt
     */
    static Fit fit(List<PromptMessage> system, List<PromptMessage> history, int budget) {
        int used = 0;
        for (PromptMessage message : system) {
            used += estimateTokens(message);
        }
        int keepFrom = history.size();
        for (int i = history.size() - 1; i >= 0; i--) {
            int cost = estimateTokens(history.get(i));
            boolean newest = i == history.size() - 1;
            if (!newest && used + cost > budget) {
                break;
            }
            used += cost;
            keepFrom = i;
        }
        // never start the kept history with an assistant turn: the model would see an answer to nothing
        while (keepFrom < history.size() - 1 && history.get(keepFrom).messageRole() == MessageRole.assistant) {
            used -= estimateTokens(history.get(keepFrom));
            keepFrom++;
        }
        List<PromptMessage> messages = new ArrayList<>(system.size() + history.size() - keepFrom);
        messages.addAll(system);
        messages.addAll(history.subList(keepFrom, history.size()));
        return new Fit(messages, keepFrom, used);
    }
}
