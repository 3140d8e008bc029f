package dev.neutron.search.index;

import dev.neutron.api.AttachmentStore;
import dev.neutron.api.ChatService;
import dev.neutron.api.ChatStore;
import dev.neutron.api.DataDirectory;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.search.ChatSearch;
import dev.neutron.search.SearchRequest;
import dev.neutron.search.SearchResults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The search service: an index under {@code <data dir>/search-index} that a background thread keeps in step with the
 * chat store (see {@link Reconciler}). Nothing else in Neutron knows about it, so chat works without this bundle, and
 * installing it again catches up with whatever happened meanwhile.
 */
@Component(service = ChatSearch.class, configurationPid = SearchConfig.PID)
@Designate(ocd = SearchConfig.class)
public class SearchComponent implements ChatSearch {
    static final String INDEX_FOLDER = "search-index";
    private static final System.Logger LOG = System.getLogger(SearchComponent.class.getName());

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AttachmentStore attachments;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatService chats;

    private Path indexPath;
    private int maxAttachmentChars;
    private volatile SearchIndex index;
    private volatile Reconciler reconciler;
    private volatile boolean stopping;
    private ScheduledExecutorService loop;
    private String lastFailure;

    @Activate
    void activate(SearchConfig config) {
        indexPath = DataDirectory.resolve(config.dataDir()).resolve(INDEX_FOLDER);
        maxAttachmentChars = config.maxAttachmentChars();
        openIndex();
        loop = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "neutron-search-reconciler");
            thread.setDaemon(true);
            return thread;
        });
        loop.scheduleWithFixedDelay(this::reconcile, 0, Math.max(10, config.reconcileIntervalMillis()),
                TimeUnit.MILLISECONDS);
    }

    private void openIndex() {
        index = SearchIndex.open(indexPath);
        reconciler = new Reconciler(index, () -> store, () -> attachments, maxAttachmentChars, this::answering,
                () -> stopping);
    }

    private boolean answering(String sessionId) {
        ChatService engine = chats;
        return engine != null && engine.generation(sessionId).filter(answer -> !answer.finished()).isPresent();
    }

    private void reconcile() {
        try {
            if (index.broken()) {
                LOG.log(System.Logger.Level.WARNING, "The search index writer failed; reopening " + indexPath);
                index.close();
                openIndex();
            }
            reconciler.pass();
            lastFailure = null;
        } catch (IOException | RuntimeException e) {
            String failure = String.valueOf(e);
            if (!failure.equals(lastFailure)) {
                LOG.log(System.Logger.Level.WARNING, "Updating the search index failed (retried every pass): " + e, e);
                lastFailure = failure;
            }
        }
    }

    @Override
    public SearchResults search(SearchRequest request) {
        SearchIndex current = index;
        if (current == null) {
            throw new NeutronException(ErrorCode.SERVICE_UNAVAILABLE, "Search is starting. Retry in a moment.");
        }
        return current.search(request, reconciler.catchingUp());
    }

    @Deactivate
    void deactivate() throws IOException, InterruptedException {
        // No interrupt: an interrupted Lucene write closes its file channel and breaks the writer.
        stopping = true;
        loop.shutdown();
        if (!loop.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "The search reconciler did not stop within 30 s");
        }
        index.close();
    }
}
