package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution started on a data directory as crashes leave it: history lines cut inside a multi-byte character
 * (listed and unlisted chats), a delete cut short after its tombstone rename, a count sessions.json never caught up
 * with, a stale temp file. It must start healthy and serve and export every chat.
 */
class DurabilityIT {
    private static final String LISTED = "chat_11575ed000000001";
    private static final String ORPHAN = "chat_0bba000000000002";
    private static final String DELETED = "chat_de1e7ed000000003";

    @TempDir
    Path temp;
    private NeutronServer neutron;

    @AfterEach
    void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
    }

    private static String line(String id, String content, String at) {
        return "{\"id\":\"" + id + "\",\"role\":\"user\",\"content\":\"" + content + "\",\"model\":\"m\",\"createdAt\":\""
                + at + "\",\"status\":\"complete\",\"attachments\":[]}\n";
    }

    /** A line of 'ß' (two bytes each) cut after the first byte of one of them, as a crash or full disk leaves it. */
    private static byte[] tornEszettLine() {
        byte[] whole = line("m-torn", "ß".repeat(300), "2026-05-01T00:00:09Z").getBytes(StandardCharsets.UTF_8);
        int cut = whole.length / 2;
        while ((whole[cut - 1] & 0xff) != 0xc3) {
            cut++;
        }
        return Arrays.copyOf(whole, cut);
    }

    private static void write(Path file, String text, byte[] tail) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(text.getBytes(StandardCharsets.UTF_8));
        bytes.write(tail);
        Files.write(file, bytes.toByteArray());
    }

    @Test
    void startsHealthyAndServesEveryChatAfterCrashesLeftTornAndHalfDoneFiles() throws Exception {
        Path data = temp.resolve("data");
        Path chats = Files.createDirectories(data.resolve("chats"));
        Files.writeString(chats.resolve("sessions.json"), "[{\"id\":\"" + LISTED + "\",\"title\":\"Listed\",\"model\":null,"
                + "\"createdAt\":\"2026-05-01T00:00:00Z\",\"updatedAt\":\"2026-05-01T00:00:01Z\",\"messageCount\":1},"
                + "{\"id\":\"" + DELETED + "\",\"title\":\"Deleted\",\"model\":null,"
                + "\"createdAt\":\"2026-05-01T00:00:00Z\",\"updatedAt\":\"2026-05-01T00:00:00Z\",\"messageCount\":1}]");
        // two whole lines where sessions.json counted one: the crash came between the append and the list
        write(chats.resolve(LISTED + ".jsonl"), line("l1", "one", "2026-05-01T00:00:01Z")
                + line("l2", "two", "2026-05-01T00:00:05Z"), tornEszettLine());
        write(chats.resolve(ORPHAN + ".jsonl"), line("o1", "orphan", "2026-05-01T00:00:02Z"), tornEszettLine());
        Files.writeString(chats.resolve(DELETED + ".jsonl.deleted"), line("d1", "gone", "2026-05-01T00:00:00Z"));
        Files.writeString(chats.resolve("sessions.json.tmp"), "[{\"id\":\"chat_half");

        neutron = new NeutronServer(data, Map.of()).start();

        JsonNode sessions = neutron.json("GET", "/api/v1/chat/sessions", null, 200).get("sessions");
        Map<String, String> listed = new TreeMap<>();
        sessions.forEach(s -> listed.put(s.get("id").asText(),
                s.get("title").asText() + "/" + s.get("messageCount").asInt() + "/" + s.get("updatedAt").asText()));
        assertEquals(Map.of(LISTED, "Listed/2/2026-05-01T00:00:05Z", ORPHAN, "Recovered chat/1/2026-05-01T00:00:02Z"),
                listed);
        assertEquals(List.of("one", "two"), contents(neutron.json("GET", "/api/v1/chat/sessions/" + LISTED, null, 200)));
        assertEquals(List.of("orphan"), contents(neutron.json("GET", "/api/v1/chat/sessions/" + ORPHAN, null, 200)));
        neutron.json("GET", "/api/v1/chat/sessions/" + DELETED, null, 404);

        HttpResponse<String> export = neutron.send("GET", "/api/v1/chat/export", null);
        assertEquals(200, export.statusCode(), export.body());
        List<String> lines = export.body().lines().toList();
        JsonNode end = NeutronServer.JSON.readTree(lines.get(lines.size() - 1));
        assertEquals("end", end.get("type").asText(), export.body());
        assertEquals(2, end.get("sessions").asInt(), export.body());
        assertEquals(3, end.get("messages").asInt(), export.body());

        try (Stream<Path> files = Files.list(chats)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertFalse(names.contains("sessions.json.tmp"), names.toString());
            assertFalse(names.contains(DELETED + ".jsonl.deleted"), names.toString());
            assertEquals(2, names.stream().filter(n -> n.contains(".jsonl.torn-")).count(), names.toString());
        }
        StringBuilder log = new StringBuilder();
        try (Stream<Path> logs = Files.list(temp.resolve("logs"))) {
            for (Path file : logs.toList()) {
                log.append(Files.readString(file));
            }
        }
        assertTrue(log.toString().contains("Repaired the history of chat " + LISTED), log.toString());
    }

    private static List<String> contents(JsonNode chat) {
        return chat.get("messages").findValuesAsText("content");
    }
}
