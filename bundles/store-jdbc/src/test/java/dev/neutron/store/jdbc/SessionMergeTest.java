package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.store.codec.MessageCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What one sync pass decides for one session, without a database. */
class SessionMergeTest {
    private static final String ID = "chat_0123456789abcdef";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.000000001Z");
    private final MessageRecords records = new MessageRecords("jdbc:postgresql://test/db");
    private final SessionMerge merge = new SessionMerge(records);

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    private static ChatSession session(String title, String model, int updated, int count) {
        return new ChatSession(ID, title, model, T0, at(updated), count);
    }

    private static ChatMessage message(String id, int createdSecond) {
        return new ChatMessage(id, MessageRole.user, "text of " + id, "m", at(createdSecond), MessageStatus.complete,
                List.of(), null, null);
    }

    private List<MessageRow> rows(ChatMessage... messages) {
        return List.of(messages).stream().map(records::row).toList();
    }

    private static List<String> ids(List<MessageRow> rows) {
        return rows.stream().map(MessageRow::id).toList();
    }

    @Test
    void copiesASessionNewHereWithAllItsMessagesInOrderAndACleanTitle() {
        ChatSession from = session("  tab\there  ", " model:1 ", 5, 2);
        List<ChatMessage> history = List.of(message("q1", 1), message("a1", 2));

        SessionMerge.Copy copy = assertInstanceOf(SessionMerge.Copy.class,
                merge.plan(from, history, null, Optional.empty(), List.of()));
        assertEquals(new ChatSession(ID, "tab here", "model:1", T0, at(5), 2), copy.session());
        assertEquals(rows(history.get(0), history.get(1).withParentId("q1")), copy.messages(),
                "a source message without parent follows the one before it");
    }

    @Test
    void aBlankTitleIsCopiedAsNewChat() {
        SessionMerge.Copy copy = assertInstanceOf(SessionMerge.Copy.class,
                merge.plan(session(" ", "", 1, 0), List.of(), null, Optional.empty(), List.of()));
        assertEquals("New chat", copy.session().title());
        assertNull(copy.session().model());
    }

    @Test
    void aSessionDeletedHereAfterItWasCopiedStaysDeleted() {
        ChatSession from = session("t", null, 9, 3);
        LastCopy copied = LastCopy.of(session("t", null, 1, 1));

        assertInstanceOf(SessionMerge.StaysDeleted.class,
                merge.plan(from, List.of(message("m1", 1), message("m2", 8)), copied, Optional.empty(), List.of()));
    }

    @Test
    void takesOverARenameMadeOnlyInTheSource() {
        LastCopy copied = LastCopy.of(session("Original", "a", 1, 0));
        SessionMerge.Update update = assertInstanceOf(SessionMerge.Update.class, merge.plan(
                session("Renamed there", "b", 3, 0), List.of(), copied, Optional.of(session("Original", "a", 1, 0)), List.of()));
        assertEquals("Renamed there", update.title());
        assertEquals("b", update.model());
        assertEquals(at(3), update.updatedAt());
        assertTrue(update.changed());
        assertTrue(update.writeSession());
        assertNull(update.messages(), "no message missing: the rows stay as they are");
    }

    @Test
    void keepsWhatWasChangedHereWhenBothSidesChangedIt() {
        LastCopy copied = LastCopy.of(session("Original", "a", 1, 0));
        SessionMerge.Update update = assertInstanceOf(SessionMerge.Update.class, merge.plan(
                session("Renamed there", "b", 3, 0), List.of(), copied,
                Optional.of(session("Renamed here", "a", 5, 0)), List.of()));
        assertEquals("Renamed here", update.title());
        assertEquals("b", update.model(), "the model changed only there");
        assertEquals(at(5), update.updatedAt(), "the later of the two");
    }

    @Test
    void withoutAnEarlierCopyTheNewerSideWins() {
        Optional<ChatSession> here = Optional.of(session("Here", "a", 5, 0));
        SessionMerge.Update older = assertInstanceOf(SessionMerge.Update.class,
                merge.plan(session("There", "b", 4, 0), List.of(), null, here, List.of()));
        assertEquals("Here", older.title());
        assertFalse(older.changed());
        assertFalse(older.writeSession());

        SessionMerge.Update newer = assertInstanceOf(SessionMerge.Update.class,
                merge.plan(session("There", "b", 6, 0), List.of(), null, here, List.of()));
        assertEquals("There", newer.title());
        assertEquals("b", newer.model());
    }

    @Test
    void anUnchangedSessionIsLeftAlone() {
        ChatSession same = session("t", "m", 2, 1);
        List<ChatMessage> history = List.of(message("m1", 1));
        SessionMerge.Update update = assertInstanceOf(SessionMerge.Update.class,
                merge.plan(same, history, LastCopy.of(same), Optional.of(same), rows(history.get(0))));
        assertEquals(new SessionMerge.Update("t", false, "m", ChatSettings.NONE, at(2), 1, null, null, 0, false, false),
                update);
    }

    @Test
    void keepsAQuestionWrittenToTheSourceAheadOfItsAnswerWrittenHere() {
        ChatMessage q1 = message("q1", 1);
        ChatMessage a1 = message("a1", 2);
        ChatMessage q2 = message("q2", 3); // stored in the source just before the switch
        ChatMessage a2 = message("a2", 4); // its answer, stored here just after
        SessionMerge.Update update = assertInstanceOf(SessionMerge.Update.class, merge.plan(session("t", null, 3, 3),
                List.of(q1, a1, q2), LastCopy.of(session("t", null, 2, 2)), Optional.of(session("t", null, 4, 3)),
                rows(q1, a1, a2)));
        assertEquals(List.of("q1", "a1", "q2", "a2"), ids(update.messages()));
        assertEquals(4, update.messageCount());
        assertEquals(1, update.added());
        assertTrue(update.changed());
        assertEquals(MessageCodec.write(q2.withParentId("a1")), update.messages().get(2).record());
        // both sides appended to a1 during the switch: the answer written here now follows the question from there
        assertEquals(new MessageRow("a2", "q2", MessageCodec.write(a2.withParentId("q2"))), update.messages().get(3));
        assertNull(update.activeLeafId(), "the leaf here (none stored: the last message, a2) went further than q2");
    }

    @Test
    void putsSourceMessagesNewerThanThoseWrittenHereAtTheEnd() {
        ChatMessage m1 = message("m1", 1);
        List<MessageRow> merged = merge.merge(rows(m1, message("p1", 2), message("p2", 3)), List.of(m1, message("m2", 4)));
        assertEquals(List.of("m1", "p1", "p2", "m2"), ids(merged));
    }

    @Test
    void keepsTheSourceOrderBetweenMessagesBothSidesHave() {
        ChatMessage m1 = message("m1", 1);
        ChatMessage m3 = message("m3", 3);
        // m2 missing here, between m1 and m3 in the source, and older than p1 written here
        List<MessageRow> merged = merge.merge(rows(m1, m3, message("p1", 5)),
                List.of(m1, message("m2", 2), m3, message("m4", 6)));
        assertEquals(List.of("m1", "m2", "m3", "p1", "m4"), ids(merged));
    }

    @Test
    void leavesOutSourceMessagesWithoutId() {
        ChatMessage m1 = message("m1", 1);
        List<MessageRow> merged = merge.merge(rows(m1), List.of(m1, message(null, 2), message("m3", 3)));
        assertEquals(List.of("m1", "m3"), ids(merged));
        SessionMerge.Update update = assertInstanceOf(SessionMerge.Update.class, merge.plan(session("t", null, 1, 1),
                List.of(m1, message(null, 2)), null, Optional.of(session("t", null, 1, 1)), rows(m1)));
        assertNull(update.messages(), "a message without id is not counted as missing");
    }

    @Test
    void aSessionIsSyncedOnlyWhenItChangedInTheSourceSinceTheLastCopy() {
        ChatSession copied = session("t", "m", 2, 1);
        assertTrue(SessionMerge.needsSync(copied, null));
        assertFalse(SessionMerge.needsSync(copied, LastCopy.of(copied)));
        for (ChatSession changed : List.of(session("u", "m", 2, 1), session("t", null, 2, 1),
                session("t", "m", 3, 1), session("t", "m", 2, 2))) {
            assertTrue(SessionMerge.needsSync(changed, LastCopy.of(copied)), changed.toString());
        }
    }

    @Test
    void aSessionGoneFromTheSourceIsDeletedHereOnlyIfUnchangedHere() {
        ChatSession copied = session("t", "m", 2, 1);
        assertTrue(SessionMerge.deleteHere(LastCopy.of(copied), Optional.of(copied)));
        assertFalse(SessionMerge.deleteHere(LastCopy.of(copied), Optional.of(session("t", "m", 3, 2))),
                "written here since");
        assertFalse(SessionMerge.deleteHere(LastCopy.of(copied), Optional.of(session("renamed", "m", 2, 1))));
        assertFalse(SessionMerge.deleteHere(LastCopy.of(copied), Optional.empty()), "already gone here");
    }

    private static ChatSession withSettings(ChatSession session, ChatSettings settings, boolean autoTitle) {
        return new ChatSession(session.id(), session.title(), session.model(), session.createdAt(), session.updatedAt(),
                session.messageCount(), session.activeLeafId(), settings, autoTitle);
    }

    @Test
    void aCopyCarriesTheSettingsAndWhoseTitleItIs() {
        ChatSettings settings = new ChatSettings("Be a pirate.", Map.of("seed", 1L), "low");
        SessionMerge.Copy copy = assertInstanceOf(SessionMerge.Copy.class, merge.plan(
                withSettings(session("New chat", null, 1, 0), settings, true), List.of(), null, Optional.empty(), List.of()));
        assertEquals(settings, copy.session().settings());
        assertTrue(copy.session().autoTitle());
    }

    @Test
    void settingsChangedOnlyInTheSourceAreTakenOverAndChangedHereStay() {
        ChatSettings before = new ChatSettings("old", Map.of(), null);
        ChatSettings there = new ChatSettings("there", Map.of(), null);
        ChatSettings hereSettings = new ChatSettings("here", Map.of(), "true");
        LastCopy copied = LastCopy.of(withSettings(session("t", null, 1, 0), before, false));
        SessionMerge.Update takenOver = assertInstanceOf(SessionMerge.Update.class, merge.plan(
                withSettings(session("t", null, 3, 0), there, false), List.of(), copied,
                Optional.of(withSettings(session("t", null, 1, 0), before, false)), List.of()));
        assertEquals(there, takenOver.settings());
        assertTrue(takenOver.changed());
        SessionMerge.Update kept = assertInstanceOf(SessionMerge.Update.class, merge.plan(
                withSettings(session("t", null, 3, 0), there, false), List.of(), copied,
                Optional.of(withSettings(session("t", null, 2, 0), hereSettings, false)), List.of()));
        assertEquals(hereSettings, kept.settings());
    }

    @Test
    void anAutoTitleInTheSourceDoesNotReplaceAUserTitleHere() {
        LastCopy copied = LastCopy.of(withSettings(session("New chat", null, 1, 0), ChatSettings.NONE, true));
        SessionMerge.Update update = assertInstanceOf(SessionMerge.Update.class, merge.plan(
                withSettings(session("Model's title", null, 3, 0), ChatSettings.NONE, true), List.of(), copied,
                Optional.of(withSettings(session("Mine", null, 2, 0), ChatSettings.NONE, false)), List.of()));
        assertEquals("Mine", update.title());
        assertFalse(update.autoTitle());
        SessionMerge.Update takenOver = assertInstanceOf(SessionMerge.Update.class, merge.plan(
                withSettings(session("Model's title", null, 3, 0), ChatSettings.NONE, true), List.of(), copied,
                Optional.of(withSettings(session("New chat", null, 1, 0), ChatSettings.NONE, true)), List.of()));
        assertEquals("Model's title", takenOver.title());
        assertTrue(takenOver.autoTitle());
    }

    @Test
    void aSettingsChangeInTheSourceNeedsASync() {
        ChatSession copied = session("t", "m", 2, 1);
        assertTrue(SessionMerge.needsSync(withSettings(copied, new ChatSettings("p", Map.of(), null), false),
                LastCopy.of(copied)));
        assertTrue(SessionMerge.needsSync(withSettings(copied, ChatSettings.NONE, true), LastCopy.of(copied)));
    }
}
