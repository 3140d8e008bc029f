package dev.neutron.store.jsonl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatSettings;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import dev.neutron.store.codec.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every change of the session list (an append's, a create, rename, settings change, branch switch, delete) is one line
 * in sessions.journal instead of a rewrite of sessions.json (every session).
 */
class JsonlSessionJournalTest {
    @TempDir
    Path dataDir;

    private Path chats() {
        return dataDir.resolve("chats");
    }

    private JsonlChatStore newStore() {
        return new JsonlChatStore(dataDir, Clock.systemUTC());
    }

    private static ChatMessage message(String id) {
        return new ChatMessage(id, MessageRole.user, "text of " + id, null, Instant.now(), MessageStatus.complete,
                List.of(), null, null);
    }

    /** Appends the messages m1 and m2 to the chat {@code id}, in this order (m2 follows m1 on the active branch). */
    private static void appendTwoMessages(JsonlChatStore store, String id) {
        store.appendMessage(id, message("m1"));
        store.appendMessage(id, message("m2"));
    }

    @Test
    void anAppendLeavesSessionsJsonAsItWasAndTheNextStartFindsItInTheJournal() throws Exception {
        JsonlChatStore first = newStore();
        String id = first.createSession(new NewSession("Journal", null)).id();
        first.createSession(new NewSession("Other", null));
        JsonlChatStore store = newStore(); // writes the journal into sessions.json
        byte[] sessionsBefore = Files.readAllBytes(chats().resolve("sessions.json"));

        appendTwoMessages(store, id);
        store.appendMessage(id, message("m3"));

        assertArrayEquals(sessionsBefore, Files.readAllBytes(chats().resolve("sessions.json")));
        assertEquals(3, Files.readAllLines(chats().resolve("sessions.journal")).size());
        List<ChatSession> sessions = store.listSessions();
        JsonlChatStore restarted = newStore();
        assertEquals(sessions, restarted.listSessions());
        assertEquals("m3", restarted.findSession(id).orElseThrow().activeLeafId());
        assertEquals(List.of(), restarted.recoveryReports());
        // the start wrote the journal into sessions.json
        assertFalse(Files.exists(chats().resolve("sessions.journal")));
        assertEquals(sessions, SessionsFile.sessions(chats()));
        assertEquals(SessionsFile.actualHistoryBytes(chats(), sessions), SessionsFile.historyBytes(chats()));
    }

    @Test
    void aCrashBetweenWritingSessionsJsonAndEmptyingTheJournalLosesNothing() throws Exception {
        JsonlChatStore store = newStore();
        String id = store.createSession(new NewSession("Twice", null)).id();
        appendTwoMessages(store, id);
        byte[] journal = Files.readAllBytes(chats().resolve("sessions.journal"));
        List<ChatSession> sessions = store.listSessions();
        newStore(); // writes sessions.json whole and removes the journal
        Files.write(chats().resolve("sessions.journal"), journal); // as if the crash came before the removal

        JsonlChatStore restarted = newStore();
        assertEquals(sessions, restarted.listSessions());
        assertEquals(List.of(), restarted.recoveryReports());
    }

    @Test
    void aJournalLineCutShortIsSkippedAndTheHistoryCorrectsWhatItHeld() throws Exception {
        String id = newStore().createSession(new NewSession("Torn", null)).id();
        JsonlChatStore store = newStore(); // writes the journal into sessions.json
        appendTwoMessages(store, id);
        Path journal = chats().resolve("sessions.journal");
        byte[] bytes = Files.readAllBytes(journal);
        Files.write(journal, Arrays.copyOf(bytes, bytes.length - 20));

        JsonlChatStore restarted = newStore();
        ChatSession session = restarted.findSession(id).orElseThrow();
        assertEquals(2, session.messageCount());
        assertEquals("m2", session.activeLeafId());
        assertEquals("Torn", session.title());
        List<String> reports = restarted.recoveryReports();
        assertEquals(2, reports.size(), reports.toString());
        assertTrue(reports.get(0).startsWith("Skipped line 2 of sessions.journal is not a change ("), reports.get(0));
        assertEquals("Chat " + id + " holds 2 messages, sessions.json said 1 (a crash between the two writes); corrected",
                reports.get(1));
        restarted.appendMessage(id, message("m3"));
        assertEquals(3, newStore().findSession(id).orElseThrow().messageCount());
    }

    @Test
    void aLongJournalIsWrittenIntoSessionsJsonByTheChangeThatFindsIt() throws Exception {
        JsonlChatStore store = new JsonlChatStore(dataDir, Clock.systemUTC(), 3);
        String id = store.createSession(new NewSession("Long", null)).id();
        for (int i = 1; i <= 3; i++) {
            store.appendMessage(id, message("m" + i));
        }
        assertFalse(Files.exists(chats().resolve("sessions.journal")));
        assertEquals(store.listSessions(), SessionsFile.sessions(chats()));
        assertEquals(SessionsFile.actualHistoryBytes(chats(), store.listSessions()), SessionsFile.historyBytes(chats()));
        store.appendMessage(id, message("m4"));
        assertEquals(1, Files.readAllLines(chats().resolve("sessions.journal")).size());
        assertEquals(4, newStore().findSession(id).orElseThrow().messageCount());
    }

    @Test
    void everyOtherChangeIsOneJournalLineThatARestartFindsWithSessionsJsonUntouched() throws Exception {
        JsonlChatStore first = newStore();
        String kept = first.createSession(new NewSession("Kept", null)).id();
        String dropped = first.createSession(new NewSession("Dropped", null)).id();
        first.appendMessage(kept, message("k1"));
        first.appendMessage(kept, message("k2"));
        first.appendMessage(dropped, message("d1"));
        JsonlChatStore store = newStore(); // writes the journal into sessions.json
        Path sessionsJson = chats().resolve("sessions.json");
        byte[] sessionsBefore = Files.readAllBytes(sessionsJson);
        FileTime modifiedBefore = Files.getLastModifiedTime(sessionsJson);
        ChatSettings settings = new ChatSettings("Be brief.", Map.of("temperature", 0.5), null);

        String created = store.createSession(new NewSession("Created", "model-a")).id();
        store.updateSession(kept, new SessionPatch("Renamed", null));
        store.updateSession(kept, new SessionPatch(null, "model-b"));
        store.updateSession(kept, SessionPatch.settings(settings));
        store.setActiveLeaf(kept, "k1");
        assertTrue(store.deleteSession(dropped));

        assertArrayEquals(sessionsBefore, Files.readAllBytes(sessionsJson));
        assertEquals(modifiedBefore, Files.getLastModifiedTime(sessionsJson));
        List<String> lines = Files.readAllLines(chats().resolve(SessionJournal.FILE));
        assertEquals(6, lines.size(), lines.toString());
        assertEquals("{\"id\":\"" + dropped + "\",\"session\":null}", lines.get(5), "a delete's line");
        assertFalse(Files.exists(chats().resolve(dropped + ".jsonl")));
        List<ChatSession> sessions = store.listSessions();

        JsonlChatStore restarted = newStore();
        assertEquals(List.of(), restarted.recoveryReports());
        assertEquals(sessions, restarted.listSessions());
        ChatSession changed = restarted.findSession(kept).orElseThrow();
        assertEquals("Renamed", changed.title());
        assertEquals("model-b", changed.model());
        assertEquals(settings, changed.settings());
        assertEquals("k1", changed.activeLeafId());
        assertEquals(2, changed.messageCount());
        assertEquals("model-a", restarted.findSession(created).orElseThrow().model());
        assertFalse(restarted.findSession(dropped).isPresent());
        // the start wrote the journal into sessions.json, with each history's size
        assertFalse(Files.exists(chats().resolve(SessionJournal.FILE)));
        assertEquals(sessions, SessionsFile.sessions(chats()));
        assertEquals(SessionsFile.actualHistoryBytes(chats(), sessions), SessionsFile.historyBytes(chats()));
        assertFalse(newStore().findSession(dropped).isPresent(), "stays deleted");
    }

    @Test
    void sessionsJsonAndAJournalOfTheEarlierVersionLoadAsTheyAre() throws Exception {
        Files.createDirectories(chats());
        String appended = "chat_0e1d0000000000a1";
        String deleted = "chat_0e1d0000000000d1";
        byte[] line = (MessageCodec.write(message("a1").withParentId(null)) + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(chats().resolve(appended + ".jsonl"), line);
        Files.writeString(chats().resolve("sessions.json"), """
                [ {
                  "id" : "chat_0e1d0000000000a1",
                  "title" : "Appended",
                  "model" : null,
                  "createdAt" : "2026-01-01T10:00:00Z",
                  "updatedAt" : "2026-01-01T10:00:00Z",
                  "messageCount" : 0,
                  "historyBytes" : 0
                }, {
                  "id" : "chat_0e1d0000000000d1",
                  "title" : "Deleted",
                  "model" : null,
                  "createdAt" : "2026-01-01T10:00:00Z",
                  "updatedAt" : "2026-01-01T10:00:00Z",
                  "messageCount" : 0,
                  "historyBytes" : 0
                } ]""");
        // an append's line as the version before wrote it, and a removal
        Files.writeString(chats().resolve(SessionJournal.FILE), "{\"id\":\"" + appended + "\",\"session\":{\"id\":\""
                + appended + "\",\"title\":\"Appended\",\"model\":null,\"createdAt\":\"2026-01-01T10:00:00Z\","
                + "\"updatedAt\":\"2026-01-01T10:06:00Z\",\"messageCount\":1,\"activeLeafId\":\"a1\"},"
                + "\"historyBytes\":" + line.length + "}\n"
                + "{\"id\":\"" + deleted + "\",\"session\":null}\n");

        JsonlChatStore store = newStore();

        assertEquals(List.of(), store.recoveryReports());
        assertEquals(List.of(new ChatSession(appended, "Appended", null, Instant.parse("2026-01-01T10:00:00Z"),
                Instant.parse("2026-01-01T10:06:00Z"), 1, "a1", null, false)), store.listSessions());
        assertEquals(Map.of(appended, (long) line.length), SessionsFile.historyBytes(chats()));
    }

    @Test
    void aChangeTheJournalCannotTakeIsRefusedAndChangesNothing() throws Exception {
        JsonlChatStore first = newStore();
        String id = first.createSession(new NewSession("Before", null)).id();
        appendTwoMessages(first, id);
        JsonlChatStore store = newStore(); // writes the journal into sessions.json and removes it
        byte[] sessionsBefore = Files.readAllBytes(chats().resolve("sessions.json"));
        byte[] history = Files.readAllBytes(chats().resolve(id + ".jsonl"));
        List<ChatSession> sessions = store.listSessions();
        Path blocked = Files.createDirectory(chats().resolve(SessionJournal.FILE));

        for (Executable change : List.<Executable>of(
                () -> store.createSession(new NewSession("New", null)),
                () -> store.updateSession(id, new SessionPatch("Renamed", "model")),
                () -> store.updateSession(id, SessionPatch.settings(new ChatSettings("Be brief.", Map.of(), null))),
                () -> store.setActiveLeaf(id, "m1"),
                () -> store.deleteSession(id))) {
            NeutronException e = assertThrows(NeutronException.class, change);
            assertEquals(ErrorCode.STORAGE_ERROR, e.code(), e.getMessage());
        }

        assertEquals(sessions, store.listSessions());
        assertEquals(List.of("m1", "m2"), store.messages(id).stream().map(ChatMessage::id).toList());
        assertArrayEquals(history, Files.readAllBytes(chats().resolve(id + ".jsonl")));
        assertFalse(Files.exists(chats().resolve(id + ".jsonl.deleted")));
        assertArrayEquals(sessionsBefore, Files.readAllBytes(chats().resolve("sessions.json")));
        Files.delete(blocked);
        JsonlChatStore restarted = newStore();
        assertEquals(sessions, restarted.listSessions());
        assertEquals(List.of(), restarted.recoveryReports());
    }
}
