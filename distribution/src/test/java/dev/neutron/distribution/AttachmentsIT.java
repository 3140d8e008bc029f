package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attachments over HTTP on the distribution, with the real Ollama behind a recording pass-through. */
class AttachmentsIT {
    private static final String SECRET = "The secret word is PAPAYA-7731.";

    @TempDir
    Path temp;

    private NeutronServer neutron;
    private RecordingOllamaProxy proxy;

    @AfterEach
    void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private NeutronServer start() throws Exception {
        neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", proxy.baseUrl())).start();
        return neutron;
    }

    private HttpResponse<String> upload(String sessionId, String fileName, byte[] content) throws Exception {
        return neutron.upload(sessionId, fileName, content);
    }

    private List<Path> uploadsOnDisk() throws Exception {
        Path uploads = temp.resolve("data/uploads");
        if (!Files.exists(uploads)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".json")).toList();
        }
    }

    @Test
    void anAttachedTextFileGoesIntoThePromptSentToOllama() throws Exception {
        proxy = new RecordingOllamaProxy(NeutronServer.ollamaUrl());
        start();
        String id = neutron.createSession("files");
        HttpResponse<String> uploaded = upload(id, "../../notes.txt", (SECRET + "\nSecond line.\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        JsonNode attachment = NeutronServer.JSON.readTree(uploaded.body()).get("attachment");
        assertEquals("notes.txt", attachment.get("fileName").asText(), "the client's path is stripped");
        assertEquals("text", attachment.get("kind").asText());
        String attachmentId = attachment.get("id").asText();

        SseClient.Stream stream = neutron.sse().post("/api/v1/chat/sessions/" + id + "/messages", Map.of(
                "content", "What is the secret word in the file?", "model", NeutronServer.model(),
                "attachments", List.of(attachmentId)), null);
        assertEquals("done", stream.last().type(), stream.events().toString());

        String chatRequest = proxy.requests().stream().filter(r -> r.path().equals("/api/chat"))
                .reduce((a, b) -> b).orElseThrow().body();
        JsonNode sent = NeutronServer.JSON.readTree(chatRequest);
        JsonNode lastMessage = sent.get("messages").get(sent.get("messages").size() - 1);
        assertTrue(lastMessage.get("content").asText().contains("Attached file: notes.txt"), lastMessage.toString());
        assertTrue(lastMessage.get("content").asText().contains(SECRET), lastMessage.toString());
        assertTrue(sent.get("options").get("num_ctx").asInt() >= 4096, chatRequest);

        JsonNode messages = neutron.json("GET", "/api/v1/chat/sessions/" + id, null, 200).get("messages");
        assertEquals(attachmentId, messages.get(0).get("attachments").get(0).asText());

        HttpResponse<String> download = neutron.send("GET", "/api/v1/chat/sessions/" + id + "/attachments/" + attachmentId, null);
        assertEquals(200, download.statusCode());
        assertTrue(download.body().startsWith(SECRET));
        assertEquals("nosniff", download.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(download.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));

        neutron.stop();
        start();
        JsonNode listed = neutron.json("GET", "/api/v1/chat/sessions/" + id + "/attachments", null, 200);
        assertEquals(attachmentId, listed.get("attachments").get(0).get("id").asText(), "attachments survive a restart");

        neutron.json("DELETE", "/api/v1/chat/sessions/" + id, null, 204);
        assertEquals(List.of(), uploadsOnDisk(), "deleting a session deletes its uploads");
    }

    @Test
    void refusesWrongTypesAndUnknownAttachmentsWithCodedErrorsLeavingNothingBehind() throws Exception {
        proxy = new RecordingOllamaProxy(NeutronServer.ollamaUrl());
        start();
        String id = neutron.createSession("bad files");
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0};
        HttpResponse<String> binary = upload(id, "innocent.txt", elf);
        assertEquals(415, binary.statusCode(), binary.body());
        assertEquals("unsupported_file_type", NeutronServer.JSON.readTree(binary.body()).get("error").get("code").asText());
        assertEquals(List.of(), uploadsOnDisk());

        var unknown = neutron.send("POST", "/api/v1/chat/sessions/" + id + "/messages", Map.of(
                "content", "read it", "attachments", List.of("att_0123456789abcdef")));
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals(0, neutron.json("GET", "/api/v1/chat/sessions/" + id, null, 200).get("messages").size());

        var notMultipart = neutron.send("POST", "/api/v1/chat/sessions/" + id + "/upload", Map.of("file", "x"));
        assertEquals(415, notMultipart.statusCode(), notMultipart.body());
        assertFalse(proxy.requests().stream().anyMatch(r -> r.path().equals("/api/chat")), "nothing went upstream");
    }
}
