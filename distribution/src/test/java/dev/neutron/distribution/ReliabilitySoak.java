package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded soak: mixed traffic (chats created, messages sent and regenerated, uploads, renames, lists, hung-up
 * streams, deletes) from several clients against {@link ScriptedFastOllama} for {@code -Dneutron.soak.seconds}
 * (600 by default). Heap after a full GC, RSS, threads and file descriptors are read once the traffic has warmed up,
 * halfway, and at the end after settling: the heap after GC may grow by at most {@value #HEAP_SLACK_MB} MiB from the
 * start, threads and descriptors by at most {@value #HANDLE_SLACK}; RSS, which also holds heap the JVM committed once
 * and keeps (serial GC), may grow by at most {@value #RSS_SLACK_PERCENT} % over the second half: it must level off.
 * Not an {@code *IT}: too long for the normal test run; {@code scripts/reliability} runs it.
 */
class ReliabilitySoak {
    private static final int SECONDS = Integer.getInteger("neutron.soak.seconds", 600);
    private static final int CLIENTS = Integer.getInteger("neutron.soak.clients", 6);
    private static final int HEAP_SLACK_MB = 16;
    private static final int RSS_SLACK_PERCENT = 10;
    private static final int HANDLE_SLACK = 4;

    @TempDir
    Path temp;
    private NeutronServer neutron;
    private volatile boolean running = true;
    private final AtomicLong operations = new AtomicLong();

    @AfterEach
    void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
    }

    @Test
    void mixedTrafficLeavesHeapRssThreadsAndHandlesFlat() throws Exception {
        try (ScriptedFastOllama ollama = new ScriptedFastOllama()) {
            neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", ollama.baseUrl())).start();
            ProcessGauges gauges = new ProcessGauges(neutron.pid());
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                runs.add(clients.submit(() -> {
                    while (running) {
                        oneChat(client);
                    }
                    return null;
                }));
            }
            long warmUp = Math.max(10, SECONDS / 10);
            TimeUnit.SECONDS.sleep(warmUp);
            ProcessGauges.Reading start = gauges.read();
            long startOps = operations.get();
            TimeUnit.SECONDS.sleep((SECONDS - warmUp) / 2);
            ProcessGauges.Reading half = gauges.read();
            TimeUnit.SECONDS.sleep((SECONDS - warmUp) / 2);
            running = false;
            for (Future<?> run : runs) {
                run.get(5, TimeUnit.MINUTES);
            }
            clients.shutdown();
            ProcessGauges.Reading end = gauges.settleTo(start.fds() + HANDLE_SLACK, start.threads() + HANDLE_SLACK, 90);
            System.out.printf("Soak: %d s of mixed traffic from %d clients, %d operations (%d after warm-up); start: %s; "
                    + "halfway: %s; end: %s%n", SECONDS, CLIENTS, operations.get(), operations.get() - startOps, start, half, end);
            assertTrue(end.heapKb() <= start.heapKb() + HEAP_SLACK_MB * 1024L, "heap after GC " + start + " -> " + end);
            assertTrue(end.rssKb() <= half.rssKb() * (100 + RSS_SLACK_PERCENT) / 100, "RSS " + half + " -> " + end);
            assertTrue(end.threads() <= start.threads() + HANDLE_SLACK, "threads " + start + " -> " + end);
            assertTrue(end.fds() <= start.fds() + HANDLE_SLACK, "file descriptors " + start + " -> " + end);
        }
    }

    /** One chat's life: created, talked to, a file, a regenerated answer, a rename, a stream left early, deleted. */
    private void oneChat(int client) throws Exception {
        String id = neutron.json("POST", "/api/v1/chat/sessions", Map.of("title", "soak " + client, "model",
                ScriptedFastOllama.MODEL), 201).get("id").asText();
        String path = "/api/v1/chat/sessions/" + id;
        for (int m = 0; m < 5; m++) {
            SseClient.Stream stream = neutron.sse().post(path + "/messages", Map.of("content", "soak " + client + " " + m), null);
            assertEquals("done", stream.last().type(), stream.events().toString());
            operations.incrementAndGet();
        }
        HttpResponse<String> upload = neutron.upload(id, "notes.txt", ("notes of " + id + "\n").repeat(200)
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(201, upload.statusCode(), upload.body());
        JsonNode first = neutron.json("GET", path, null, 200).get("messages").get(0);
        SseClient.Stream again = neutron.sse().post(path + "/messages/" + first.get("id").asText() + "/regenerate", Map.of(), null);
        assertEquals("done", again.last().type(), again.events().toString());
        neutron.sse().post(path + "/messages", Map.of("content", "leave early " + ScriptedFastOllama.SLOW),
                events -> events.size() >= 3);
        neutron.awaitIdle(id);
        neutron.json("PATCH", path, Map.of("title", "soak " + client + " renamed"), 200);
        neutron.json("GET", "/api/v1/chat/sessions", null, 200);
        neutron.json("GET", path + "?tree=all", null, 200);
        neutron.json("DELETE", path, null, 204);
        operations.addAndGet(7);
    }
}
