package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** From stored history to the request a model gets, without a framework, a store or a provider. */
class PromptAssemblyTest {
    private static final String SESSION = "chat_1";
    private static final ModelInfo MODEL = new ModelInfo("m", "fake", null, 8192, null, null, null, List.of());

    private static ChatMessage msg(MessageRole role, String content, String... attachments) {
        return new ChatMessage("msg_" + role + content.hashCode(), role, content, "m", Instant.EPOCH,
                MessageStatus.complete, List.of(attachments), null, null);
    }

    private static ChatMessage user(String content) {
        return msg(MessageRole.user, content);
    }

    private static ChatMessage assistant(String content) {
        return msg(MessageRole.assistant, content);
    }

    /** Turns of about 1,000 tokens each. */
    private static List<ChatMessage> longTurns(int pairs) {
        List<ChatMessage> turns = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            turns.add(user("q" + i + " " + "u".repeat(3_000)));
            turns.add(assistant("a" + i + " " + "v".repeat(3_000)));
        }
        return turns;
    }

    private static List<String> shown(List<PromptMessage> messages) {
        return messages.stream().map(m -> m.role() + ":" + (m.content().length() > 12 ? m.content().substring(0, 12)
                + "…" : m.content())).toList();
    }

    static Stream<Arguments> conversations() {
        return Stream.of(
                Arguments.of("a first message goes alone", "", 8192, List.of(), "Hi",
                        List.of("user:Hi"), 0, 4096),
                Arguments.of("the system prompt leads", "Be brief.", 8192, List.of(), "Hi",
                        List.of("system:Be brief.", "user:Hi"), 0, 4096),
                Arguments.of("history comes in order before the new message", "", 8192,
                        List.of(user("one"), assistant("first")), "two",
                        List.of("user:one", "assistant:first", "user:two"), 0, 4096),
                Arguments.of("empty answers and stored system lines are left out", "", 8192,
                        List.of(user("one"), assistant(""), msg(MessageRole.system, "note"), user("again")), "two",
                        List.of("user:one", "user:again", "user:two"), 0, 4096),
                Arguments.of("the oldest turns go first and the kept history starts with a question", "", 8192,
                        longTurns(10), "new",
                        List.of("user:q7 uuuuuuuuu…", "assistant:a7 vvvvvvvvv…", "user:q8 uuuuuuuuu…",
                                "assistant:a8 vvvvvvvvv…", "user:q9 uuuuuuuuu…", "assistant:a9 vvvvvvvvv…", "user:new"),
                        14, 8192),
                Arguments.of("a longer window takes all and asks for the next power of two", "", 65_536,
                        longTurns(10), "new", null, 0, 32_768));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversations")
    void fitsTheConversationIntoTheWindow(String name, String systemPrompt, int modelWindow, List<ChatMessage> history,
            String newest, List<String> expected, int dropped, int contextWindow) {
        PromptAssembly assembly = new PromptAssembly("m", systemPrompt, new PromptAssembly.Budget(modelWindow, 1024, 0),
                new AttachmentInliner(null, null, SESSION, MODEL, 1000));

        PromptAssembly.Prompt prompt = assembly.withHistory(history, assembly.newMessage(user(newest)));

        if (expected != null) {
            assertEquals(expected, shown(prompt.request().messages()));
        }
        assertEquals(dropped, prompt.fit().droppedMessages());
        assertEquals(contextWindow, prompt.request().contextWindow());
        assertEquals(modelWindow, prompt.modelWindow());
        int estimate = prompt.request().messages().stream().mapToInt(ContextWindow::estimateTokens).sum();
        assertEquals(estimate, prompt.fit().estimatedTokens());
    }

    static Stream<Arguments> budgets() {
        return Stream.of(
                Arguments.of("the model's own length", 8192, Map.of(), new PromptAssembly.Budget(8192, 1024, 0)),
                Arguments.of("the fallback when the model has none", null, Map.of(),
                        new PromptAssembly.Budget(4096, 1024, 0)),
                Arguments.of("capped by maxContextTokens", 131_072, Map.of("maxContextTokens", 32_768),
                        new PromptAssembly.Budget(32_768, 1024, 0)),
                Arguments.of("never below 512, the reserve at most a quarter", 100, Map.of(),
                        new PromptAssembly.Budget(512, 128, 0)),
                Arguments.of("the answer cap as configured", 8192, Map.of("maxAnswerTokens", 256),
                        new PromptAssembly.Budget(8192, 1024, 256)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("budgets")
    void budgetsTheWindow(String name, Integer contextLength, Map<String, Object> config,
            PromptAssembly.Budget expected) {
        ModelInfo model = new ModelInfo("m", "fake", null, contextLength, null, null, null, List.of());

        assertEquals(expected, PromptAssembly.Budget.of(model, TestChatConfig.of(config)));
    }

    @Test
    void inlinesAttachmentsOfEveryMessageUnderAHeader() {
        TextAttachments files = new TextAttachments();
        String old = files.add(SESSION, "old.txt", "from before");
        String fresh = files.add(SESSION, "new.txt", "x".repeat(1_500));
        PromptAssembly assembly = new PromptAssembly("m", "", new PromptAssembly.Budget(8192, 1024, 128),
                new AttachmentInliner(files, new AttachmentCache(10_000), SESSION, MODEL, 1000));

        PromptAssembly.Prompt prompt = assembly.withHistory(List.of(msg(MessageRole.user, "Look", old), assistant("ok")),
                assembly.newMessage(msg(MessageRole.user, "And this", fresh)));

        List<PromptMessage> messages = prompt.request().messages();
        assertEquals("Attached file: old.txt (text/plain)\n-----\nfrom before\n-----\n\nLook", messages.get(0).content());
        assertEquals("Attached file: new.txt (text/plain)\n-----\n" + "x".repeat(1_000) + "\n[... truncated: only the"
                + " first 1000 characters of this file fit the model's context window]\n-----\n\nAnd this",
                messages.get(2).content());
        assertEquals(128, prompt.request().maxAnswerTokens());
    }

    @Test
    void refusesANewMessageThatCannotFitEvenAlone() {
        PromptAssembly assembly = new PromptAssembly("m", "", new PromptAssembly.Budget(4096, 1024, 0),
                new AttachmentInliner(null, null, SESSION, MODEL, 1000));

        NeutronException error = assertThrows(NeutronException.class, () -> assembly.newMessage(user("z".repeat(10_000))));

        assertEquals(ErrorCode.CONTEXT_OVERFLOW, error.code());
    }

    @Test
    void refusesAnAttachmentThatDoesNotExist() {
        PromptAssembly assembly = new PromptAssembly("m", "", new PromptAssembly.Budget(4096, 1024, 0),
                new AttachmentInliner(new TextAttachments(), new AttachmentCache(0), SESSION, MODEL, 1000));

        NeutronException error = assertThrows(NeutronException.class,
                () -> assembly.newMessage(msg(MessageRole.user, "see", "att_000000000099")));

        assertEquals(ErrorCode.ATTACHMENT_NOT_FOUND, error.code());
        assertEquals("No attachment with id att_000000000099 in this chat. Upload it first.", error.getMessage());
    }
}
