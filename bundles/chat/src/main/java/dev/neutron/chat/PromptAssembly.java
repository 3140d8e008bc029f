package dev.neutron.chat;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.MessageRole;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.PromptMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a chat into the request sent to a model: the system prompt, the history with attachments inlined, and the new
 * message, with older turns dropped so the prompt and a reserve for the answer fit the model's context window.
 * Nothing here stores or sends anything; attachments are read through the {@link AttachmentInliner}.
 */
final class PromptAssembly {

    /**
     * The token budget of one request.
     *
     * @param modelWindow     the model's context length, capped by configuration
     * @param answerReserve   tokens kept free for the answer
     * @param maxAnswerTokens the answer's cap sent to the provider; 0 leaves it to the model
     */
    record Budget(int modelWindow, int answerReserve, int maxAnswerTokens) {
        /** The smallest window assumed for a model, whatever it or the configuration says. */
        static final int MIN_MODEL_WINDOW = 512;

        static Budget of(ModelInfo model, ChatConfig cfg) {
            int reported = model.contextLength() != null && model.contextLength() > 0 ? model.contextLength()
                    : cfg.fallbackContextTokens();
            int window = Math.max(MIN_MODEL_WINDOW, Math.min(reported, cfg.maxContextTokens()));
            return new Budget(window, Math.min(cfg.answerReserveTokens(), window / 4), Math.max(0, cfg.maxAnswerTokens()));
        }

        /** Tokens the prompt may take. */
        int promptTokens() {
            return modelWindow - answerReserve;
        }

        /** The most characters of one attached file put into a prompt: about what the prompt's tokens hold. */
        int maxCharsPerFile() {
            return promptTokens() * 3 / 2;
        }
    }

    /** What goes to the provider, with how it was fitted (for {@code meta} and the answer's stats). */
    record Prompt(ChatRequest request, ContextWindow.Fit fit, int modelWindow) {
    }

    private final String model;
    private final List<PromptMessage> system;
    private final Budget budget;
    private final AttachmentInliner inliner;

    PromptAssembly(String model, String systemPrompt, Budget budget, AttachmentInliner inliner) {
        this.model = model;
        this.system = systemPrompt == null || systemPrompt.isBlank() ? List.of()
                : List.of(new PromptMessage(MessageRole.system, systemPrompt));
        this.budget = budget;
        this.inliner = inliner;
    }

    /**
     * The new message as it will be sent, checked before anything is stored: its attachments exist and suit the model,
     * and it fits the window even alone.
     *
     * @throws dev.neutron.api.NeutronException {@code attachment_not_found}, {@code unsupported_file_type},
     *                                          {@code context_overflow}
     */
    PromptMessage newMessage(ChatMessage message) {
        inliner.requireAll(message.attachments());
        PromptMessage newest = inliner.prompt(message);
        ContextWindow.requireRoomFor(newest, system, budget.modelWindow(), budget.answerReserve(), model);
        return newest;
    }

    /** The request: {@code history} (as stored, oldest first) then {@code newest}, fitted to the window. */
    Prompt withHistory(List<ChatMessage> history, PromptMessage newest) {
        List<PromptMessage> conversation = new ArrayList<>(history.size() + 1);
        for (ChatMessage stored : history) {
            if (stored.role() != MessageRole.system && !stored.content().isEmpty()) {
                conversation.add(inliner.prompt(stored));
            }
        }
        conversation.add(newest);
        ContextWindow.Fit fit = ContextWindow.fit(system, conversation, budget.promptTokens());
        int contextWindow = ContextWindow.size(fit.estimatedTokens() + budget.answerReserve(), budget.modelWindow());
        ChatRequest request = new ChatRequest(model, fit.messages(), contextWindow, budget.maxAnswerTokens());
        return new Prompt(request, fit, budget.modelWindow());
    }
}
