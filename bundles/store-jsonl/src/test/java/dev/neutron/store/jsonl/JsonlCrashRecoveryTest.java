package dev.neutron.store.jsonl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NewSession;
import dev.neutron.store.codec.SessionListCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The states a crash (or a full disk) can leave on disk, built by hand, and what the next start makes of them. */
class JsonlCrashRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @TempDir
    Path dataDir;
    private Path chats;

    @BeforeEach
    void chatsDir() {
        chats = dataDir.resolve("chats");
    }

    private JsonlChatStore newStore() {
        return new JsonlChatStore(dataDir, Clock.systemUTC());
    }

    private static ChatMessage message(String id, String text, Instant at) {
        return new ChatMessage(id, MessageRole.user, text, "m", at, MessageStatus.complete, List.of(), null, null);
    }

    private static byte[] line(ChatMessage message) throws IOException {
        return (JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The first bytes of a message line of 'ß' (two bytes each), cut after the first byte of a 'ß'. */
    private static byte[] tornInsideAMultiByteCharacter() throws IOException {
        byte[] whole = line(message("m-torn", "ß".repeat(400), Instant.now()));
        int cut = whole.length / 2;
        while ((whole[cut - 1] & 0xff) != 0xc3) {
            cut++;
        }
        return Arrays.copyOf(whole, cut);
    }

    private Path history(String id) {
        return chats.resolve(id + ".jsonl");
    }

    private List<String> contents(JsonlChatStore store, String id) {
        return store.messages(id).stream().map(ChatMessage::content).toList();
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(chats)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aTornLastLineCutInsideAMultiByteCharacterIsMovedAsideOnceAndTheChatStaysReadable() throws Exception {
        JsonlChatStore store = newStore();
        String id = store.createSession(new NewSession("Eszett", null)).id();
        store.appendMessage(id, message("m1", "survives", Instant.now()));
        byte[] clean = Files.readAllBytes(history(id));
        byte[] torn = tornInsideAMultiByteCharacter();
        Files.write(history(id), torn, StandardOpenOption.APPEND);

        JsonlChatStore reopened = newStore();
        for (int read = 0; read < 3; read++) {
            assertEquals(List.of("survives"), contents(reopened, id));
        }
        assertEquals(1, reopened.recoveryReports().size(), reopened.recoveryReports().toString());
        assertTrue(reopened.recoveryReports().get(0).contains(".jsonl.torn-"), reopened.recoveryReports().toString());
        assertEquals(1, reopened.findSession(id).orElseThrow().messageCount());
        assertArrayEquals(clean, Files.readAllBytes(history(id)), "the torn tail is cut off");
        List<Path> sideFiles = sideFiles(id);
        assertEquals(1, sideFiles.size());
        assertArrayEquals(withNewline(torn), Files.readAllBytes(sideFiles.get(0)), "and kept byte for byte");

        reopened.appendMessage(id, message("m2", "after the crash", Instant.now()));
        JsonlChatStore third = newStore();
        assertEquals(List.of("survives", "after the crash"), contents(third, id));
        assertEquals(List.of(), third.recoveryReports(), "reported once, not at every start");
    }

    @Test
    void aBadHistoryMissingFromTheSessionListDoesNotStopTheStore() throws Exception {
        JsonlChatStore store = newStore();
        String listed = store.createSession(new NewSession("Listed", null)).id();
        store.appendMessage(listed, message("l1", "fine", Instant.now()));
        String orphan = "chat_0badf11e00000001";
        Instant at = Instant.parse("2026-03-01T10:00:00Z");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(line(message("o1", "kept", at)));
        bytes.write(tornInsideAMultiByteCharacter());
        Files.write(history(orphan), bytes.toByteArray());

        JsonlChatStore reopened = newStore();
        assertEquals(List.of("fine"), contents(reopened, listed));
        assertEquals("Listed", reopened.findSession(listed).orElseThrow().title());
        ChatSession recovered = reopened.findSession(orphan).orElseThrow();
        assertEquals(new ChatSession(orphan, "Recovered chat", null, at, at, 1), recovered);
        assertEquals(List.of("kept"), contents(reopened, orphan));
    }

    @Test
    void aLineThatTurnsBadWhileRunningIsReportedOnceHoweverOftenTheChatIsRead() throws Exception {
        JsonlChatStore store = newStore();
        String id = store.createSession(new NewSession("Read often", null)).id();
        store.appendMessage(id, message("m1", "one", Instant.now()));
        Files.write(history(id), "{\"id\":\"m2\",\"content\":\"cut\n".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);

        for (int read = 0; read < 5; read++) {
            assertEquals(List.of("one"), contents(store, id));
        }
        assertEquals(1, store.recoveryReports().size(), store.recoveryReports().toString());
    }

    @Test
    void aBadLineFurtherUpAsOlderVersionsLeftItIsMovedAsideAndTheRestKept() throws Exception {
        Instant at = Instant.parse("2026-02-01T00:00:00Z");
        String id = "chat_01d0000000000001";
        writeSessionsJson(new ChatSession(id, "Old torn", null, at, at, 2));
        byte[] torn = "{\"id\":\"m-cut\",\"role\":\"user\",\"content\":\"half".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(line(message("m1", "before", at)));
        bytes.write(torn);
        bytes.write('\n'); // older versions ended a torn line before appending the next message
        bytes.write(line(message("m2", "after", at)));
        Files.write(history(id), bytes.toByteArray());

        JsonlChatStore store = newStore();
        assertEquals(List.of("before", "after"), contents(store, id));
        assertEquals(1, store.recoveryReports().size(), store.recoveryReports().toString());
        assertArrayEquals(concat(line(message("m1", "before", at)), line(message("m2", "after", at))),
                Files.readAllBytes(history(id)));
        assertArrayEquals(withNewline(torn), Files.readAllBytes(sideFiles(id).get(0)));
        assertEquals(List.of(), newStore().recoveryReports());
    }

    @Test
    void aWholeLastMessageWithoutItsNewlineIsKeptAndEnded() throws Exception {
        JsonlChatStore store = newStore();
        String id = store.createSession(new NewSession("No newline", null)).id();
        store.appendMessage(id, message("m1", "one", Instant.now()));
        byte[] two = line(message("m2", "two", Instant.now()));
        Files.write(history(id), Arrays.copyOf(two, two.length - 1), StandardOpenOption.APPEND);

        JsonlChatStore reopened = newStore();
        assertEquals(List.of("one", "two"), contents(reopened, id));
        assertEquals(2, reopened.findSession(id).orElseThrow().messageCount());
        reopened.appendMessage(id, message("m3", "three", Instant.now()));
        assertEquals(List.of("one", "two", "three"), contents(newStore(), id));
    }

    @Test
    void messageCountAndUpdatedAtFollowTheHistoryAfterACrashBetweenAppendAndSessionList() throws Exception {
        JsonlChatStore store = newStore();
        ChatSession session = store.createSession(new NewSession("Counted", null));
        store.appendMessage(session.id(), message("m1", "stored and counted", Instant.now()));
        ChatSession before = store.findSession(session.id()).orElseThrow();
        Instant later = before.updatedAt().plusSeconds(60);
        // the append reached the disk, the crash came before sessions.json was rewritten
        Files.write(history(session.id()), line(message("m2", "stored, not counted", later)), StandardOpenOption.APPEND);

        JsonlChatStore reopened = newStore();
        ChatSession after = reopened.findSession(session.id()).orElseThrow();
        // the line sessions.json missed went to the active branch: it is the active leaf now
        assertEquals(new ChatSession(session.id(), "Counted", null, before.createdAt(), later, 2, "m2"), after);
        assertEquals(List.of("m1", "m2"), reopened.messages(session.id()).stream().map(ChatMessage::id).toList());
        assertEquals(1, reopened.recoveryReports().size(), reopened.recoveryReports().toString());
        JsonlChatStore third = newStore();
        assertEquals(after, third.findSession(session.id()).orElseThrow(), "the correction was written back");
        assertEquals(List.of(), third.recoveryReports());
    }

    @Test
    void aDeleteCutShortAfterBuryingTheHistoryIsFinishedAtStart() throws Exception {
        JsonlChatStore store = newStore();
        String keep = store.createSession(new NewSession("Keep", null)).id();
        String drop = store.createSession(new NewSession("Drop", null)).id();
        store.appendMessage(drop, message("d1", "goes", Instant.now()));
        // crash after the rename to the tombstone, before sessions.json was written
        Files.move(history(drop), chats.resolve(drop + ".jsonl.deleted"));

        JsonlChatStore reopened = newStore();
        assertEquals(List.of(keep), reopened.listSessions().stream().map(ChatSession::id).toList());
        assertEquals(List.of(keep + ".jsonl", "sessions.json"), files(), "the kept chat's empty history stays");
        assertEquals(List.of(keep), newStore().listSessions().stream().map(ChatSession::id).toList());
    }

    @Test
    void aDeleteCutShortBeforeRemovingTheTombstoneStaysDeleted() throws Exception {
        JsonlChatStore store = newStore();
        String keep = store.createSession(new NewSession("Keep", null)).id();
        String drop = store.createSession(new NewSession("Drop", null)).id();
        store.appendMessage(drop, message("d1", "goes", Instant.now()));
        byte[] buried = Files.readAllBytes(history(drop));
        assertTrue(store.deleteSession(drop));
        // crash after sessions.json was written, before the tombstone was removed
        Files.write(chats.resolve(drop + ".jsonl.deleted"), buried);

        JsonlChatStore reopened = newStore();
        assertEquals(List.of(keep), reopened.listSessions().stream().map(ChatSession::id).toList());
        assertEquals(List.of(keep + ".jsonl", "sessions.json"), files(), "the kept chat's empty history stays");
    }

    @Test
    void creatingAndRenamingWriteTheSessionListSoACrashNeverLeavesAnUntitledChat() throws Exception {
        JsonlChatStore store = newStore();
        String id = store.createSession(new NewSession("Titled", null)).id();
        assertEquals(List.of(id + ".jsonl", "sessions.journal"), files(), "an empty history and the journal line");
        assertEquals(0, Files.size(history(id)));
        store.updateSession(id, new dev.neutron.api.SessionPatch("Renamed", null));
        assertEquals(List.of(id + ".jsonl", "sessions.journal"), files());
        assertEquals("Renamed", newStore().findSession(id).orElseThrow().title());
    }

    @Test
    void staleTempFilesAreRemovedAtStart() throws Exception {
        JsonlChatStore store = newStore();
        String id = store.createSession(new NewSession("Kept", null)).id();
        store.appendMessage(id, message("m1", "one", Instant.now()));
        Files.writeString(chats.resolve("sessions.json.tmp"), "[{\"id\":\"chat_half");
        Files.writeString(chats.resolve(id + ".jsonl.tmp"), "{\"id\":\"half");

        JsonlChatStore reopened = newStore();
        assertEquals(List.of(id + ".jsonl", "sessions.json"), files());
        assertEquals("Kept", reopened.findSession(id).orElseThrow().title());
        assertEquals(List.of("one"), contents(reopened, id));
    }

    @Test
    void dataWrittenByTheEarlierVersionWorksAsItIs() throws Exception {
        Files.createDirectories(chats);
        String id = "chat_0e1d000000000001";
        Files.writeString(chats.resolve("sessions.json"), """
                [ {
                  "id" : "chat_0e1d000000000001",
                  "title" : "From 0.1",
                  "model" : "smollm2:135m",
                  "createdAt" : "2026-01-01T10:00:00Z",
                  "updatedAt" : "2026-01-01T10:05:00Z",
                  "messageCount" : 2
                } ]""");
        Files.writeString(history(id), """
                {"id":"m1","role":"user","content":"hi","model":"smollm2:135m","createdAt":"2026-01-01T10:04:00Z","status":"complete","attachments":[],"error":null,"stats":null}
                {"id":"m2","role":"assistant","content":"hello","model":"smollm2:135m","createdAt":"2026-01-01T10:05:00Z","status":"complete","attachments":[],"error":null,"stats":null}
                """);
        String sessionsBefore = Files.readString(chats.resolve("sessions.json"));

        JsonlChatStore store = newStore();
        assertEquals(List.of(), store.recoveryReports());
        // the first start reads the histories once and records their sizes, so that later starts need not
        assertEquals(SessionListCodec.read(sessionsBefore.getBytes(StandardCharsets.UTF_8)), SessionsFile.sessions(chats));
        assertEquals(Map.of(id, Files.size(history(id))), SessionsFile.historyBytes(chats));
        String sessionsAfter = Files.readString(chats.resolve("sessions.json"));
        newStore();
        assertEquals(sessionsAfter, Files.readString(chats.resolve("sessions.json")), "nothing rewritten at a later start");
        assertEquals(new ChatSession(id, "From 0.1", "smollm2:135m", Instant.parse("2026-01-01T10:00:00Z"),
                Instant.parse("2026-01-01T10:05:00Z"), 2), store.findSession(id).orElseThrow());
        assertEquals(List.of("hi", "hello"), contents(store, id));
        store.appendMessage(id, message("m3", "more", Instant.now()));
        assertTrue(store.deleteSession(id));
        assertFalse(newStore().findSession(id).isPresent());
    }

    @Test
    void aSessionsFileThatHoldsNoListIsSetAsideAndTheListRebuiltFromTheHistories() throws Exception {
        Files.createDirectories(chats);
        String id = "chat_0e1d000000000002";
        Files.write(history(id), line(message("m1", "kept", Instant.parse("2026-01-01T10:04:00Z"))));
        Files.writeString(chats.resolve("sessions.json"), "null");

        JsonlChatStore store = newStore();

        assertEquals(List.of("kept"), contents(store, id));
        assertEquals("Recovered chat", store.findSession(id).orElseThrow().title());
        assertEquals(1, files().stream().filter(name -> name.startsWith("sessions.json.corrupt-")).count(), files().toString());
        assertTrue(store.recoveryReports().get(0).startsWith(
                "sessions.json could not be read (it holds null, not a list of sessions); kept it as sessions.json.corrupt-"),
                store.recoveryReports().toString());
    }

    private void writeSessionsJson(ChatSession... sessions) throws IOException {
        Files.createDirectories(chats);
        Files.write(chats.resolve("sessions.json"), JSON.writeValueAsBytes(List.of(sessions)));
    }

    private List<Path> sideFiles(String id) throws IOException {
        try (Stream<Path> list = Files.list(chats)) {
            return list.filter(p -> p.getFileName().toString().startsWith(id + ".jsonl.torn-")).toList();
        }
    }

    private static byte[] withNewline(byte[] bytes) {
        return concat(bytes, new byte[] {'\n'});
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
