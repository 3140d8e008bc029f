package dev.neutron.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.neutron.api.ChatMessage;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.api.MessageRole;
import dev.neutron.api.MessageStatus;
import dev.neutron.api.NewSession;
import dev.neutron.api.SessionPatch;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The search bundle removed and installed again while chats are written: chat goes on without it, and once it is
 * back its index catches up with everything that happened meanwhile. Searched over HTTP, since a reinstalled bundle
 * exports a new revision of its API package that this test bundle is not wired to.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class SearchBundleInFrameworkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEARCH_BUNDLE = "dev.neutron.search";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 60_000)
    ChatStore store;

    @InjectService(timeout = 60_000)
    ServiceAware<HttpServiceRuntime> runtime;

    @Test
    void catchesUpWithChatsWrittenWhileItWasUninstalled() throws Exception {
        String run = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        ChatSession renamed = store.createSession(new NewSession("plain title", null));
        ChatSession doomed = store.createSession(new NewSession(run + "doomed", null));
        append(renamed, run + "before");
        awaitHits(run + "before", hits -> hits.size() == 1);
        awaitHits(run + "doomed", hits -> hits.size() == 1);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        ChatSession busy = store.createSession(new NewSession("busy", null));
        Thread writer = new Thread(() -> {
            try {
                while (writing.get()) {
                    append(busy, run + "stream marker" + written.get());
                    written.incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        }, "chat-writer");
        writer.start();

        Bundle search = bundle();
        String location = search.getLocation();
        search.stop();
        search.uninstall();
        assertEquals(404, get("api/v1/chat/search?q=x").statusCode(), "no search servlet without the bundle");

        ChatSession during = store.createSession(new NewSession("during", null));
        append(during, run + "during");
        store.updateSession(renamed.id(), new SessionPatch(run + "renamed", null));
        store.deleteSession(doomed.id());
        assertEquals(1, store.messages(during.id()).size(), "chat works without the search bundle");

        Bundle reinstalled;
        try (InputStream jar = open(location)) {
            reinstalled = context.installBundle(location, jar);
        }
        reinstalled.start();

        awaitHits(run + "during", hits -> hits.size() == 1);
        JsonNode title = awaitHits(run + "renamed", hits -> hits.size() == 1).get("hits").get(0);
        assertEquals("title", title.get("kind").asText());
        assertEquals(renamed.id(), title.get("sessionId").asText());
        awaitHits(run + "doomed", hits -> hits.size() == 0);

        writing.set(false);
        writer.join();
        assertEquals(null, writerFailure.get());
        int total = written.get();
        assertTrue(total > 0);
        JsonNode all = awaitHits(run + "stream", hits -> hits.size() == total);
        assertEquals(false, all.get("catchingUp").asBoolean());
    }

    private void append(ChatSession session, String text) {
        store.appendMessage(session.id(), new ChatMessage("msg_" + UUID.randomUUID().toString().replace("-", ""),
                MessageRole.user, text, null, Instant.now(), MessageStatus.complete, List.of(), null, null));
    }

    private Bundle bundle() {
        return Arrays.stream(context.getBundles()).filter(b -> SEARCH_BUNDLE.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError(SEARCH_BUNDLE + " is not installed"));
    }

    private static InputStream open(String location) throws Exception {
        String path = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        try {
            return new URL(path).openStream();
        } catch (java.net.MalformedURLException e) {
            return Files.newInputStream(Path.of(path));
        }
    }

    private JsonNode awaitHits(String query, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get("api/v1/chat/search?limit=100&q="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8));
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                JsonNode body = JSON.readTree(response.body());
                if (until.test(body.get("hits"))) {
                    return body;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("search for '" + query + "' never got there; last answer: " + last);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint().resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI endpoint() {
        Object value = runtime.getServiceReference().getProperty("osgi.http.endpoint");
        Collection<?> endpoints = value instanceof String[] array ? List.of(array)
                : value instanceof Collection<?> collection ? collection : List.of(String.valueOf(value));
        String first = String.valueOf(endpoints.iterator().next());
        assertNotNull(first);
        return URI.create(first.endsWith("/") ? first : first + "/");
    }
}
