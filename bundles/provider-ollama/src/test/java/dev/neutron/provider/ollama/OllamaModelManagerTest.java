package dev.neutron.provider.ollama;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.ModelJob;
import dev.neutron.api.ModelJobEvent;
import dev.neutron.api.ModelJobStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The manager against a scripted fake of Ollama (faults a real registry cannot be made to show on demand). */
class OllamaModelManagerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LAYER = "{\"status\":\"pulling 1a2b3c\",\"digest\":\"sha256:1a2b3c\",\"total\":1000,\"completed\":%d}";

    private ScriptedFaultyOllama fake;
    private OllamaModelManager manager;

    @AfterEach
    void stop() throws IOException {
        if (manager != null) {
            manager.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private OllamaModelManager manager(ScriptedFaultyOllama.Script script, Duration stallTimeout) throws IOException {
        fake = ScriptedFaultyOllama.playing(script);
        manager = new OllamaModelManager(fake.baseUrl(), Duration.ofSeconds(3), Duration.ofSeconds(30), stallTimeout);
        return manager;
    }

    @Test
    void aPullWhoseProgressStandsStillIsCutAndEndsWithRegistryUnreachable() throws Exception {
        CompletableFuture<Void> hungUp = new CompletableFuture<>();
        manager(exchange -> {
            exchange.startStream();
            exchange.sendLines("{\"status\":\"pulling manifest\"}", LAYER.formatted(100), LAYER.formatted(200));
            try {
                while (true) {
                    // Ollama repeats the unchanged progress line while its download stands still
                    exchange.sendLines(LAYER.formatted(200));
                    Thread.sleep(50); // pacing the scripted stream
                }
            } catch (IOException clientHungUp) {
                hungUp.complete(null);
            }
        }, Duration.ofSeconds(1));

        ModelJobStatus end = endOf(manager.pull("127.0.0.1:5000/library/x:1", true));

        assertEquals(ModelJobStatus.FAILED, end.state());
        assertEquals(ErrorCode.REGISTRY_UNREACHABLE.code(), end.error().code());
        assertEquals("The registry of '127.0.0.1:5000/library/x:1' stopped answering: no progress for 1 s, so the pull "
                + "was stopped. Check the network and the registry, then pull again: layers already downloaded are "
                + "kept.", end.error().message());
        assertEquals(200L, end.completed(), "the job keeps how far it got");
        hungUp.get(WAIT.toSeconds(), SECONDS);
    }

    @Test
    void aPullThatKeepsMovingIsNotCut() throws Exception {
        manager(exchange -> {
            exchange.startStream();
            exchange.sendLines("{\"status\":\"pulling manifest\"}");
            for (int completed = 0; completed <= 1000; completed += 50) {
                exchange.sendLines(LAYER.formatted(completed));
                Thread.sleep(100); // pacing: 2.1 s in all, longer than the stall timeout, but never standing still
            }
            exchange.sendLines(LAYER.formatted(1000));
            exchange.sendLines("{\"status\":\"verifying sha256 digest\"}", "{\"status\":\"success\"}");
            exchange.endStream();
        }, Duration.ofSeconds(2));

        ModelJobStatus end = endOf(manager.pull("127.0.0.1:5000/library/x:1", true));

        assertEquals(ModelJobStatus.SUCCEEDED, end.state(), String.valueOf(end.error()));
    }

    @Test
    void pullCopyAndDeleteTellTheChatProviderThatTheModelsChanged() throws Exception {
        manager(exchange -> {
            if (exchange.request.path().equals("/api/pull")) {
                exchange.startStream();
                exchange.sendLines("{\"status\":\"pulling manifest\"}", "{\"status\":\"success\"}");
                exchange.endStream();
            } else {
                exchange.respond(200, "{}");
            }
        }, Duration.ofSeconds(30));
        AtomicInteger changes = new AtomicInteger();
        manager.onModelsChanged(changes::incrementAndGet);

        assertEquals(ModelJobStatus.SUCCEEDED, endOf(manager.pull("x:1", false)).state());
        assertEquals(1, changes.get(), "after a pull");
        manager.copy("x:1", "y:1");
        assertEquals(2, changes.get(), "after a copy");
        manager.delete("y:1");
        assertEquals(3, changes.get(), "after a delete");
        manager.loaded();
        assertEquals(3, changes.get(), "reading changes nothing");
    }

    private static ModelJobStatus endOf(ModelJob job) throws Exception {
        CompletableFuture<ModelJobStatus> end = new CompletableFuture<>();
        List<ModelJobEvent> events = new CopyOnWriteArrayList<>();
        job.subscribe(0, event -> {
            events.add(event);
            if (event.terminal()) {
                end.complete(event.job());
            }
        });
        ModelJobStatus status = end.get(WAIT.toSeconds(), SECONDS);
        assertTrue(events.size() > 1, events.toString());
        return status;
    }
}
