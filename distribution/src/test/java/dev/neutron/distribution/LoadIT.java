package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients at once, each sending message after message into its own chat, answered by {@link ScriptedFastOllama}:
 * every answer arrives whole, and every chat holds exactly its questions and answers, in the order sent. Size:
 * {@code -Dneutron.load.clients} × {@code -Dneutron.load.messages} (20 × 20 here, 50 × 100 in {@code scripts/reliability}).
 */
class LoadIT {
    private static final int CLIENTS = Integer.getInteger("neutron.load.clients", 20);
    private static final int MESSAGES = Integer.getInteger("neutron.load.messages", 20);

    @TempDir
    Path temp;
    private NeutronServer neutron;

    @AfterEach
    void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
    }

    static String question(int client, int message) {
        return "client " + client + " message " + message + " ünïcödé";
    }

    @Test
    void everyClientsMessagesAreStoredExactlyOnceAndInOrder() throws Exception {
        try (ScriptedFastOllama ollama = new ScriptedFastOllama()) {
            neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", ollama.baseUrl())).start();
            List<String> sessions = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(CLIENTS, (String) null)));
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            long started = System.nanoTime();
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                runs.add(clients.submit(() -> {
                    String id = neutron.json("POST", "/api/v1/chat/sessions",
                            Map.of("title", "client " + client, "model", ScriptedFastOllama.MODEL), 201).get("id").asText();
                    sessions.set(client, id);
                    for (int m = 0; m < MESSAGES; m++) {
                        SseClient.Stream stream = neutron.sse().post("/api/v1/chat/sessions/" + id + "/messages",
                                Map.of("content", question(client, m)), null);
                        assertEquals(200, stream.status(), stream.errorBody());
                        assertEquals("done", stream.last().type(), stream.events().toString());
                        assertEquals(ScriptedFastOllama.answerTo(question(client, m)), stream.tokens());
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.MINUTES);
            }
            clients.shutdown();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            for (int c = 0; c < CLIENTS; c++) {
                JsonNode chat = neutron.json("GET", "/api/v1/chat/sessions/" + sessions.get(c), null, 200);
                List<String> expected = new ArrayList<>();
                for (int m = 0; m < MESSAGES; m++) {
                    expected.add("user: " + question(c, m));
                    expected.add("assistant: " + ScriptedFastOllama.answerTo(question(c, m)));
                }
                List<String> stored = new ArrayList<>();
                chat.get("messages").forEach(msg -> stored.add(msg.get("role").asText() + ": " + msg.get("content").asText()));
                assertEquals(expected, stored, "client " + c);
                assertEquals(2 * MESSAGES, chat.get("session").get("messageCount").asInt());
            }
            assertEquals(CLIENTS, neutron.json("GET", "/api/v1/chat/sessions", null, 200).get("sessions").size());
            System.out.printf("Load: %d clients x %d messages = %d answers streamed and stored in order in %d ms (%.0f/s); "
                    + "the fake Ollama got %d chat requests%n", CLIENTS, MESSAGES, CLIENTS * MESSAGES, millis,
                    CLIENTS * MESSAGES * 1000.0 / millis, ollama.chatRequests());
            assertEquals(CLIENTS * MESSAGES, ollama.chatRequests(), "exactly one upstream request per message");
        }
    }
}
