package dev.neutron.chat;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.MessageRole;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
     * @param fixedWindow     the window is a chat's own {@code num_ctx}: asked for as it is, not sized to the prompt
     */
    record Budget(int modelWindow, int answerReserve, int maxAnswerTokens, boolean fixedWindow) {
        /** The smallest window assumed for a model, whatever it or the configuration says. */
        static final int MIN_MODEL_WINDOW = 512;

        /** An automatic window: sized to the prompt, up to {@code modelWindow}. */
        Budget(int modelWindow, int answerReserve, int maxAnswerTokens) {
            this(modelWindow, answerReserve, maxAnswerTokens, false);
        }

        static Budget of(ModelInfo model, ChatConfig cfg) {
            return of(model, cfg, null, null);
        }

        /**
         * @param numCtx     a chat's fixed window: used as it is, instead of the model's (capped) one, and always asked for
         * @param numPredict a chat's cap of the answer, instead of the configured one
         */
        static Budget of(ModelInfo model, ChatConfig cfg, Integer numCtx, Integer numPredict) {
            int reported = model.contextLength() != null && model.contextLength() > 0 ? model.contextLength()
                    : cfg.fallbackContextTokens();
            int window = numCtx != null ? numCtx : Math.max(MIN_MODEL_WINDOW, Math.min(reported, cfg.maxContextTokens()));
            int maxAnswer = numPredict != null ? numPredict : Math.max(0, cfg.maxAnswerTokens());
            return new Budget(window, Math.min(cfg.answerReserveTokens(), window / 4), maxAnswer, numCtx != null);
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
    private final Map<String, Object> options;
    private final String think;
    private final WindowSizing sizing;

    /** The automatic window for a prompt: from the tokens it needs (with the answer's reserve) and the model's limit. */
    @FunctionalInterface
    interface WindowSizing {
        int size(int neededTokens, int modelWindow);
    }

    PromptAssembly(String model, String systemPrompt, Budget budget, AttachmentInliner inliner) {
        this(model, systemPrompt, budget, inliner, Map.of(), null);
    }

    PromptAssembly(String model, String systemPrompt, Budget budget, AttachmentInliner inliner,
            Map<String, Object> options, String think) {
        this(model, systemPrompt, budget, inliner, options, think, ContextWindow::size);
    }

    /**
     * @param options the model options sent besides the window and the answer's cap (those come from {@code budget})
     * @param think   the thinking sent, or null
     * @param sizing  the automatic window (see {@link WindowPolicy}); not used for a chat's fixed window
     */
    PromptAssembly(String model, String systemPrompt, Budget budget, AttachmentInliner inliner,
            Map<String, Object> options, String think, WindowSizing sizing) {
        this.model = model;
        this.sizing = sizing;
        this.options = options;
        this.think = think;
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

    /**
     * The request: {@code history} (as stored, oldest first) then {@code newest}, fitted to the window. Only a
     * message's content is sent, never an answer's thinking.
     */
    Prompt withHistory(List<ChatMessage> history, PromptMessage newest) {
        List<PromptMessage> conversation = new ArrayList<>(history.size() + 1);
        for (ChatMessage stored : history) {
            if (stored.role() != MessageRole.system && !stored.content().isEmpty()) {
                conversation.add(inliner.prompt(stored));
            }
        }
        conversation.add(newest);
        ContextWindow.Fit fit = ContextWindow.fit(system, conversation, budget.promptTokens());
        int contextWindow = budget.fixedWindow() ? budget.modelWindow()
                : sizing.size(fit.estimatedTokens() + budget.answerReserve(), budget.modelWindow());
        ChatRequest request = new ChatRequest(model, fit.messages(), contextWindow, budget.maxAnswerTokens(), options,
                think);
        return new Prompt(request, fit, budget.modelWindow());
    }
}
