package dev.neutron.store.jsonl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting a branch rewrites the history file: what is on disk afterwards, and after a crash or failure on the way. */
class JsonlBranchDeleteTest {
    @TempDir
    Path dataDir;
    private JsonlChatStore store;
    private String id;

    /** q1 a1 q2 a2 (the secret), then a1b under q1; the leaf is a1b. */
    @BeforeEach
    void branchedChat() {
        store = newStore();
        id = store.createSession(new NewSession("Private", null)).id();
        store.appendMessage(id, message("q1", "first", null));
        store.appendMessage(id, message("a1", "answer", null));
        store.appendMessage(id, message("q2", "my secret question", null));
        store.appendMessage(id, message("a2", "the secret answer", null));
        store.appendMessage(id, message("a1b", "another answer", "q1"));
    }

    private JsonlChatStore newStore() {
        return new JsonlChatStore(dataDir, Clock.systemUTC());
    }

    private static ChatMessage message(String id, String text, String parentId) {
        return new ChatMessage(id, MessageRole.user, text, "m", Instant.now(), MessageStatus.complete, List.of(), null,
                null).withParentId(parentId);
    }

    private Path history() {
        return dataDir.resolve("chats").resolve(id + ".jsonl");
    }

    private Path temp() {
        return dataDir.resolve("chats").resolve(id + ".jsonl.tmp");
    }

    private static List<String> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    @Test
    void theDeletedTextIsGoneFromDiskAndEveryKeptLineNamesItsParent() throws Exception {
        store.deleteBranch(id, "q2");

        String onDisk = Files.readString(history(), StandardCharsets.UTF_8);
        assertFalse(onDisk.contains("secret"), onDisk);
        assertEquals(3, onDisk.lines().count());
        assertTrue(onDisk.lines().skip(1).allMatch(line -> line.contains("\"parentId\":\"q1\"")), onDisk);
        assertFalse(Files.exists(temp()));
        JsonlChatStore restarted = newStore();
        assertEquals(List.of(), restarted.recoveryReports());
        assertEquals(List.of("q1", "a1", "a1b"), ids(restarted.allMessages(id)));
        assertEquals(3, restarted.findSession(id).orElseThrow().messageCount());
    }

    /** The states a crash leaves after the new history is written beside the old one, before the rename. */
    @Test
    void aCrashBeforeTheRenameLeavesTheOldHistoryAndItsCount() throws Exception {
        store = newStore(); // writes the journal into sessions.json
        Path sessions = dataDir.resolve("chats").resolve("sessions.json");
        Path journal = dataDir.resolve("chats").resolve(SessionJournal.FILE);
        byte[] oldHistory = Files.readAllBytes(history());
        byte[] oldSessions = Files.readAllBytes(sessions);
        store.deleteBranch(id, "q2");
        byte[] newHistory = Files.readAllBytes(history());
        assertArrayEquals(oldSessions, Files.readAllBytes(sessions), "the change is in the journal");
        byte[] newJournal = Files.readAllBytes(journal);

        for (boolean sessionsWritten : new boolean[] {false, true}) {
            Files.write(temp(), newHistory);
            Files.write(history(), oldHistory);
            Files.write(sessions, oldSessions);
            if (sessionsWritten) {
                Files.write(journal, newJournal);
            } else {
                Files.deleteIfExists(journal);
            }
            JsonlChatStore restarted = newStore();
            assertFalse(Files.exists(temp()), "the temp file is removed at start");
            assertArrayEquals(oldHistory, Files.readAllBytes(history()));
            assertEquals(List.of("q1", "a1", "q2", "a2", "a1b"), ids(restarted.allMessages(id)));
            ChatSession session = restarted.findSession(id).orElseThrow();
            assertEquals(5, session.messageCount(), "sessions written: " + sessionsWritten);
            assertEquals("a1b", session.activeLeafId());
            assertEquals(List.of("q1", "a1b"), ids(restarted.messages(id)));
        }
    }

    @Test
    void aSessionListThatCannotBeWrittenLeavesTheHistoryAsItWas() throws Exception {
        byte[] before = Files.readAllBytes(history());
        store = newStore(); // writes the journal into sessions.json and removes it
        ChatSession session = store.findSession(id).orElseThrow();
        Path blocked = Files.createDirectory(dataDir.resolve("chats").resolve(SessionJournal.FILE));

        NeutronException e = assertThrows(NeutronException.class, () -> store.deleteBranch(id, "q2"));
        assertEquals(ErrorCode.STORAGE_ERROR, e.code(), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(history()));
        assertFalse(Files.exists(temp()));
        assertEquals(session, store.findSession(id).orElseThrow());

        Files.delete(blocked);
        assertEquals(3, store.deleteBranch(id, "q2").messageCount());
        assertEquals(List.of("q1", "a1", "a1b"), ids(newStore().allMessages(id)));
    }

    @Test
    void badLinesAreSetAsideBeforeTheRewriteNotDropped() throws Exception {
        Files.write(history(), Arrays.copyOf("{\"id\":\"torn".getBytes(StandardCharsets.UTF_8), 11),
                StandardOpenOption.APPEND);
        store.deleteBranch(id, "q2");
        try (var files = Files.list(history().getParent())) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith(id + ".jsonl.torn-")).count());
        }
        assertEquals(List.of("q1", "a1", "a1b"), ids(newStore().allMessages(id)));
    }
}
