package dev.neutron.search.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.Attachment;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NeutronException;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import dev.neutron.search.SearchHit;
import dev.neutron.search.SearchRequest;
import dev.neutron.search.SearchResults;
import dev.neutron.store.jsonl.JsonlChatStore;
import dev.neutron.upload.FileAttachmentStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index following a real JSONL store and a real attachment store, one reconcile pass at a time. */
class ChatSearchTest {
    @TempDir
    Path data;
    private JsonlChatStore store;
    private FileAttachmentStore files;
    private SearchIndex index;
    private Reconciler reconciler;
    /** The chats whose answer is being generated, as the chat engine would say. */
    private final java.util.Set<String> answering = new java.util.HashSet<>();
    /** The reconciler's clock, moved by the tests. */
    private final AtomicLong nanos = new AtomicLong();

    @BeforeEach
    void open() {
        store = new JsonlChatStore(data, Clock.systemUTC());
        files = new FileAttachmentStore(data);
        openIndex();
    }

    private void openIndex() {
        index = SearchIndex.open(data.resolve(SearchComponent.INDEX_FOLDER));
        reconciler = new Reconciler(index, () -> store, () -> files, 10_000, answering::contains, () -> false, nanos::get);
    }

    @AfterEach
    void close() throws IOException {
        index.close();
    }

    private ChatMessage say(String sessionId, MessageRole role, String text, String model) {
        return store.appendMessage(sessionId, new ChatMessage(newId(), role, text, model, Instant.now(),
                MessageStatus.complete, List.of(), null, null));
    }

    private static String newId() {
        return "msg_" + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    private SearchResults find(String query) {
        return find(new SearchRequest(query, 20, null, null, null, null, null, null));
    }

    private SearchResults find(SearchRequest request) {
        return index.search(request, reconciler.catchingUp());
    }

    private List<String> messageIds(SearchResults results) {
        return results.hits().stream().map(SearchHit::messageId).toList();
    }

    private void sync() throws IOException {
        reconciler.pass();
    }

    @Test
    void findsMessagesOfBothRolesByStemAndCaseButNotThinkingOrOtherWords() throws IOException {
        ChatSession chat = store.createSession(new NewSession("Streams", "llama3"));
        ChatMessage question = say(chat.id(), MessageRole.user, "How do Kafka consumers work?", "llama3");
        ChatMessage answer = say(chat.id(), MessageRole.assistant, "A consumer reads partitions.", "llama3");
        sync();

        assertEquals(List.of(answer.id(), question.id()).stream().sorted().toList(),
                messageIds(find("CONSUMER")).stream().sorted().toList());
        SearchHit hit = find("partition").hits().get(0);
        assertEquals(new SearchHit("message", chat.id(), "Streams", answer.id(), "assistant", "llama3",
                answer.createdAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), hit.snippet(), null), hit);
        assertEquals("A consumer reads partitions.", hit.snippet().text());
        assertEquals(List.of("partitions"), hit.snippet().highlights().stream()
                .map(r -> hit.snippet().text().substring(r[0], r[1])).toList());
        assertEquals(List.of(), find("zookeeper").hits());
        assertFalse(find("partition").catchingUp());
        assertEquals(1, find("partition").indexedSessions());
    }

    /** The commits the index holds on disk: Lucene writes one segments_N file per commit (and fsyncs it). */
    private long lastCommit() throws IOException {
        try (org.apache.lucene.store.Directory dir = org.apache.lucene.store.FSDirectory.open(
                data.resolve(SearchComponent.INDEX_FOLDER))) {
            return org.apache.lucene.index.SegmentInfos.getLastCommitGeneration(dir);
        }
    }

    @Test
    void changesAreSearchableAtOnceAndCommittedAtMostEveryTenSecondsAndNothingPendingCommitsNothing()
            throws IOException {
        ChatSession chat = store.createSession(new NewSession("Quiet", null));
        say(chat.id(), MessageRole.user, "first words", null);
        long before = lastCommit();
        assertEquals(1, reconciler.pass());
        assertEquals(1, find("first").hits().size(), "searchable after the pass that indexed it");
        assertEquals(before, lastCommit(), "not committed within 10 s of the last commit");

        nanos.addAndGet(Reconciler.COMMIT_EVERY_NANOS);
        assertEquals(0, reconciler.pass());
        long committed = lastCommit();
        assertTrue(committed > before, "committed by the first pass 10 s after the last commit");

        nanos.addAndGet(6 * Reconciler.COMMIT_EVERY_NANOS);
        for (int pass = 0; pass < 5; pass++) {
            assertEquals(0, reconciler.pass());
        }
        assertEquals(committed, lastCommit(), "no commit (and no fsync) while nothing is pending");

        say(chat.id(), MessageRole.assistant, "more words", null);
        assertEquals(1, reconciler.pass());
        assertEquals(committed + 1, lastCommit(), "a change after a quiet spell is committed by its own pass");
        say(chat.id(), MessageRole.user, "and more", null);
        assertEquals(1, reconciler.pass());
        assertEquals(committed + 1, lastCommit());
    }

    @Test
    void phrasesMatchAdjacentWordsOnlyAndPrefixesStartWords() throws IOException {
        ChatSession chat = store.createSession(new NewSession("t", null));
        ChatMessage adjacent = say(chat.id(), MessageRole.user, "the consumer group rebalanced", null);
        say(chat.id(), MessageRole.user, "a group of one consumer", null);
        ChatMessage javascript = say(chat.id(), MessageRole.user, "JavaScript closures", null);
        sync();

        assertEquals(List.of(adjacent.id()), messageIds(find("\"consumer group\"")));
        assertEquals(2, find("consumer group").hits().size());
        assertEquals(List.of(javascript.id()), messageIds(find("javas*")));
        assertEquals(List.of(adjacent.id()), messageIds(find("consumer -one")));
    }

    @Test
    void filtersByModelRoleChatAndTime() throws IOException {
        ChatSession first = store.createSession(new NewSession("one", null));
        ChatSession second = store.createSession(new NewSession("two", null));
        ChatMessage q = say(first.id(), MessageRole.user, "rust lifetimes", "llama3");
        ChatMessage a = say(first.id(), MessageRole.assistant, "rust borrows", "qwen");
        ChatMessage other = say(second.id(), MessageRole.user, "rust macros", "llama3");
        sync();

        assertEquals(List.of(a.id()), messageIds(find(new SearchRequest("rust", 20, null, "qwen", null, null, null, null))));
        assertEquals(List.of(a.id()), messageIds(find(new SearchRequest("rust", 20, null, null, "assistant", null, null, null))));
        assertEquals(List.of(other.id()), messageIds(find(new SearchRequest("rust", 20, null, null, null, null, null, second.id()))));
        Instant afterFirst = other.createdAt();
        assertEquals(List.of(other.id()), messageIds(find(new SearchRequest("rust", 20, null, null, "user", afterFirst, null, null))));
        assertEquals(List.of(q.id()), messageIds(find(new SearchRequest("rust", 20, null, "llama3", null, null, afterFirst, null))));
        assertEquals(ErrorCode.INVALID_REQUEST, assertThrows(NeutronException.class,
                () -> find(new SearchRequest("rust", 20, null, null, "system", null, null, null))).code());
        assertEquals(ErrorCode.INVALID_REQUEST, assertThrows(NeutronException.class,
                () -> find(new SearchRequest("rust", 20, null, null, null, null, null, "../etc"))).code());
    }

    @Test
    void followsRenamesDeletedChatsAndDeletedBranchesAndIndexesEveryBranch() throws IOException {
        ChatSession chat = store.createSession(new NewSession("Holiday plans", null));
        ChatMessage question = say(chat.id(), MessageRole.user, "Where to go?", null);
        ChatMessage first = say(chat.id(), MessageRole.assistant, "Lisbon is lovely", null);
        ChatMessage second = store.appendMessage(chat.id(), new ChatMessage(newId(), MessageRole.assistant,
                "Porto is cheaper", null, Instant.now(), MessageStatus.complete, List.of(), null, null, question.id()));
        ChatSession other = store.createSession(new NewSession("Doomed", null));
        say(other.id(), MessageRole.user, "Lisbon trams", null);
        sync();
        assertEquals(2, find("lisbon").hits().size());
        assertEquals(List.of(second.id()), messageIds(find("porto")));
        store.setActiveLeaf(chat.id(), first.id());
        assertEquals(List.of(second.id()), messageIds(find("porto")), "off the active path, still found");

        store.updateSession(chat.id(), new SessionPatch("Trip to Portugal", null));
        store.deleteSession(other.id());
        store.deleteBranch(chat.id(), second.id());
        sync();

        SearchHit title = find("portugal").hits().get(0);
        assertEquals("title", title.kind());
        assertNull(title.messageId());
        assertEquals("Trip to Portugal", title.title());
        assertEquals(List.of(), find("holiday").hits());
        assertEquals(List.of(), find("porto").hits());
        assertEquals(List.of(first.id()), messageIds(find("lisbon")));
        assertEquals("Trip to Portugal", find("lisbon").hits().get(0).title());
        assertEquals(1, find("lisbon").indexedSessions());
    }

    @Test
    void findsTheTextOfAnAttachmentUnderTheMessageThatCarriesIt() throws IOException {
        ChatSession chat = store.createSession(new NewSession("Docs", null));
        Attachment notes = files.store(chat.id(), "notes.txt",
                new ByteArrayInputStream("The quarterly figures mention zeppelins.".getBytes(StandardCharsets.UTF_8)));
        ChatMessage carrier = store.appendMessage(chat.id(), new ChatMessage(newId(), MessageRole.user, "Summarise this",
                "llama3", Instant.now(), MessageStatus.complete, List.of(notes.id()), null, null));
        sync();

        SearchHit hit = find("zeppelin").hits().get(0);
        assertEquals("attachment", hit.kind());
        assertEquals(carrier.id(), hit.messageId());
        assertEquals("user", hit.role());
        assertEquals(new SearchHit.AttachmentRef(notes.id(), "notes.txt"), hit.attachment());
        assertEquals("The quarterly figures mention zeppelins.", hit.snippet().text());
        assertEquals(1, find("notes").hits().size(), "the file name is searchable too");
    }

    @Test
    void pagesThroughHitsWithTheCursor() throws IOException {
        ChatSession chat = store.createSession(new NewSession("t", null));
        for (int i = 0; i < 5; i++) {
            say(chat.id(), MessageRole.user, "kotlin number " + i, null);
        }
        sync();
        SearchResults page1 = find(new SearchRequest("kotlin", 2, null, null, null, null, null, null));
        SearchResults page2 = find(new SearchRequest("kotlin", 2, page1.nextCursor(), null, null, null, null, null));
        SearchResults page3 = find(new SearchRequest("kotlin", 2, page2.nextCursor(), null, null, null, null, null));
        assertEquals(List.of(2, 2, 1), List.of(page1.hits().size(), page2.hits().size(), page3.hits().size()));
        assertNull(page3.nextCursor());
        assertEquals(5, Stream.of(page1, page2, page3).flatMap(p -> messageIds(p).stream()).distinct().count());
        assertEquals(ErrorCode.INVALID_REQUEST, assertThrows(NeutronException.class,
                () -> find(new SearchRequest("kotlin", 2, "bogus!", null, null, null, null, null))).code());
    }

    @Test
    void aQueryOfOnlyPunctuationIsAClearError() {
        NeutronException e = assertThrows(NeutronException.class, () -> find("!!! ???"));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        assertTrue(e.getMessage().contains("no words to look for"), e.getMessage());
    }

    @Test
    void rebuildsACorruptIndexAndCatchesUpWhileAnsweringFromWhatItHas() throws IOException {
        ChatSession chat = store.createSession(new NewSession("t", null));
        say(chat.id(), MessageRole.user, "haskell monads", null);
        sync();
        index.close();
        Path dir = data.resolve(SearchComponent.INDEX_FOLDER);
        try (Stream<Path> segments = Files.list(dir)) {
            for (Path file : segments.filter(f -> f.getFileName().toString().startsWith("segments")).toList()) {
                Files.write(file, "garbage".getBytes(StandardCharsets.UTF_8));
            }
        }

        openIndex();
        SearchResults before = find("haskell");
        assertTrue(before.catchingUp());
        assertEquals(0, before.indexedSessions());
        sync();
        SearchResults after = find("haskell");
        assertFalse(after.catchingUp());
        assertEquals(1, after.hits().size());
    }

    @Test
    void aReopenedIndexKnowsWhatItHoldsAndReindexesNothing() throws IOException {
        ChatSession chat = store.createSession(new NewSession("t", null));
        say(chat.id(), MessageRole.user, "erlang actors", null);
        sync();
        index.close();
        openIndex();
        assertEquals(0, reconciler.pass());
        assertNotNull(find("erlang").hits().get(0));
        say(chat.id(), MessageRole.assistant, "elixir too", null);
        assertEquals(1, reconciler.pass());
        assertEquals(1, find("elixir").hits().size());
    }

    @Test
    void catchesUpAtStartAndAfterAStoreSwapButNotWhileAPassIndexesARoutineChange() throws IOException {
        ChatSession chat = store.createSession(new NewSession("t", null));
        say(chat.id(), MessageRole.user, "prolog clauses", null);
        List<Boolean> seenWhileIndexing = new ArrayList<>();
        AtomicReference<Reconciler> self = new AtomicReference<>();
        Reconciler watched = new Reconciler(index, () -> store, () -> {
            seenWhileIndexing.add(self.get().catchingUp());
            return files;
        }, 10_000, answering::contains, () -> false, nanos::get);
        self.set(watched);
        assertTrue(watched.catchingUp(), "before the first pass");
        watched.pass();
        assertFalse(watched.catchingUp());

        seenWhileIndexing.clear();
        say(chat.id(), MessageRole.assistant, "horn clauses", null);
        assertEquals(1, watched.pass());
        assertEquals(List.of(false), seenWhileIndexing, "a routine change is no catching up");

        store = new JsonlChatStore(data.resolve("moved"), Clock.systemUTC());
        assertTrue(watched.catchingUp(), "after a store swap, until a pass over the new store");
        watched.pass();
        assertFalse(watched.catchingUp());
    }

    @Test
    void aChatWhoseAnswerIsBeingGeneratedIsIndexedOnceItEnds() throws IOException {
        ChatSession quiet = store.createSession(new NewSession("Quiet", null));
        ChatSession busy = store.createSession(new NewSession("Busy", null));
        sync();
        ChatMessage other = say(quiet.id(), MessageRole.user, "lighthouse keepers", null);
        ChatMessage question = say(busy.id(), MessageRole.user, "lighthouse lenses", null);
        answering.add(busy.id());

        assertEquals(1, reconciler.pass(), "only the chat without an answer in flight");
        assertEquals(List.of(other.id()), messageIds(find("lighthouse")));
        assertFalse(find("lighthouse").catchingUp(), "a deferred chat is no catching up");

        ChatMessage answer = say(busy.id(), MessageRole.assistant, "Fresnel lighthouse lenses", null);
        answering.remove(busy.id());
        assertEquals(1, reconciler.pass());
        assertEquals(List.of(answer.id(), other.id(), question.id()).stream().sorted().toList(),
                messageIds(find("lighthouse")).stream().sorted().toList());
    }

    @Test
    void aLongChatsNewMessageIsIndexedWithoutIndexingTheOthersAgain() throws IOException {
        ChatSession chat = store.createSession(new NewSession("Long", null));
        for (int i = 0; i < 40; i++) {
            say(chat.id(), i % 2 == 0 ? MessageRole.user : MessageRole.assistant, "turn " + i + " about gardens", null);
        }
        sync();
        long written = index.documentsWritten();

        ChatMessage orchids = say(chat.id(), MessageRole.user, "and orchids?", null);
        assertEquals(1, reconciler.pass());
        assertEquals(written + 2, index.documentsWritten(), "the new message and the chat's title document");
        assertEquals(List.of(orchids.id()), messageIds(find("orchids")));
        assertEquals(20, find(new SearchRequest("gardens", 100, null, null, "user", null, null, null)).hits().size());
        assertEquals(40, find(new SearchRequest("gardens", 100, null, null, null, null, null, null)).hits().size());

        store.updateSession(chat.id(), new dev.neutron.api.SessionPatch("Orchid care", null));
        assertEquals(1, reconciler.pass());
        assertEquals(written + 3, index.documentsWritten(), "only the title document again");
        assertEquals(List.of("message", "title"), find("orchid").hits().stream().map(SearchHit::kind).sorted().toList());
    }

    /** The files in the index folder. */
    private java.util.Set<String> indexFiles() throws IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(data.resolve(SearchComponent.INDEX_FOLDER))) {
            return files.map(file -> file.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void aPublishedChangeWritesNoFilesUntilItIsCommitted() throws IOException {
        ChatSession chat = store.createSession(new NewSession("Files", null));
        nanos.addAndGet(Reconciler.COMMIT_EVERY_NANOS);
        sync();
        java.util.Set<String> committed = indexFiles();

        say(chat.id(), MessageRole.user, "nasturtium seedlings", null);
        assertEquals(1, reconciler.pass());
        assertEquals(1, find("nasturtium").hits().size());
        assertEquals(committed, indexFiles(), "the published segment is held in memory");

        nanos.addAndGet(Reconciler.COMMIT_EVERY_NANOS);
        reconciler.pass();
        assertNotEquals(committed, indexFiles(), "the commit wrote it");
        index.close();
        openIndex();
        assertEquals(1, find("nasturtium").hits().size(), "and a reopened index has it");
    }
}
