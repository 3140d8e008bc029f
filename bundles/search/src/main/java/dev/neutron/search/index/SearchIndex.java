package dev.neutron.search.index;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.search.SearchHit;
import dev.neutron.search.SearchRequest;
import dev.neutron.search.SearchResults;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.NRTCachingDirectory;

/**
 * The Lucene index of every chat, in one directory: one writer (used by the reconciler's thread only), searchers
 * refreshed near-real-time. It is derived data: an index that cannot be opened is deleted and rebuilt from the store.
 */
public final class SearchIndex implements Closeable {
    private static final System.Logger LOG = System.getLogger(SearchIndex.class.getName());
    private static final String SCHEMA_KEY = "neutron.search.schema";
    /**
     * The small segments each publish writes stay in memory, up to these sizes, until a commit writes them: most
     * publishes (one per changed chat, every few hundred ms) then create, checksum and delete no files.
     */
    private static final double CACHED_SEGMENT_MB = 2;
    private static final double CACHED_TOTAL_MB = 16;

    /**
     * What the index holds of a chat: the store's stamp when it was indexed, what a hit shows of the chat, and the ids of
     * the messages and attachments indexed (null when not known: a chat not indexed since the index was opened).
     */
    record IndexedChat(String stamp, String title, Set<String> messageIds, Set<String> attachmentIds) {
    }

    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Analyzers analyzers = new Analyzers();
    private final QueryTranslator translator = new QueryTranslator(analyzers);
    private final Map<String, IndexedChat> chats = new ConcurrentHashMap<>();
    private volatile long documentsWritten;

    private SearchIndex(Path path) throws IOException {
        this.path = path;
        this.directory = new NRTCachingDirectory(FSDirectory.open(path), CACHED_SEGMENT_MB, CACHED_TOTAL_MB);
        IndexWriter opened = null;
        try {
            opened = new IndexWriter(directory, new IndexWriterConfig(analyzers.index)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64)
                    .setCommitOnClose(true));
            String schema = opened.getLiveCommitData() == null ? null : liveData(opened).get(SCHEMA_KEY);
            if (opened.getDocStats().maxDoc > 0 && !IndexFields.SCHEMA.equals(schema)) {
                throw new IOException("the index has schema " + schema + ", this version writes " + IndexFields.SCHEMA);
            }
            opened.setLiveCommitData(Map.of(SCHEMA_KEY, IndexFields.SCHEMA).entrySet());
            this.writer = opened;
            this.searchers = new SearcherManager(writer, null);
            loadChats();
        } catch (IOException | RuntimeException e) {
            if (opened != null) {
                opened.rollback();
            }
            directory.close();
            throw e;
        }
    }

    /** Opens the index at {@code path}; one that is corrupt, of another schema or unreadable is deleted and started afresh. */
    public static SearchIndex open(Path path) {
        try {
            Files.createDirectories(path);
            try {
                return new SearchIndex(path);
            } catch (LockObtainFailedException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "The search index in " + path + " cannot be used (" + e
                        + "): it is rebuilt from the chats.");
                deleteContents(path);
                return new SearchIndex(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the search index in " + path, e);
        }
    }

    private static Map<String, String> liveData(IndexWriter writer) {
        Map<String, String> data = new java.util.HashMap<>();
        writer.getLiveCommitData().forEach(entry -> data.put(entry.getKey(), entry.getValue()));
        return data;
    }

    private void loadChats() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            TermQuery titles = new TermQuery(new Term(IndexFields.KIND, IndexFields.KIND_TITLE));
            TopDocs all = searcher.search(titles, Math.max(1, searcher.getIndexReader().maxDoc()));
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc hit : all.scoreDocs) {
                Document doc = stored.document(hit.doc);
                chats.put(doc.get(IndexFields.SESSION), new IndexedChat(doc.get(IndexFields.STAMP),
                        doc.get(IndexFields.TEXT), null, null));
            }
        } finally {
            searchers.release(searcher);
        }
    }

    Path path() {
        return path;
    }

    /** Chat id → the stamp it was indexed with. */
    Map<String, String> stamps() {
        Map<String, String> stamps = new java.util.HashMap<>();
        chats.forEach((id, chat) -> stamps.put(id, chat.stamp()));
        return stamps;
    }

    int size() {
        return chats.size();
    }

    /** Documents handed to the writer since the index was opened: what indexing cost. */
    long documentsWritten() {
        return documentsWritten;
    }

    /** What the index holds of a chat, if anything. */
    Optional<IndexedChat> indexed(String sessionId) {
        return Optional.ofNullable(chats.get(sessionId));
    }

    /**
     * Replaces everything indexed of a chat with {@code docs} (its title document first), atomically; {@code chat}
     * says what they hold.
     */
    void replace(String sessionId, IndexedChat chat, List<Document> docs) throws IOException {
        writer.updateDocuments(new Term(IndexFields.SESSION, sessionId), docs);
        documentsWritten += docs.size();
        chats.put(sessionId, chat);
    }

    /**
     * Brings a chat's documents up to date without indexing again what has not changed: a new title document, the
     * documents of new messages, and none left of the messages that are gone; {@code chat} says what they hold then.
     */
    void update(String sessionId, IndexedChat chat, Document title, List<Document> newMessages,
            Set<String> goneMessageIds) throws IOException {
        writer.deleteDocuments(kindOf(sessionId, IndexFields.KIND_TITLE));
        for (String messageId : goneMessageIds) {
            writer.deleteDocuments(new BooleanQuery.Builder()
                    .add(kindOf(sessionId, IndexFields.KIND_MESSAGE), Occur.FILTER)
                    .add(new TermQuery(new Term(IndexFields.MESSAGE, messageId)), Occur.FILTER)
                    .build());
        }
        writer.addDocument(title);
        writer.addDocuments(newMessages);
        documentsWritten += 1 + newMessages.size();
        chats.put(sessionId, chat);
    }

    private static BooleanQuery kindOf(String sessionId, String kind) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.SESSION, sessionId)), Occur.FILTER)
                .add(new TermQuery(new Term(IndexFields.KIND, kind)), Occur.FILTER)
                .build();
    }

    void delete(String sessionId) throws IOException {
        writer.deleteDocuments(new Term(IndexFields.SESSION, sessionId));
        chats.remove(sessionId);
    }

    /** The text indexed for an attachment, so that a chat reindexed for a new message need not extract it again. */
    Optional<String> attachmentText(String sessionId, String attachmentId) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            BooleanQuery query = new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(IndexFields.SESSION, sessionId)), Occur.FILTER)
                    .add(new TermQuery(new Term(IndexFields.ATTACHMENT, attachmentId)), Occur.FILTER)
                    .build();
            TopDocs top = searcher.search(query, 1);
            return top.scoreDocs.length == 0 ? Optional.empty()
                    : Optional.ofNullable(searcher.storedFields().document(top.scoreDocs[0].doc).get(IndexFields.TEXT));
        } finally {
            searchers.release(searcher);
        }
    }

    /** Makes the changes so far visible to searches. */
    void publish() throws IOException {
        searchers.maybeRefreshBlocking();
    }

    /** Makes the changes so far durable. */
    void commit() throws IOException {
        writer.commit();
    }

    /** Whether the writer failed for good (e.g. a disk error): the index must then be reopened. */
    boolean broken() {
        return !writer.isOpen() || writer.getTragicException() != null;
    }

    public SearchResults search(SearchRequest request, boolean catchingUp) {
        List<QuerySyntax.Clause> clauses = QuerySyntax.parse(request.query());
        var query = translator.translate(clauses, request);
        if (request.limit() < 1 || request.limit() > SearchRequest.MAX_LIMIT) {
            throw QuerySyntax.invalid("limit must be between 1 and " + SearchRequest.MAX_LIMIT + ", not "
                    + request.limit() + ".");
        }
        int offset = Cursor.decode(request.cursor());
        MatchTerms terms = MatchTerms.of(clauses, analyzers);
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(query, offset + request.limit() + 1);
                StoredFields stored = searcher.storedFields();
                List<SearchHit> hits = new ArrayList<>();
                int end = Math.min(top.scoreDocs.length, offset + request.limit());
                for (int i = offset; i < end; i++) {
                    hits.add(hit(stored.document(top.scoreDocs[i].doc), terms));
                }
                boolean more = top.scoreDocs.length > end && end < Cursor.MAX_OFFSET;
                return new SearchResults(hits, more ? Cursor.encode(end) : null, catchingUp, chats.size());
            } finally {
                searchers.release(searcher);
            }
        } catch (IndexSearcher.TooManyClauses e) {
            throw QuerySyntax.invalid("The search query matches too many different words (a short prefix?): make "
                    + "it more specific.");
        } catch (IOException e) {
            throw new NeutronException(ErrorCode.STORAGE_ERROR, "Reading the search index failed (" + e.getMessage()
                    + "). Restart Neutron to rebuild it if this persists.", e);
        }
    }

    private SearchHit hit(Document doc, MatchTerms terms) {
        String sessionId = doc.get(IndexFields.SESSION);
        String kind = doc.get(IndexFields.KIND);
        IndexedChat chat = chats.get(sessionId);
        String text = doc.get(IndexFields.TEXT);
        SearchHit.AttachmentRef attachment = IndexFields.KIND_ATTACHMENT.equals(kind)
                ? new SearchHit.AttachmentRef(doc.get(IndexFields.ATTACHMENT), doc.get(IndexFields.FILE_NAME)) : null;
        return new SearchHit(kind, sessionId, chat == null ? "" : chat.title(), doc.get(IndexFields.MESSAGE),
                doc.get(IndexFields.ROLE), doc.get(IndexFields.MODEL), IndexFields.instant(doc, IndexFields.CREATED),
                Snippets.of(text, terms.find(text, analyzers)), attachment);
    }

    @Override
    public void close() throws IOException {
        try {
            searchers.close();
            if (writer.isOpen() && writer.getTragicException() == null) {
                writer.close();
            } else {
                writer.rollback();
            }
        } finally {
            directory.close();
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!file.equals(dir)) {
                    Files.delete(file);
                }
            }
        }
    }
}
