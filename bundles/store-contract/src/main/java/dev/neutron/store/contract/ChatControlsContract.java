package dev.neutron.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ChatStore;
import dev.neutron.api.GenerationStats;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.MessageTree;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatStore} must keep of a chat's controls (api 2.2): its own settings, whose title it is
 * ({@link ChatSession#autoTitle()}), an answer's thinking and the options sent with it; and how data stored before
 * them reads. Run by subclassing {@link ChatStoreContract}.
 */
public abstract class ChatControlsContract extends BranchDeleteContract {
    private static final ChatSettings PIRATE = new ChatSettings("Talk like a pirate.\n\u0000", Map.of("temperature", 0.0,
            "seed", 42L, "num_ctx", 8192L, "stop", List.of("</s>", "Arr")), "high");
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00.123456789Z");

    /**
     * Puts {@code session} into the storage of {@code store} as a store of a version before 2.2 left it: id, title,
     * model, times and count only, nothing of settings or autoTitle. The test reopens the store afterwards.
     */
    protected abstract void writeLegacySession(ChatStore store, ChatSession session) throws Exception;

    private ChatSession session(String id) {
        return store.findSession(id).orElseThrow();
    }

    private static ChatMessage thinkingAnswer(String id) {
        GenerationStats stats = new GenerationStats(31, 12, 900L, 250L, 8192, 30, 0, "stop",
                Map.of("temperature", 0.0, "seed", 42L, "num_ctx", 8192L, "num_predict", -1L, "stop", List.of("</s>")),
                640L);
        return new ChatMessage(id, MessageRole.assistant, "Six times seven is 42.", "qwen3:0.6b", Instant.now(),
                MessageStatus.complete, List.of(), null, stats, null, "The user asks 6*7.\nThat is 42. \"Easy\" ✓");
    }

    @Test
    void aChatCreatedWithoutATitleIsNeutronsToTitleAndOneWithATitleIsTheUsers() throws Exception {
        ChatSession untitled = store.createSession(new NewSession(null, null));
        ChatSession blank = store.createSession(new NewSession(" \t ", null));
        ChatSession named = store.createSession(new NewSession("Trip plans", null));
        assertEquals("New chat", untitled.title());
        assertTrue(untitled.autoTitle());
        assertTrue(blank.autoTitle());
        assertEquals("New chat", blank.title());
        assertFalse(named.autoTitle());
        assertTrue(store.createSession(null).autoTitle());
        restart();
        assertTrue(session(untitled.id()).autoTitle());
        assertFalse(session(named.id()).autoTitle());
        assertEquals(ChatSettings.NONE, session(named.id()).settings());
    }

    @Test
    void settingsGivenAtCreationOrByAPatchPersistAndSurviveARestart() throws Exception {
        ChatSession created = store.createSession(new NewSession(null, "qwen3:0.6b", PIRATE));
        assertEquals(PIRATE, created.settings());
        assertEquals(Optional.of(created), store.findSession(created.id()));
        ChatSession other = store.createSession(new NewSession("other", null));
        ChatSettings brief = new ChatSettings("", Map.of("top_k", 10L), null);
        ChatSession patched = store.updateSession(other.id(), SessionPatch.settings(brief));
        assertEquals(brief, patched.settings());
        assertEquals("other", patched.title());

        restart();
        assertEquals(created, session(created.id()));
        assertEquals(patched, session(other.id()));
        assertEquals("", session(other.id()).settings().systemPrompt(), "an empty prompt (none at all) is not null");
        assertTrue(store.listSessions().contains(created));
    }

    @Test
    void newSettingsReplaceTheOldOnesWholeAndNoneGoesBackToTheDefaults() throws Exception {
        ChatSession session = store.createSession(new NewSession("t", "m", PIRATE));
        ChatSettings onlyThink = new ChatSettings(null, Map.of(), "false");
        ChatSession replaced = store.updateSession(session.id(), SessionPatch.settings(onlyThink));
        assertEquals(onlyThink, replaced.settings(), "nothing of the old prompt or options is left");
        assertEquals("m", replaced.model());
        assertEquals(ChatSettings.NONE, store.updateSession(session.id(), SessionPatch.settings(ChatSettings.NONE)).settings());
        assertEquals(ChatSettings.NONE, restart().findSession(session.id()).orElseThrow().settings());
    }

    @Test
    void everyOtherChangeKeepsTheSettingsAndWhoseTitleItIs() throws Exception {
        ChatSession session = store.createSession(new NewSession(null, null, PIRATE));
        String id = session.id();
        store.appendMessage(id, message("q1", MessageRole.user, "hi"));
        store.appendMessage(id, message("a1", MessageRole.assistant, "ahoy"));
        store.appendMessage(id, reply("a1b", "q1"));
        store.updateSession(id, new SessionPatch(null, "other-model"));
        store.setActiveLeaf(id, "a1");
        store.deleteBranch(id, "a1b");
        ChatSession after = session(id);
        assertEquals(PIRATE, after.settings());
        assertTrue(after.autoTitle());
        assertEquals("other-model", after.model());
        assertEquals(2, after.messageCount());
        assertEquals(after, restart().findSession(id).orElseThrow());
    }

    @Test
    void anAutoTitleIsKeptWhileTheTitleIsNeutrons() throws Exception {
        ChatSession session = store.createSession(new NewSession(null, null, PIRATE));
        ChatSession provisional = store.updateSession(session.id(), SessionPatch.autoTitle("What is six times"));
        assertEquals("What is six times", provisional.title());
        assertTrue(provisional.autoTitle());
        ChatSession titled = store.updateSession(session.id(), SessionPatch.autoTitle("  Multiplication\nquestion "));
        assertEquals("Multiplication question", titled.title());
        assertTrue(titled.autoTitle());
        assertEquals(PIRATE, titled.settings());
        assertEquals(titled, restart().findSession(session.id()).orElseThrow());
    }

    @Test
    void aUserTitleWinsAndAnAutoTitleAfterItChangesNothing() throws Exception {
        ChatSession session = store.createSession(new NewSession(null, null));
        store.updateSession(session.id(), SessionPatch.autoTitle("Provisional"));
        ChatSession named = store.updateSession(session.id(), new SessionPatch("Mine", null));
        assertEquals("Mine", named.title());
        assertFalse(named.autoTitle());

        ChatSession ignored = store.updateSession(session.id(), SessionPatch.autoTitle("The model's idea"));
        assertEquals(named, ignored, "returned as it is, updatedAt included");
        assertEquals(named, session(session.id()));
        assertEquals(named, restart().findSession(session.id()).orElseThrow());
        assertEquals(named, store.updateSession(session.id(), SessionPatch.autoTitle("Again")));
    }

    @Test
    void aChatCreatedWithATitleNeverTakesAnAutoTitle() {
        ChatSession named = store.createSession(new NewSession("Trip plans", null));
        assertEquals(named, store.updateSession(named.id(), SessionPatch.autoTitle("Travel")));
    }

    @Test
    void anAutoTitleTogetherWithOtherChangesAppliesOnlyTheOthersToAUserTitle() {
        ChatSession named = store.createSession(new NewSession("Mine", null));
        ChatSession after = store.updateSession(named.id(), new SessionPatch("Auto", "m2", PIRATE, true));
        assertEquals("Mine", after.title());
        assertFalse(after.autoTitle());
        assertEquals("m2", after.model());
        assertEquals(PIRATE, after.settings());
    }

    @Test
    void thinkingAndTheOptionsSentArePersisted() throws Exception {
        ChatSession session = store.createSession(new NewSession("t", null));
        store.appendMessage(session.id(), message("q1", MessageRole.user, "6*7?"));
        ChatMessage stored = store.appendMessage(session.id(), thinkingAnswer("a1"));
        assertEquals(thinkingAnswer("a1").thinking(), stored.thinking());
        restart();
        ChatMessage read = store.messages(session.id()).get(1);
        assertEquals(stored, read);
        assertEquals("The user asks 6*7.\nThat is 42. \"Easy\" ✓", read.thinking());
        assertEquals(640L, read.stats().thinkingMs());
        assertEquals(Map.of("temperature", 0.0, "seed", 42L, "num_ctx", 8192L, "num_predict", -1L, "stop", List.of("</s>")),
                read.stats().options());
        assertEquals(stored, store.allMessages(session.id()).get(1));
    }

    @Test
    void anExportedChatImportsWithItsSettingsTitleOwnerThinkingAndOptions() throws Exception {
        ChatSession original = store.createSession(new NewSession(null, "qwen3:0.6b", PIRATE));
        store.appendMessage(original.id(), message("q1", MessageRole.user, "6*7?"));
        store.appendMessage(original.id(), thinkingAnswer("a1"));
        original = store.updateSession(original.id(), SessionPatch.autoTitle("Multiplication"));
        List<ChatMessage> exported = MessageTree.of(store.allMessages(original.id())).forImport();

        ChatSession copy = new ChatSession("chat_5eed0000000000c1", original.title(), original.model(),
                original.createdAt(), original.updatedAt(), 0, original.activeLeafId(), original.settings(),
                original.autoTitle());
        assertTrue(store.importSession(copy));
        assertEquals(2, store.importMessages(copy.id(), exported));
        restart();
        ChatSession imported = session(copy.id());
        assertEquals(new ChatSession(copy.id(), "Multiplication", "qwen3:0.6b", original.createdAt(),
                original.updatedAt(), 2, "a1", PIRATE, true), imported);
        assertEquals(store.messages(original.id()), store.messages(copy.id()));
        assertEquals("6*7?", store.messages(copy.id()).get(0).content());
        assertEquals(thinkingAnswer("a1").thinking(), store.messages(copy.id()).get(1).thinking());
        assertEquals(thinkingAnswer("a1").stats(), store.messages(copy.id()).get(1).stats());
        ChatSession retitled = store.updateSession(copy.id(), SessionPatch.autoTitle("Still Neutron's"));
        assertEquals("Still Neutron's", retitled.title(), "an imported auto title stays Neutron's to change");
        assertTrue(retitled.autoTitle());
    }

    @Test
    void anExportMadeBefore22ImportsWithNoSettingsAndAUserTitle() throws Exception {
        ChatSession old = new ChatSession("chat_5eed0000000000c2", "Old chat", null, T0, T0, 1);
        assertTrue(store.importSession(old));
        ChatMessage oldAnswer = new ChatMessage("a1", MessageRole.assistant, "hi", "m", T0, MessageStatus.complete,
                List.of(), null, new GenerationStats(1, 2, 3L, 4L, 4096, 5, 0, "stop"));
        assertEquals(1, store.importMessages(old.id(), List.of(oldAnswer)));
        restart();
        ChatSession imported = session(old.id());
        assertEquals(ChatSettings.NONE, imported.settings());
        assertFalse(imported.autoTitle());
        ChatMessage read = store.messages(old.id()).get(0);
        assertNull(read.thinking());
        assertEquals(Map.of(), read.stats().options());
        assertNull(read.stats().thinkingMs());
        assertEquals(imported, store.updateSession(old.id(), SessionPatch.autoTitle("Not for an old chat")));
    }

    @Test
    void aSessionAndMessagesStoredBefore22ReadWithNoSettingsAUserTitleAndNoThinking() throws Exception {
        ChatSession legacy = new ChatSession("chat_01d0000000000001", "From 2.1", "smollm2:135m", T0, T0, 0);
        writeLegacySession(store, legacy);
        restart();
        assertEquals(Optional.of(legacy), store.findSession(legacy.id()));
        ChatSession read = session(legacy.id());
        assertEquals(ChatSettings.NONE, read.settings());
        assertFalse(read.autoTitle());
        ChatMessage q = message("q1", MessageRole.user, "hello");
        ChatMessage a = new ChatMessage("a1", MessageRole.assistant, "hi", "m", T0, MessageStatus.complete, List.of(), null,
                new GenerationStats(1, 2, 3L, 4L, 4096, 5, 0, "stop"));
        writeLegacyHistory(store, legacy.id(), List.of(q, a));
        restart();
        List<ChatMessage> messages = store.messages(legacy.id());
        assertEquals(List.of(q, a.withParentId("q1")), messages);
        assertNull(messages.get(1).thinking());
        assertEquals(Map.of(), messages.get(1).stats().options());
        assertNull(messages.get(1).stats().thinkingMs());
        assertEquals(session(legacy.id()), store.updateSession(legacy.id(), SessionPatch.autoTitle("Not for an old chat")),
                "a chat stored before 2.2 was named by its user");
        ChatSession withSettings = store.updateSession(legacy.id(), SessionPatch.settings(PIRATE));
        assertEquals(PIRATE, withSettings.settings());
        assertEquals("From 2.1", withSettings.title());
        assertEquals(withSettings, restart().findSession(legacy.id()).orElseThrow());
    }
}
