package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import dev.neutron.api.SendMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine never sends a prompt the model's window cannot hold: Ollama would cut it silently. */
class ChatEngineContextWindowTest {
    private static final int WINDOW = 8192;

    private EngineHarness harness;

    @AfterEach
    void stopEngine() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void refusesAMessageTooLargeForTheWholeWindowBeforeStoringOrSendingAnything() {
        harness = new EngineHarness(WINDOW, Map.of());
        String session = harness.store.newSession();

        NeutronException error = assertThrows(NeutronException.class, () -> harness.send(session, "x".repeat(30_000)));

        assertEquals(ErrorCode.CONTEXT_OVERFLOW, error.code());
        assertEquals(400, error.code().httpStatus());
        assertEquals("This message is too long for model 'fake-model': it comes to about 10,004 tokens (with the text of"
                + " its attachments), but the model's context window is 8,192 tokens, of which 1,024 are kept for the"
                + " answer. Shorten the message, attach less, or pick a model with a larger context window. Nothing was"
                + " sent or stored.", error.getMessage());
        assertEquals(List.of(), harness.store.messages(session), "nothing stored");
        assertNull(harness.store.findSession(session).orElseThrow().model(), "the session's model is unchanged");
        assertEquals(0, harness.provider.pendingCalls(), "nothing sent");
        assertTrue(harness.engine.generation(session).isEmpty());
    }

    @Test
    void countsTheSystemPromptWithTheMessage() throws Exception {
        String message = "y".repeat(20_000); // 6,671 tokens: fits 8,192 with the answer's 1,024, not with 504 more
        harness = new EngineHarness(WINDOW, Map.of());
        String session = harness.store.newSession();
        harness.send(session, message);
        harness.provider.nextCall().answer("ok");
        harness.close();

        harness = new EngineHarness(WINDOW, Map.of("systemPrompt", "s".repeat(1_500)));
        String other = harness.store.newSession();
        NeutronException error = assertThrows(NeutronException.class, () -> harness.send(other, message));

        assertEquals(ErrorCode.CONTEXT_OVERFLOW, error.code());
        assertTrue(error.getMessage().contains("about 6,671 tokens")
                && error.getMessage().contains("1,024 are kept for the answer and 504 to the system prompt"),
                error.getMessage());
        assertEquals(List.of(), harness.store.messages(other));
    }

    @Test
    void countsTheInlinedTextOfAttachments() {
        harness = new EngineHarness(WINDOW, Map.of());
        TextAttachments files = new TextAttachments();
        harness.engine.bindAttachments(files);
        String session = harness.store.newSession();
        List<String> ids = List.of(files.add(session, "a.txt", "a".repeat(20_000)),
                files.add(session, "b.txt", "b".repeat(20_000)), files.add(session, "c.txt", "c".repeat(20_000)));

        NeutronException error = assertThrows(NeutronException.class, () -> harness.engine.send(session,
                new SendMessage("Summarise these.", FakeModelProvider.MODEL, ids)));

        assertEquals(ErrorCode.CONTEXT_OVERFLOW, error.code());
        assertEquals(List.of(), harness.store.messages(session));
        assertEquals(0, harness.provider.pendingCalls());
    }

    @Test
    void keepsThePromptWithinTheWindowItAsksForWhenOlderTurnsMustGo() throws Exception {
        harness = new EngineHarness(WINDOW, Map.of());
        String session = harness.store.newSession();
        for (int i = 0; i < 10; i++) {
            harness.store.appendMessage(session, stored(MessageRole.user, "q" + i + " " + "u".repeat(3_000)));
            harness.store.appendMessage(session, stored(MessageRole.assistant, "a" + i + " " + "v".repeat(3_000)));
        }
        EventLog events = new EventLog(harness.send(session, "new " + "w".repeat(6_000)));

        ChatRequest request = harness.provider.nextCall().request();
        int promptTokens = request.messages().stream().mapToInt(ContextWindow::estimateTokens).sum();
        ChatEvent meta = events.next();

        assertEquals("meta", meta.type());
        assertEquals(WINDOW, request.contextWindow());
        assertTrue(promptTokens + 1024 <= request.contextWindow(), promptTokens + " tokens + the answer's 1,024");
        assertEquals(promptTokens, ((Map<?, ?>) meta.data()).get("promptTokenEstimate"));
        assertEquals(16, ((Map<?, ?>) meta.data()).get("droppedMessages"));
        PromptMessage first = request.messages().get(0);
        assertEquals("user", first.role(), "the kept history starts with a question");
        assertTrue(request.messages().get(request.messages().size() - 1).content().startsWith("new "));
    }

    private static ChatMessage stored(MessageRole role, String content) {
        return new ChatMessage("msg_" + content.hashCode(), role, content, FakeModelProvider.MODEL, Instant.now(),
                MessageStatus.complete, List.of(), null, null);
    }

    /**
     * The bug: every request was sized to its own prompt, so a short chat after a long one asked the model for a
     * smaller window, and Ollama loaded the model again, twice per switch.
     */
    @Test
    void aShortChatAfterALongOneReusesTheLoadedWindowAndAGrowingChatSaysWhenItReloads() throws Exception {
        harness = new EngineHarness(32_768, Map.of());
        String longChat = harness.store.newSession();
        String shortChat = harness.store.newSession();

        harness.send(longChat, "short");
        harness.provider.nextCall().answer("ok");
        harness.send(longChat, "z".repeat(15_000)); // about 5,000 tokens: needs the next step
        ChatRequest grown = harness.provider.nextCall().request();
        harness.send(shortChat, "short");
        ChatRequest reused = harness.provider.nextCall().request();

        assertEquals(8_192, grown.contextWindow());
        assertEquals(8_192, reused.contextWindow(), "the model's loaded window fits: no reload");
    }

    @Test
    void theAnswersStatsSayWhetherItsWindowReloadedTheModel() throws Exception {
        harness = new EngineHarness(32_768, Map.of());
        String session = harness.store.newSession();
        harness.send(session, "short");
        harness.provider.nextCall().answer("ok");
        harness.send(session, "z".repeat(15_000));
        harness.provider.nextCall().answer("ok");
        harness.send(session, "short again");
        harness.provider.nextCall().answer("ok");
        harness.engine.awaitTitles(10, java.util.concurrent.TimeUnit.SECONDS);

        List<ChatMessage> answers = harness.store.messages(session).stream()
                .filter(m -> m.role() == MessageRole.assistant).toList();
        assertEquals(List.of(4_096, 8_192, 8_192), answers.stream().map(m -> m.stats().contextWindow()).toList());
        assertEquals(List.of(false, true, false), answers.stream().map(m -> m.stats().contextReload()).toList());
    }
}
