package dev.neutron.chat;

import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatRequest;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.Generation;
import dev.neutron.api.MessageRole;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.ModelProvider;
import dev.neutron.api.NeutronException;
import dev.neutron.api.PromptMessage;
import dev.neutron.api.SessionPatch;
import dev.neutron.api.TokenListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Has a model title a chat after its first answer, in the background: one small request at a time on a thread of its
 * own, after the answer's {@code done}, so it never holds an answer's slot nor delays one. It is bounded in tokens and
 * time (cancelled when late), skipped when the model is unavailable, and stored as Neutron's title, which the store
 * applies only while no user named the chat. A chat is titled only while its title is still the provisional one of
 * its first question, so a later answer, a regenerated one, or an edited first question never titles it again.
 */
final class TitleWriter {
    private static final System.Logger LOG = System.getLogger(TitleWriter.class.getName());
    /** The most tokens of a title. */
    static final int MAX_TITLE_TOKENS = 24;
    /** Characters of the question and of the answer shown to the title model. */
    static final int MAX_EXCERPT_CHARS = 1_500;
    /** Titles waiting for the model; more are dropped (their chats keep the provisional title). */
    private static final int MAX_WAITING = 32;
    static final String INSTRUCTION = "You name chat conversations. Reply with a short title of 2 to 6 words for the"
            + " conversation below, in the language of the question. Reply with the title only: no quotes, no"
            + " punctuation at the end, no explanation.";

    /** What the engine knows of a chat when its answer is stored. */
    record Request(String sessionId, String firstQuestion, ChatMessage answer, int contextWindow) {
    }

    private final Supplier<ChatStore> store;
    private final ModelDirectory directory;
    private final Supplier<ChatConfig> config;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(MAX_WAITING), runnable -> {
                Thread thread = new Thread(runnable, "neutron-titles");
                thread.setDaemon(true);
                return thread;
            });
    /** Titles asked for and not yet written or given up. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Generation running;

    TitleWriter(Supplier<ChatStore> store, ModelDirectory directory, Supplier<ChatConfig> config) {
        this.store = store;
        this.directory = directory;
        this.config = config;
    }

    /** Titles the chat in the background, when titles are on and the chat still has its provisional title. */
    void afterAnswer(Request request) {
        if ("off".equals(config.get().titles().strip())) {
            return;
        }
        pending.incrementAndGet();
        try {
            worker.execute(() -> {
                try {
                    write(request);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException stoppingOrTooMany) {
            pending.decrementAndGet(); // the chat keeps its provisional title
        }
    }

    /** Stops writing titles: the one being written is cancelled, waiting ones are dropped. */
    void close() {
        worker.shutdownNow();
        Generation generation = running;
        if (generation != null) {
            generation.cancel();
        }
    }

    /** Waits until the titles asked for so far are written or given up; for tests. */
    boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5); // the executor signals idleness no other way
        }
        return true;
    }

    private void write(Request request) {
        try {
            if (!stillProvisional(request)) {
                return;
            }
            String title = TitleText.clean(ask(request));
            if (!title.isEmpty()) {
                store.get().updateSession(request.sessionId(), SessionPatch.autoTitle(title));
            }
        } catch (NeutronException e) {
            LOG.log(System.Logger.Level.DEBUG, "No title for " + request.sessionId() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Writing the title of " + request.sessionId() + " failed", e);
        }
    }

    private boolean stillProvisional(Request request) {
        ChatSession session = store.get().findSession(request.sessionId()).orElse(null);
        return session != null && session.autoTitle()
                && session.title().equals(TitleText.provisional(request.firstQuestion()));
    }

    /** The model's title, as written; "" when it gave none in time. */
    private String ask(Request request) throws InterruptedException {
        ChatConfig cfg = config.get();
        String chatModel = request.answer().model();
        String model = cfg.titleModel() == null || cfg.titleModel().isBlank() ? chatModel : cfg.titleModel().strip();
        ModelProvider provider = directory.providerFor(model);
        ModelInfo info = directory.describe(provider, model);
        // the chat's own window when the chat's model writes, so that Ollama need not reload it
        int window = model.equals(chatModel) ? request.contextWindow() : 0;
        ChatRequest titleRequest = new ChatRequest(model, prompt(request), window, MAX_TITLE_TOKENS,
                Map.of("temperature", 0.2), info.capabilities().contains(RequestSettings.THINKING) ? "false" : null);
        StringBuilder written = new StringBuilder();
        Generation generation = provider.chat(titleRequest, new TokenListener() {
            @Override
            public void onToken(String delta) {
                synchronized (written) {
                    written.append(delta);
                }
            }
        });
        running = generation;
        try {
            generation.result().get(Math.max(1, cfg.titleTimeoutSeconds()), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            generation.cancel();
            LOG.log(System.Logger.Level.INFO, "Model " + model + " wrote no title for " + request.sessionId()
                    + " within " + cfg.titleTimeoutSeconds() + " s; it keeps its provisional title");
            return "";
        } catch (ExecutionException e) {
            throw AnswerLifecycle.unwrap(e.getCause());
        } finally {
            running = null;
        }
        synchronized (written) {
            return written.toString();
        }
    }

    static List<PromptMessage> prompt(Request request) {
        return List.of(new PromptMessage(MessageRole.system, INSTRUCTION),
                new PromptMessage(MessageRole.user, "Question: " + excerpt(request.firstQuestion()) + "\n\nAnswer: "
                        + excerpt(request.answer().content()) + "\n\nTitle:"));
    }

    private static String excerpt(String text) {
        return text.length() <= MAX_EXCERPT_CHARS ? text : text.substring(0, MAX_EXCERPT_CHARS) + " …";
    }
}
