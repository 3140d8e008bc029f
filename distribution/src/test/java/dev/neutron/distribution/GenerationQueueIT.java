package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With one generation slot ({@code maxConcurrentGenerations=1} from a {@code .cfg} in deploy/), messages to other
 * chats wait in line, hear their place through {@code queued} events, and are answered in the order they came; a
 * message that cannot fit the model's window is refused before anything is stored. Runs a private copy of the
 * distribution, since its deploy/ is changed.
 */
class GenerationQueueIT {
    private static final String LIMIT_APPLIED = "Generating at most 1 answers at once";

    @TempDir
    Path temp;

    private NeutronServer neutron;

    @AfterEach
    void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
    }

    @Test
    void messagesBeyondTheLimitWaitInLineAndAreAnsweredInOrder() throws Exception {
        startWithOneSlot();
        String a = neutron.createSession("a");
        String b = neutron.createSession("b");
        String c = neutron.createSession("c");

        CountDownLatch aStarted = new CountDownLatch(1);
        CompletableFuture<SseClient.Stream> first = send(a, "Count from 1 to 1000, one number per line.", aStarted);
        assertTrue(aStarted.await(2, TimeUnit.MINUTES), "A's answer began");
        CountDownLatch bWaits = new CountDownLatch(1);
        CompletableFuture<SseClient.Stream> second = send(b, "Say one word.", bWaits);
        assertTrue(bWaits.await(1, TimeUnit.MINUTES), "B heard of its place");
        CountDownLatch cWaits = new CountDownLatch(1);
        CompletableFuture<SseClient.Stream> third = send(c, "Say one word.", cWaits);
        assertTrue(cWaits.await(1, TimeUnit.MINUTES), "C heard of its place");
        neutron.json("POST", "/api/v1/chat/sessions/" + a + "/stop", null, 200);

        SseClient.Stream streamA = first.get(5, TimeUnit.MINUTES);
        SseClient.Stream streamB = second.get(5, TimeUnit.MINUTES);
        SseClient.Stream streamC = third.get(5, TimeUnit.MINUTES);
        assertEquals("meta", streamA.events().get(0).type(), "A got the free slot: " + streamA.events());
        assertEquals("done", streamA.last().type());
        assertEquals("stopped", streamA.last().data().get("message").get("status").asText());

        assertEquals(List.of("queued 1 (id 1)", "meta (id 2)"), describe(streamB.events().subList(0, 2)));
        assertEquals("done", streamB.last().type());
        assertEquals(List.of("queued 2 (id 1)", "queued 1 (id 2)", "meta (id 3)"), describe(streamC.events().subList(0, 3)));
        assertEquals("done", streamC.last().type());
        Instant aEnded = answer(a).createdAt();
        Instant bBegan = began(answer(b));
        Instant bEnded = answer(b).createdAt();
        Instant cBegan = began(answer(c));
        assertFalse(bBegan.isBefore(aEnded), "B began " + bBegan + ", after A ended " + aEnded);
        assertFalse(cBegan.isBefore(bEnded), "C began " + cBegan + ", after B ended " + bEnded);
    }

    private record Answer(Instant createdAt, long totalDurationMs) {
    }

    /** The session's stored answer: stored when it ended, with how long it ran. */
    private Answer answer(String session) throws Exception {
        JsonNode messages = neutron.json("GET", "/api/v1/chat/sessions/" + session, null, 200).get("messages");
        assertEquals(2, messages.size(), messages.toString());
        JsonNode answer = messages.get(1);
        return new Answer(Instant.parse(answer.get("createdAt").asText()), answer.get("stats").get("totalDurationMs").asLong());
    }

    private static Instant began(Answer answer) {
        return answer.createdAt().minusMillis(answer.totalDurationMs());
    }

    @Test
    void aMessageTooLargeForTheModelsWindowIsRefusedAndNothingIsStored() throws Exception {
        startWithOneSlot();
        String session = neutron.createSession("too long");
        SseClient.Stream answered = neutron.sse().post("/api/v1/chat/sessions/" + session + "/messages",
                Map.of("content", "Say one word.", "model", NeutronServer.model()), null);
        assertEquals("done", answered.last().type());
        JsonNode before = neutron.json("GET", "/api/v1/chat/sessions/" + session, null, 200);

        // 600,000 characters come to more than 200,000 tokens: beyond any window (maxContextTokens caps it there)
        HttpResponse<String> refused = neutron.send("POST", "/api/v1/chat/sessions/" + session + "/messages",
                Map.of("content", "x".repeat(600_000)));

        assertEquals(400, refused.statusCode(), refused.body());
        JsonNode error = NeutronServer.JSON.readTree(refused.body()).get("error");
        assertEquals("context_overflow", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("it comes to about 200,004 tokens"), error.toString());
        assertTrue(error.get("message").asText().contains("Shorten the message, attach less, or pick a model with a"
                + " larger context window."), error.toString());
        assertEquals(before, neutron.json("GET", "/api/v1/chat/sessions/" + session, null, 200), "history unchanged");
    }

    /** Sends in the background, and counts down {@code firstEvent} when the first event arrives. */
    private CompletableFuture<SseClient.Stream> send(String session, String content, CountDownLatch firstEvent) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return neutron.sse().post("/api/v1/chat/sessions/" + session + "/messages",
                        Map.of("content", content, "model", NeutronServer.model()), events -> {
                            firstEvent.countDown();
                            return false;
                        });
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static List<String> describe(List<SseClient.Event> events) {
        return events.stream().map(e -> "queued".equals(e.type())
                ? "queued " + e.data().get("position").asInt() + " (id " + e.id() + ")"
                : e.type() + " (id " + e.id() + ")").toList();
    }

    private void startWithOneSlot() throws Exception {
        Path distribution = privateDistribution();
        Path staged = distribution.resolve("dev.neutron.chat.cfg.tmp");
        Files.writeString(staged, "maxConcurrentGenerations=1\n", StandardCharsets.UTF_8);
        Files.move(staged, distribution.resolve("deploy/dev.neutron.chat.cfg"), StandardCopyOption.ATOMIC_MOVE);
        neutron = new NeutronServer(distribution, temp.resolve("data"), Map.of("OLLAMA_HOST", NeutronServer.ollamaUrl()))
                .start();
        awaitLogLine(LIMIT_APPLIED);
    }

    /** Waits until the chat engine says it applied the configuration (it may start before FileInstall reads it). */
    private void awaitLogLine(String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!logged(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Neutron never logged '" + text + "'");
            }
            Thread.sleep(50);
        }
    }

    private boolean logged(String text) throws IOException {
        try (Stream<Path> logs = Files.list(temp.resolve("logs"))) {
            for (Path log : (Iterable<Path>) logs::iterator) {
                if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A copy of target/neutron of this test's own: its deploy/ is changed, which must not reach other tests. */
    private Path privateDistribution() throws IOException {
        Path source = NeutronServer.distribution();
        Path copy = temp.resolve("neutron");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }
}
