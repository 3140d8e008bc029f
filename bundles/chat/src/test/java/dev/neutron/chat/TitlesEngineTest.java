package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatResult;
import dev.neutron.api.ChatSession;
import dev.neutron.api.NewSession;
import dev.neutron.api.PromptMessage;
import dev.neutron.api.SessionPatch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A new chat's provisional title at its first question, and the title its model writes after the first answer. */
class TitlesEngineTest {
    private static final String QUESTION = "What is the capital of France, and why did it become the capital?";
    private static final String PROVISIONAL = "What is the capital of France, and why did it";

    private EngineHarness harness = new EngineHarness(8192, Map.of());

    @AfterEach
    void stopEngine() {
        harness.close();
    }

    private String untitledChat() {
        return harness.store.createSession(new NewSession(null, null)).id();
    }

    private ChatSession session(String id) {
        return harness.store.findSession(id).orElseThrow();
    }

    /** Sends the first question and completes its answer; returns the title request that follows. */
    private FakeModelProvider.Call firstAnswer(String chat) throws Exception {
        EventLog log = new EventLog(harness.send(chat, QUESTION));
        harness.provider.nextCall().answer("Paris. It grew around the Seine.");
        while (log.next().eventType() != ChatEventType.done) {
            // the answer's events until its end
        }
        return harness.provider.nextCall();
    }

    private void awaitTitles() throws InterruptedException {
        assertTrue(harness.engine.awaitTitles(10, TimeUnit.SECONDS), "the title writer stayed busy");
    }

    @Test
    void theFirstQuestionTitlesTheChatAtOnceAndTheModelTitlesItAfterTheAnswer() throws Exception {
        String chat = untitledChat();
        assertEquals("New chat", session(chat).title());

        harness.send(chat, QUESTION);
        assertEquals(PROVISIONAL, session(chat).title(), "before any answer");
        assertTrue(session(chat).autoTitle());
        harness.provider.nextCall().answer("Paris. It grew around the Seine.");

        FakeModelProvider.Call titleCall = harness.provider.nextCall();
        ChatRequest request = titleCall.request();
        assertEquals(FakeModelProvider.MODEL, request.model());
        assertEquals(TitleWriter.MAX_TITLE_TOKENS, request.maxAnswerTokens());
        assertEquals(ContextWindow.MIN_WINDOW, request.contextWindow(), "the answer's window: no reload");
        assertEquals(Map.of("temperature", 0.2), request.options());
        assertNull(request.think());
        assertEquals(List.of(new PromptMessage("system", TitleWriter.INSTRUCTION), new PromptMessage("user",
                "Question: " + QUESTION + "\n\nAnswer: Paris. It grew around the Seine.\n\nTitle:")), request.messages());

        titleCall.answer("**Title:** \"Why Paris Is France's Capital\"\nI hope this helps!");
        awaitTitles();

        assertEquals("Why Paris Is France's Capital", session(chat).title());
        assertTrue(session(chat).autoTitle());
    }

    @Test
    void onlyTheFirstAnswerIsFollowedByATitleRequest() throws Exception {
        String chat = untitledChat();
        firstAnswer(chat).answer("Paris");
        awaitTitles();

        harness.send(chat, "And of Italy?");
        harness.provider.nextCall().answer("Rome");
        awaitTitles();

        assertEquals(0, harness.provider.pendingCalls(), "no second title request");
        assertEquals("Paris", session(chat).title());
    }

    @Test
    void aChatTheUserNamedBeforeTheAnswerKeepsItsName() throws Exception {
        String chat = untitledChat();
        harness.send(chat, QUESTION);
        harness.store.updateSession(chat, new SessionPatch("My trip", null));
        harness.provider.nextCall().answer("Paris");
        awaitTitles();

        assertEquals(0, harness.provider.pendingCalls(), "no title asked of the model");
        assertEquals("My trip", session(chat).title());
        assertFalse(session(chat).autoTitle());
    }

    @Test
    void aNameTheUserGivesWhileTheModelWritesIsKept() throws Exception {
        String chat = untitledChat();
        FakeModelProvider.Call titleCall = firstAnswer(chat);
        harness.store.updateSession(chat, new SessionPatch("My trip", null));
        titleCall.answer("Capital of France");
        awaitTitles();

        assertEquals("My trip", session(chat).title());
    }

    @Test
    void aChatCreatedWithATitleIsNeverRetitled() throws Exception {
        String chat = harness.store.createSession(new NewSession("Named", null)).id();
        harness.send(chat, QUESTION);
        harness.provider.nextCall().answer("Paris");
        awaitTitles();

        assertEquals("Named", session(chat).title());
        assertEquals(0, harness.provider.pendingCalls());
    }

    @Test
    void withTitlesOffTheChatKeepsItsProvisionalTitle() throws Exception {
        harness.reconfigure("titles", "off");
        String chat = untitledChat();
        harness.send(chat, QUESTION);
        harness.provider.nextCall().answer("Paris");
        awaitTitles();

        assertEquals(PROVISIONAL, session(chat).title());
        assertEquals(0, harness.provider.pendingCalls());
    }

    @Test
    void aTitleModelThatIsNotAvailableIsSkipped() throws Exception {
        harness.reconfigure("titleModel", "no-such-model");
        String chat = untitledChat();
        harness.send(chat, QUESTION);
        harness.provider.nextCall().answer("Paris");
        awaitTitles();

        assertEquals(PROVISIONAL, session(chat).title());
        assertEquals(0, harness.provider.pendingCalls());
    }

    @Test
    void aTitleThatTakesTooLongIsCancelledAndTheProvisionalOneStays() throws Exception {
        harness.reconfigure("titleTimeoutSeconds", 1);
        String chat = untitledChat();
        FakeModelProvider.Call titleCall = firstAnswer(chat);
        titleCall.listener().onToken("Capital");
        awaitTitles();

        assertEquals("cancelled", titleCall.result().getNow(null).finishReason());
        assertEquals(PROVISIONAL, session(chat).title());
    }

    @Test
    void aTitleTheModelFailsToWriteLeavesTheProvisionalOne() throws Exception {
        String chat = untitledChat();
        FakeModelProvider.Call titleCall = firstAnswer(chat);
        titleCall.listener().onToken("\"\"");
        titleCall.result().complete(new ChatResult("stop", 1, 1, 1L));
        awaitTitles();

        assertEquals(PROVISIONAL, session(chat).title());
    }

    @Test
    void aThinkingModelIsAskedNotToThinkAboutATitle() throws Exception {
        harness.provider.capabilities("completion", "thinking");
        String chat = untitledChat();

        assertEquals("false", firstAnswer(chat).request().think());
    }

    @Test
    void aStoppedFirstAnswerAsksForNoTitle() throws Exception {
        String chat = untitledChat();
        harness.send(chat, QUESTION);
        harness.provider.nextCall();
        harness.engine.stop(chat);
        awaitTitles();

        assertEquals(0, harness.provider.pendingCalls());
        assertEquals(PROVISIONAL, session(chat).title());
    }
}
