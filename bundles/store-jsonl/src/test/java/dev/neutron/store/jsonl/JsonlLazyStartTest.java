package dev.neutron.store.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NewSession;
import dev.neutron.store.codec.MessageCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start reads only the histories whose size is not the one sessions.json or the journal records for them: data of
 * an earlier version (no sizes), a history an append reached after its journal line was lost, and nothing else.
 */
class JsonlLazyStartTest {
    @TempDir
    Path dataDir;

    private Path chats() {
        return dataDir.resolve("chats");
    }

    private JsonlChatStore newStore() {
        return new JsonlChatStore(dataDir, Clock.systemUTC());
    }

    private static ChatMessage message(String id, String text) {
        return new ChatMessage(id, MessageRole.user, text, "m", Instant.parse("2026-05-01T10:00:00Z"),
                MessageStatus.complete, List.of(), null, null);
    }

    private Path history(String id) {
        return chats().resolve(id + ".jsonl");
    }

    /** A chat of two messages whose history size sessions.json records (a start wrote the journal into it). */
    private String twoMessagesOnRecord(String title) {
        JsonlChatStore store = newStore();
        String id = store.createSession(new NewSession(title, null)).id();
        store.appendMessage(id, message("m1", "one"));
        store.appendMessage(id, message("m2", "two"));
        newStore();
        return id;
    }

    /** Bytes no start could read as messages, of the size on record: a start that read the file would set them aside. */
    private void makeUnreadableKeepingItsSize(String id) throws IOException {
        byte[] unreadable = new byte[(int) Files.size(history(id))];
        Arrays.fill(unreadable, (byte) 'x');
        unreadable[unreadable.length - 1] = '\n';
        Files.write(history(id), unreadable);
    }

    @Test
    void aStartDoesNotReadAHistoryOfTheSizeOnRecord() throws Exception {
        String id = twoMessagesOnRecord("Trusted");
        makeUnreadableKeepingItsSize(id);

        JsonlChatStore restarted = newStore();

        assertEquals(List.of(), restarted.recoveryReports());
        assertEquals(2, restarted.findSession(id).orElseThrow().messageCount());
        assertEquals(List.of(), restarted.messages(id), "read when opened");
        assertEquals(1, restarted.recoveryReports().size(), restarted.recoveryReports().toString());
        assertTrue(restarted.recoveryReports().get(0).startsWith("Skipped line 1 of " + id + ".jsonl"),
                restarted.recoveryReports().toString());
        restarted.updateSession(id, new dev.neutron.api.SessionPatch("Renamed", null));
        assertEquals(null, SessionsFile.recordedHistoryBytes(chats()).get(id), "no size on record for a history found bad");
        List<String> nextStart = newStore().recoveryReports();
        assertEquals(2, nextStart.size(), nextStart.toString());
        assertTrue(nextStart.get(0).startsWith("Repaired the history of chat " + id), nextStart.toString());
        assertEquals("Chat " + id + " holds 0 messages, sessions.json said 2 (a crash between the two writes); corrected",
                nextStart.get(1));
    }

    @Test
    void aHistoryFoundBadWhenOpenedIsReadAtTheNextStartThoughItsChatDidNotChange() throws Exception {
        String id = twoMessagesOnRecord("Found bad");
        makeUnreadableKeepingItsSize(id);
        JsonlChatStore restarted = newStore();
        assertEquals(List.of(), restarted.messages(id));

        assertEquals(null, SessionsFile.recordedHistoryBytes(chats()).get(id), "no size on record for a history found bad");
        List<String> nextStart = newStore().recoveryReports();
        assertEquals(2, nextStart.size(), nextStart.toString());
        assertTrue(nextStart.get(0).startsWith("Repaired the history of chat " + id), nextStart.toString());
    }

    @Test
    void anAppendWhoseJournalLineAPowerCutLostIsFoundInItsHistory() throws Exception {
        String id = twoMessagesOnRecord("Lost line");
        JsonlChatStore running = newStore();
        running.appendMessage(id, message("m3", "three"));
        Files.delete(chats().resolve(SessionJournal.FILE)); // never fsync'd: a power cut may lose it

        JsonlChatStore restarted = newStore();

        ChatSession session = restarted.findSession(id).orElseThrow();
        assertEquals(3, session.messageCount());
        assertEquals("m3", session.activeLeafId());
        assertEquals(List.of("Chat " + id + " holds 3 messages, sessions.json said 2 (a crash between the two writes);"
                + " corrected"), restarted.recoveryReports());
        assertEquals(List.of("one", "two", "three"), restarted.messages(id).stream().map(ChatMessage::content).toList());
        assertEquals(Map.of(id, Files.size(history(id))), SessionsFile.historyBytes(chats()));
    }

    @Test
    void sessionsJsonAndAJournalOfTheEarlierVersionWithoutSizesAreReadAndCorrectedFromTheHistories() throws Exception {
        Files.createDirectories(chats());
        String counted = "chat_0e1d000000000001";
        String appended = "chat_0e1d000000000002";
        String empty = "chat_0e1d000000000003";
        Files.writeString(chats().resolve("sessions.json"), """
                [ {
                  "id" : "chat_0e1d000000000001",
                  "title" : "Counted",
                  "model" : null,
                  "createdAt" : "2026-01-01T10:00:00Z",
                  "updatedAt" : "2026-01-01T10:05:00Z",
                  "messageCount" : 1
                }, {
                  "id" : "chat_0e1d000000000002",
                  "title" : "Appended",
                  "model" : null,
                  "createdAt" : "2026-01-01T10:00:00Z",
                  "updatedAt" : "2026-01-01T10:00:00Z",
                  "messageCount" : 0
                }, {
                  "id" : "chat_0e1d000000000003",
                  "title" : "Empty",
                  "model" : null,
                  "createdAt" : "2026-01-01T10:00:00Z",
                  "updatedAt" : "2026-01-01T10:00:00Z",
                  "messageCount" : 0
                } ]""");
        // a journal line of 1.4 (no size) saying one message, while the history holds two
        Files.writeString(chats().resolve(SessionJournal.FILE), "{\"id\":\"" + appended + "\",\"session\":{\"id\":\""
                + appended + "\",\"title\":\"Appended\",\"model\":null,\"createdAt\":\"2026-01-01T10:00:00Z\","
                + "\"updatedAt\":\"2026-01-01T10:06:00Z\",\"messageCount\":1,\"activeLeafId\":\"a1\"}}\n");
        Files.writeString(history(counted), MessageCodec.write(message("c1", "counted")) + "\n");
        Files.writeString(history(appended), MessageCodec.write(message("a1", "first")) + "\n"
                + MessageCodec.write(message("a2", "second").withParentId("a1")) + "\n");

        JsonlChatStore store = newStore();

        assertEquals(1, store.findSession(counted).orElseThrow().messageCount());
        ChatSession session = store.findSession(appended).orElseThrow();
        assertEquals(2, session.messageCount());
        assertEquals("a2", session.activeLeafId());
        assertEquals(Instant.parse("2026-05-01T10:00:00Z"), session.updatedAt(), "its last message's");
        assertEquals(List.of("first", "second"), store.messages(appended).stream().map(ChatMessage::content).toList());
        assertEquals("Empty", store.findSession(empty).orElseThrow().title());
        assertEquals(List.of("Chat " + appended + " holds 2 messages, sessions.json said 1 (a crash between the two"
                + " writes); corrected"), store.recoveryReports());
        assertFalse(Files.exists(chats().resolve(SessionJournal.FILE)));
        assertEquals(Map.of(counted, Files.size(history(counted)), appended, Files.size(history(appended)), empty, 0L),
                SessionsFile.historyBytes(chats()));
        byte[] written = Files.readAllBytes(chats().resolve("sessions.json"));
        JsonlChatStore again = newStore();
        assertEquals(List.of(), again.recoveryReports());
        assertEquals(new String(written, StandardCharsets.UTF_8),
                Files.readString(chats().resolve("sessions.json")), "a second start rewrites nothing");
        assertEquals(store.listSessions(), again.listSessions());
    }
}
