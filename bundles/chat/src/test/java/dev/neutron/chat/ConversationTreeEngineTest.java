package dev.neutron.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ChatEvent;
import dev.neutron.api.ChatEventType;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import dev.neutron.api.SendMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Branches from the engine's side: edits, messages after an earlier one, and answers generated again. */
class ConversationTreeEngineTest {
    private final EngineHarness harness = new EngineHarness(8192, Map.of());
    private String session;
    /** q1, a1, q2, a2: two questions and their answers. */
    private List<ChatMessage> chat;

    @BeforeEach
    void twoTurns() throws Exception {
        session = harness.store.newSession();
        harness.send(session, "q1");
        harness.provider.nextCall().answer("a1");
        harness.send(session, "q2");
        harness.provider.nextCall().answer("a2");
        chat = harness.store.messages(session);
    }

    @AfterEach
    void stopEngine() {
        harness.close();
    }

    private ChatMessage q1() {
        return chat.get(0);
    }

    private ChatMessage a1() {
        return chat.get(1);
    }

    private ChatMessage q2() {
        return chat.get(2);
    }

    private ChatMessage a2() {
        return chat.get(3);
    }

    private LiveGeneration send(String content, String parentId, String editOf) {
        return harness.engine.send(session, new SendMessage(content, FakeModelProvider.MODEL, null, parentId, editOf));
    }

    private static List<PromptMessage> prompt(String... alternatingUserAndAssistant) {
        return java.util.stream.IntStream.range(0, alternatingUserAndAssistant.length)
                .mapToObj(i -> new PromptMessage(i % 2 == 0 ? MessageRole.user : MessageRole.assistant,
                        alternatingUserAndAssistant[i])).toList();
    }

    private List<String> contents(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::content).toList();
    }

    private static ChatMessage ended(EventLog log) throws InterruptedException {
        ChatEvent event;
        do {
            event = log.next();
        } while (!event.terminal());
        return (ChatMessage) ((Map<?, ?>) event.data()).get("message");
    }

    @Test
    void anEditOfTheSecondQuestionIsItsSiblingAndTheOldQuestionLeavesThePrompt() throws Exception {
        send("q2 edited", null, q2().id());
        FakeModelProvider.Call call = harness.provider.nextCall();

        assertEquals(prompt("q1", "a1", "q2 edited"), call.request().messages());
        call.answer("a2'");
        List<ChatMessage> shown = harness.store.messages(session);
        assertEquals(List.of("q1", "a1", "q2 edited", "a2'"), contents(shown));
        assertEquals(a1().id(), shown.get(2).parentId(), "the edit has the old question's parent");
        assertEquals(shown.get(2).id(), shown.get(3).parentId());
        assertEquals(6, harness.store.allMessages(session).size(), "the old question and its answer stay");
    }

    @Test
    void anEditOfTheFirstQuestionIsANewRootWithNoHistory() throws Exception {
        LiveGeneration generation = send("q1 edited", null, q1().id());
        FakeModelProvider.Call call = harness.provider.nextCall();

        assertEquals(prompt("q1 edited"), call.request().messages());
        assertEquals(generation.userMessageId(), harness.store.messages(session).get(0).id());
        call.answer("a1'");
        List<ChatMessage> shown = harness.store.messages(session);
        assertEquals(List.of("q1 edited", "a1'"), contents(shown));
        assertNull(shown.get(0).parentId());
    }

    @Test
    void aParentIdContinuesAfterThatMessageWithItsBranchAsHistory() throws Exception {
        send("q2 elsewhere", a1().id(), null);

        assertEquals(prompt("q1", "a1", "q2 elsewhere"), harness.provider.nextCall().request().messages());
        assertEquals(a1().id(), harness.store.messages(session).get(2).parentId());
    }

    @Test
    void refusesBadBranchPointsBeforeStoringAnything() throws Exception {
        assertEquals(ErrorCode.INVALID_REQUEST, assertThrows(NeutronException.class,
                () -> send("x", a1().id(), q2().id())).code());
        assertEquals(ErrorCode.MESSAGE_NOT_FOUND, assertThrows(NeutronException.class,
                () -> send("x", "msg_nothing", null)).code());
        assertEquals(ErrorCode.MESSAGE_NOT_FOUND, assertThrows(NeutronException.class,
                () -> send("x", null, "msg_nothing")).code());
        NeutronException editOfAnswer = assertThrows(NeutronException.class, () -> send("x", null, a2().id()));
        assertEquals(ErrorCode.INVALID_REQUEST, editOfAnswer.code());
        assertEquals("Message " + a2().id() + " is not a question, so it cannot be edited. To get another answer, use"
                + " POST /api/v1/chat/sessions/" + session + "/messages/" + a2().id() + "/regenerate.",
                editOfAnswer.getMessage());

        assertEquals(4, harness.store.allMessages(session).size());
        assertEquals(chat, harness.store.messages(session));
        harness.send(session, "q3");
        assertEquals(prompt("q1", "a1", "q2", "a2", "q3"), harness.provider.nextCall().request().messages(),
                "the chat is free and unchanged");
    }

    @Test
    void regeneratingAnAnswerAsksItsQuestionAgainAndKeepsTheOldAnswer() throws Exception {
        LiveGeneration generation = harness.engine.regenerate(session, a2().id(), null);
        EventLog log = new EventLog(generation);
        FakeModelProvider.Call call = harness.provider.nextCall();

        assertEquals(prompt("q1", "a1", "q2"), call.request().messages());
        assertEquals(List.of("q1", "a1", "q2"), contents(harness.store.messages(session)),
                "the question is the active leaf while it is answered");
        ChatEvent meta = log.next();
        assertEquals(ChatEventType.meta, meta.eventType());
        assertEquals(q2(), ((Map<?, ?>) meta.data()).get("userMessage"));
        assertEquals(q2().id(), generation.userMessageId());
        call.answer("a2 again");

        ChatMessage answer = ended(log);
        assertEquals(q2().id(), answer.parentId());
        assertEquals(MessageStatus.complete, answer.status());
        assertEquals(List.of("q1", "a1", "q2", "a2 again"), contents(harness.store.messages(session)));
        assertEquals(List.of("q1", "a1", "q2", "a2", "a2 again"), contents(harness.store.allMessages(session)));
    }

    @Test
    void regeneratingAQuestionOnAnotherBranchSendsOnlyThatBranchAndSwitchesToIt() throws Exception {
        harness.engine.regenerate(session, q1().id(), null);
        FakeModelProvider.Call call = harness.provider.nextCall();

        assertEquals(prompt("q1"), call.request().messages());
        call.answer("a1 again");
        List<ChatMessage> shown = harness.store.messages(session);
        assertEquals(List.of("q1", "a1 again"), contents(shown));
        assertEquals(q1().id(), shown.get(1).parentId());
    }

    @Test
    void aStoppedRegenerationIsStoredAsStoppedUnderItsQuestion() throws Exception {
        EventLog log = new EventLog(harness.engine.regenerate(session, q2().id(), null));
        harness.provider.nextCall().listener().onToken("par");

        harness.engine.stop(session);

        ChatMessage answer = ended(log);
        assertEquals(MessageStatus.stopped, answer.status());
        assertEquals("par", answer.content());
        assertEquals(q2().id(), answer.parentId());
    }

    @Test
    void regeneratingWithAModelSwitchesTheSessionToIt() throws Exception {
        harness.store.updateSession(session, new dev.neutron.api.SessionPatch(null, "other"));

        harness.engine.regenerate(session, a2().id(), FakeModelProvider.MODEL);

        assertEquals(FakeModelProvider.MODEL, harness.provider.nextCall().request().model());
        assertEquals(FakeModelProvider.MODEL, harness.store.findSession(session).orElseThrow().model());
    }

    @Test
    void aRefusedRegenerationChangesNothing() throws Exception {
        assertEquals(ErrorCode.MESSAGE_NOT_FOUND, assertThrows(NeutronException.class,
                () -> harness.engine.regenerate(session, "msg_nothing", null)).code());
        assertEquals(ErrorCode.SESSION_NOT_FOUND, assertThrows(NeutronException.class,
                () -> harness.engine.regenerate("chat_000000009999", a2().id(), null)).code());
        harness.send(session, "q3");
        harness.provider.nextCall();

        assertEquals(ErrorCode.GENERATION_IN_PROGRESS, assertThrows(NeutronException.class,
                () -> harness.engine.regenerate(session, q1().id(), null)).code());

        assertEquals(List.of("q1", "a1", "q2", "a2", "q3"), contents(harness.store.messages(session)),
                "the active leaf stayed where it was");
        assertEquals(5, harness.store.allMessages(session).size());
    }

    @Test
    void aRegenerationTheStoreCannotStartLeavesTheChatFreeAndUnchanged() throws Exception {
        HeldChatStore noBranches = new HeldChatStore(harness.store);
        noBranches.failSetActiveLeaf(new NeutronException(ErrorCode.SERVICE_UNAVAILABLE, "no branches here"));
        harness.engine.bindStore(noBranches);

        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, assertThrows(NeutronException.class,
                () -> harness.engine.regenerate(session, a2().id(), null)).code());

        assertEquals("cancelled", harness.provider.nextCall().result().getNow(null).finishReason(),
                "the model, asked while the branch was being switched, is told to stop");
        assertEquals(chat, harness.store.allMessages(session));
        assertEquals(java.util.Optional.empty(), harness.engine.generation(session));
        harness.send(session, "q3");
        assertEquals(prompt("q1", "a1", "q2", "a2", "q3"), harness.provider.nextCall().request().messages());
    }
}
