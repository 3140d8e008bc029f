package dev.neutron.store.jsonl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NewSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An append records its session change in sessions.journal instead of rewriting sessions.json (every session). */
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

    @Test
    void anAppendLeavesSessionsJsonAsItWasAndTheNextStartFindsItInTheJournal() throws Exception {
        JsonlChatStore store = newStore();
        String id = store.createSession(new NewSession("Journal", null)).id();
        store.createSession(new NewSession("Other", null));
        byte[] sessionsBefore = Files.readAllBytes(chats().resolve("sessions.json"));

        store.appendMessage(id, message("m1"));
        store.appendMessage(id, message("m2"));
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
        store.appendMessage(id, message("m1"));
        store.appendMessage(id, message("m2"));
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
        JsonlChatStore store = newStore();
        String id = store.createSession(new NewSession("Torn", null)).id();
        store.appendMessage(id, message("m1"));
        store.appendMessage(id, message("m2"));
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
    void aLongJournalIsWrittenIntoSessionsJsonByTheAppendThatFindsIt() throws Exception {
        JsonlChatStore store = new JsonlChatStore(dataDir, Clock.systemUTC(), 3);
        String id = store.createSession(new NewSession("Long", null)).id();
        for (int i = 1; i <= 4; i++) {
            store.appendMessage(id, message("m" + i));
        }
        assertFalse(Files.exists(chats().resolve("sessions.journal")));
        assertEquals(store.listSessions(), SessionsFile.sessions(chats()));
        assertEquals(SessionsFile.actualHistoryBytes(chats(), store.listSessions()), SessionsFile.historyBytes(chats()));
        store.appendMessage(id, message("m5"));
        assertEquals(1, Files.readAllLines(chats().resolve("sessions.journal")).size());
        assertEquals(5, newStore().findSession(id).orElseThrow().messageCount());
    }
}
