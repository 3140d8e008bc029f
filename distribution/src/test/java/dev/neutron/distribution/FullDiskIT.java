package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution with its whole data directory on a small real tmpfs, which a filler file makes full: create,
 * rename, send and delete answer {@code 507 insufficient_storage} and change nothing (in the API, on disk, after a
 * restart); once the filler is gone, the same running server writes again. Mounting needs root, as on the test
 * machines and CI; a mount that fails fails the test. Sending uses the real Ollama of {@code scripts/test-ollama}.
 */
class FullDiskIT {
    /** Room for Felix's bundle cache and the chats; all of it is RAM only while the test runs. */
    private static final String DISK_SIZE = "96m";

    @TempDir
    static Path temp;
    private static Path disk;
    private static boolean mounted;
    private static NeutronServer neutron;

    @BeforeAll
    static void mountSmallDisk() throws Exception {
        disk = temp.resolve("disk");
        Files.createDirectories(disk);
        run("mount", "-t", "tmpfs", "-o", "size=" + DISK_SIZE + ",mode=0755", "tmpfs", disk.toString());
        mounted = true;
    }

    @AfterAll
    static void unmount() throws Exception {
        try {
            if (neutron != null) {
                neutron.close();
            }
        } finally {
            if (mounted) {
                run("umount", disk.toString());
            }
        }
    }

    private static NeutronServer start() throws Exception {
        neutron = new NeutronServer(disk, Map.of("OLLAMA_HOST", NeutronServer.ollamaUrl())).start();
        return neutron;
    }

    @Test
    void everyWriteOnAFullDiskAnswers507AndChangesNothingThenWorksOnceSpaceIsFreed() throws Exception {
        start();
        String alpha = createSession("Alpha");
        String beta = createSession("Beta");
        SseClient.Stream hello = send(alpha, "Say hello.");
        assertEquals(200, hello.status(), hello.errorBody());
        // A start writes sessions.json whole and removes sessions.journal. On the full disk every change's journal line
        // then needs a new page, so it must fail; a short line may rightly fit in a page the journal already has.
        neutron.stop();
        start();
        Map<String, JsonNode> api = apiState(alpha, beta);
        assertEquals(2, api.get(alpha).get("messages").size(), api.toString());
        Map<String, byte[]> files = chatFiles();

        Path filler = fill();
        assertFull(neutron.send("POST", "/api/v1/chat/sessions", Map.of("title", "Gamma")));
        assertFull(neutron.send("PATCH", "/api/v1/chat/sessions/" + alpha, Map.of("title", "Renamed")));
        SseClient.Stream refused = send(alpha, "Say hello again.");
        assertFull(refused.status(), refused.errorBody());
        SseClient.Stream refusedLong = send(alpha, "long ".repeat(3_600)); // several pages, yet within the 8k window
        assertFull(refusedLong.status(), refusedLong.errorBody());
        assertFull(neutron.send("DELETE", "/api/v1/chat/sessions/" + beta, null));

        assertEquals(api, apiState(alpha, beta), "nothing changed in what the API shows");
        assertChatFiles(files);
        neutron.stop();
        start();
        assertEquals(api, apiState(alpha, beta), "nor after a restart on the full disk");
        assertChatFiles(files);

        Files.delete(filler);
        String gamma = createSession("Gamma");
        assertEquals("Renamed", neutron.json("PATCH", "/api/v1/chat/sessions/" + alpha, Map.of("title", "Renamed"), 200)
                .get("title").asText());
        SseClient.Stream answered = send(alpha, "Say hello again.");
        assertEquals(200, answered.status(), answered.errorBody());
        assertEquals("done", answered.last().type(), answered.events().toString());
        neutron.json("DELETE", "/api/v1/chat/sessions/" + beta, null, 204);

        neutron.stop();
        start();
        JsonNode sessions = neutron.json("GET", "/api/v1/chat/sessions", null, 200).get("sessions");
        Map<String, String> titles = new TreeMap<>();
        sessions.forEach(s -> titles.put(s.get("id").asText(), s.get("title").asText()));
        assertEquals(new TreeMap<>(Map.of(alpha, "Renamed", gamma, "Gamma")), titles);
        JsonNode alphaNow = neutron.json("GET", "/api/v1/chat/sessions/" + alpha, null, 200);
        assertEquals(4, alphaNow.get("messages").size(), alphaNow.toString());
        assertEquals(4, alphaNow.get("session").get("messageCount").asInt());
        assertEquals("Say hello again.", alphaNow.get("messages").get(2).get("content").asText());
    }

    private static String createSession(String title) throws IOException, InterruptedException {
        return neutron.json("POST", "/api/v1/chat/sessions", Map.of("title", title, "model", NeutronServer.model()), 201)
                .get("id").asText();
    }

    private static SseClient.Stream send(String session, String content) throws IOException, InterruptedException {
        return neutron.sse().post("/api/v1/chat/sessions/" + session + "/messages",
                Map.of("content", content, "model", NeutronServer.model()), null);
    }

    /** The session list and each chat (session and messages), as the API answers them. */
    private static Map<String, JsonNode> apiState(String... ids) throws IOException, InterruptedException {
        Map<String, JsonNode> state = new TreeMap<>();
        state.put("list", neutron.json("GET", "/api/v1/chat/sessions", null, 200));
        for (String id : ids) {
            state.put(id, neutron.json("GET", "/api/v1/chat/sessions/" + id, null, 200));
        }
        return state;
    }

    private static void assertFull(HttpResponse<String> response) throws IOException {
        assertFull(response.statusCode(), response.body());
    }

    private static void assertFull(int status, String body) throws IOException {
        assertEquals(507, status, body);
        JsonNode error = NeutronServer.JSON.readTree(body).get("error");
        assertEquals("insufficient_storage", error.get("code").asText(), body);
        String message = error.get("message").asText();
        assertTrue(message.startsWith("The disk is full: "), message);
        assertTrue(message.endsWith("Nothing was changed. Free disk space where the data directory " + disk
                + " lives, then retry."), message);
    }

    /** Every file the JSONL store keeps, byte for byte. */
    private static Map<String, byte[]> chatFiles() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(disk.resolve("chats"))) {
            for (Path file : list.toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static void assertChatFiles(Map<String, byte[]> expected) throws IOException {
        Map<String, byte[]> actual = chatFiles();
        assertEquals(expected.keySet(), actual.keySet(), "the files of the chats");
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
    }

    /** Writes a filler file until the kernel answers "No space left on device". */
    private static Path fill() throws IOException {
        Path filler = disk.resolve("filler");
        ByteBuffer chunk = ByteBuffer.allocate(256 * 1024);
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
            }
        } catch (IOException full) {
            if (full.getMessage() == null || !full.getMessage().contains("No space left on device")) {
                throw full;
            }
        }
        return filler;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                    + output.strip() + ". This test mounts a small tmpfs and must run as root.");
        }
    }
}
