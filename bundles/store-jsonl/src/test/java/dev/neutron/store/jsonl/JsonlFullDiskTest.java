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
import dev.neutron.api.SessionPatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real, small tmpfs that a filler file makes full: every write is done, or refused with 507 and undone. */
class JsonlFullDiskTest {
    @TempDir
    Path temp;
    private Tmpfs disk;
    private Path chats;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = Tmpfs.mount(temp.resolve("disk"), "1m");
        chats = disk.mountPoint.resolve("chats");
    }

    @AfterEach
    void unmount() throws Exception {
        disk.close();
    }

    private JsonlChatStore newStore() {
        return new JsonlChatStore(disk.mountPoint, Clock.systemUTC());
    }

    private static ChatMessage message(String id, String text) {
        return new ChatMessage(id, MessageRole.user, text, "m", Instant.now(), MessageStatus.complete, List.of(), null, null);
    }

    private void assertDiskFull(Executable write) {
        NeutronException e = assertThrows(NeutronException.class, write);
        assertEquals(ErrorCode.INSUFFICIENT_STORAGE, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("Nothing was changed. Free disk space where the data directory "
                + disk.mountPoint + " lives, then retry."), e.getMessage());
    }

    /** Every file of the store, byte for byte. */
    private Map<String, byte[]> onDisk() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(chats)) {
            for (Path file : list.toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private void assertOnDisk(Map<String, byte[]> expected) throws IOException {
        Map<String, byte[]> actual = onDisk();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
    }

    @Test
    void everyWriteOnAFullDiskIsRefusedAndChangesNothingThenWorksOnceSpaceIsFreed() throws Exception {
        JsonlChatStore first = newStore();
        ChatSession alpha = first.createSession(new NewSession("Alpha", "m"));
        first.appendMessage(alpha.id(), message("a1", "hello"));
        ChatSession beta = first.createSession(new NewSession("Beta", null));
        first.appendMessage(beta.id(), message("b1", "world"));
        first.updateSession(beta.id(), new SessionPatch("Beta", "m"));
        // the start writes sessions.json whole and so empties the journal: every change below needs a new journal file
        JsonlChatStore store = newStore();
        List<ChatSession> sessions = store.listSessions();
        Map<String, byte[]> files = onDisk();

        disk.fill();
        assertDiskFull(() -> store.createSession(new NewSession("Gamma", null)));
        assertDiskFull(() -> store.updateSession(alpha.id(), new SessionPatch("Renamed", null)));
        // fits in the history's last page, but sessions.journal cannot be written: the line is taken back
        assertDiskFull(() -> store.appendMessage(alpha.id(), message("a2", "short")));
        // cut off midway by the full disk: the partial line is taken back
        assertDiskFull(() -> store.appendMessage(alpha.id(), message("a3", "long ".repeat(4000))));
        assertDiskFull(() -> store.deleteSession(beta.id()));
        assertDiskFull(() -> store.importSession(new ChatSession("chat_1a1a1a1a1a1a1a1a", "Imported", null,
                Instant.now(), Instant.now(), 0)));
        assertDiskFull(() -> store.importMessages(beta.id(), List.of(message("b2", "imported"))));

        assertEquals(sessions, store.listSessions());
        assertEquals(List.of("a1"), store.messages(alpha.id()).stream().map(ChatMessage::id).toList());
        assertEquals(List.of("b1"), store.messages(beta.id()).stream().map(ChatMessage::id).toList());
        assertOnDisk(files);
        JsonlChatStore restartedWhileFull = newStore();
        assertEquals(sessions, restartedWhileFull.listSessions());
        assertEquals(List.of("a1"), restartedWhileFull.messages(alpha.id()).stream().map(ChatMessage::id).toList());
        assertEquals(List.of(), restartedWhileFull.recoveryReports());

        disk.free();
        ChatSession gamma = store.createSession(new NewSession("Gamma", null));
        assertEquals("Renamed", store.updateSession(alpha.id(), new SessionPatch("Renamed", null)).title());
        store.appendMessage(alpha.id(), message("a2", "short"));
        store.appendMessage(alpha.id(), message("a3", "long ".repeat(4000)));
        assertTrue(store.deleteSession(beta.id()));

        JsonlChatStore restarted = newStore();
        assertEquals(List.of(), restarted.recoveryReports());
        assertEquals(List.of("Renamed", "Gamma"), restarted.listSessions().stream().map(ChatSession::title).toList());
        assertEquals(List.of("a1", "a2", "a3"), restarted.messages(alpha.id()).stream().map(ChatMessage::id).toList());
        assertEquals(3, restarted.findSession(alpha.id()).orElseThrow().messageCount());
        assertFalse(restarted.findSession(beta.id()).isPresent());
        assertTrue(restarted.findSession(gamma.id()).isPresent());
    }

    @Test
    void aBranchDeleteOnAFullDiskIsRefusedAndChangesNothing() throws Exception {
        JsonlChatStore store = newStore();
        ChatSession chat = store.createSession(new NewSession("Branches", null));
        store.appendMessage(chat.id(), message("q1", "question"));
        store.appendMessage(chat.id(), message("a1", "long ".repeat(4000)));
        store.appendMessage(chat.id(), message("q2", "more"));
        ChatSession before = store.findSession(chat.id()).orElseThrow();
        Map<String, byte[]> files = onDisk();

        disk.fill();
        assertDiskFull(() -> store.deleteBranch(chat.id(), "q2"));
        assertEquals(before, store.findSession(chat.id()).orElseThrow());
        assertOnDisk(files);
        assertEquals(List.of(), newStore().recoveryReports());

        disk.free();
        assertEquals(2, store.deleteBranch(chat.id(), "q2").messageCount());
        assertEquals(List.of("q1", "a1"), newStore().messages(chat.id()).stream().map(ChatMessage::id).toList());
    }
}
