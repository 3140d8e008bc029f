package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search on the assembled distribution: a streamed real-Ollama answer, a renamed title, a PDF, a deleted chat, a
 * malformed query. (That the API token guards search too is checked in ApiTokenIT.)
 */
class SearchIT {
    @TempDir
    Path temp;

    private NeutronServer neutron;

    @AfterEach
    void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
    }

    private JsonNode search(String query) throws Exception {
        return neutron.json("GET", "/api/v1/chat/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8), null, 200);
    }

    /** Polls the search (the index follows the store within a reconcile pass) until its hits satisfy {@code until}. */
    private JsonNode searchUntil(String query, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode result = search(query);
        while (!until.test(result.get("hits"))) {
            assertTrue(System.nanoTime() < deadline, "search for '" + query + "' never got there: " + result);
            TimeUnit.MILLISECONDS.sleep(50);
            result = search(query);
        }
        return result;
    }

    private static Predicate<JsonNode> hasHit(String field, String value) {
        return hits -> {
            for (JsonNode hit : hits) {
                if (value.equals(hit.path(field).asText())) {
                    return true;
                }
            }
            return false;
        };
    }

    private static JsonNode hitWith(JsonNode result, String field, String value) {
        for (JsonNode hit : result.get("hits")) {
            if (value.equals(hit.path(field).asText())) {
                return hit;
            }
        }
        throw new AssertionError("no hit with " + field + "=" + value + " in " + result);
    }

    @Test
    void findsAStreamedAnswerARenamedTitleAndAnAttachedPdfButNotADeletedChat() throws Exception {
        neutron = new NeutronServer(temp.resolve("data"), Map.of("OLLAMA_HOST", NeutronServer.ollamaUrl())).start();

        String chat = neutron.createSession("first title");
        SseClient.Stream stream = neutron.sse().post("/api/v1/chat/sessions/" + chat + "/messages",
                Map.of("content", "Write two sentences about the sea.", "model", NeutronServer.model()), null);
        assertEquals("done", stream.last().type(), stream.events().toString());
        JsonNode answer = stream.last().data().get("message");
        String word = longestWord(answer.get("content").asText());
        JsonNode found = searchUntil(word, hasHit("messageId", answer.get("id").asText()));
        JsonNode hit = hitWith(found, "messageId", answer.get("id").asText());
        assertEquals("assistant", hit.get("role").asText());
        assertEquals(chat, hit.get("sessionId").asText());
        assertEquals(NeutronServer.model(), hit.get("model").asText());
        JsonNode range = hit.get("snippet").get("highlights").get(0);
        assertEquals(word, hit.get("snippet").get("text").asText().substring(range.get(0).asInt(), range.get(1).asInt())
                .toLowerCase(Locale.ROOT));

        neutron.json("PATCH", "/api/v1/chat/sessions/" + chat, Map.of("title", "Zanzibar voyage"), 200);
        JsonNode title = hitWith(searchUntil("zanzibar", hasHit("kind", "title")), "kind", "title");
        assertEquals(chat, title.get("sessionId").asText());
        assertEquals("Zanzibar voyage", title.get("title").asText());
        searchUntil("first title", hits -> hits.size() == 0);

        String files = neutron.createSession("files");
        HttpResponse<String> uploaded = upload(files, "menu.pdf", Pdf.withText("Quixotic marmalade recipes"));
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        String attachmentId = NeutronServer.JSON.readTree(uploaded.body()).get("attachment").get("id").asText();
        SseClient.Stream sent = neutron.sse().post("/api/v1/chat/sessions/" + files + "/messages", Map.of("content",
                "What is on the menu?", "model", NeutronServer.model(), "attachments", List.of(attachmentId)), null);
        assertEquals("done", sent.last().type(), sent.events().toString());
        String carrier = sent.first("meta").data().get("userMessage").get("id").asText();
        // the file was indexed on its own when uploaded; the chat is indexed again once its answer has ended
        JsonNode pdf = hitWith(searchUntil("marmalade", hasHit("messageId", carrier)), "kind", "attachment");
        assertEquals(files, pdf.get("sessionId").asText());
        assertEquals(attachmentId, pdf.get("attachment").get("id").asText());
        assertEquals("menu.pdf", pdf.get("attachment").get("fileName").asText());
        assertEquals(carrier, pdf.get("messageId").asText(), "found under the message that carries the file");

        String doomed = neutron.createSession("Flibbertigibbet notes");
        searchUntil("flibbertigibbet", hasHit("sessionId", doomed));
        neutron.json("DELETE", "/api/v1/chat/sessions/" + doomed, null, 204);
        JsonNode gone = searchUntil("flibbertigibbet", hits -> hits.size() == 0);
        assertEquals(false, gone.get("catchingUp").asBoolean());
        assertEquals(2, gone.get("indexedSessions").asInt());

        HttpResponse<String> malformed = neutron.send("GET", "/api/v1/chat/search?q=%22open", null);
        assertEquals(400, malformed.statusCode(), malformed.body());
        JsonNode error = NeutronServer.JSON.readTree(malformed.body()).get("error");
        assertEquals("invalid_request", error.get("code").asText());
        assertEquals("The search query has an unclosed quote (\"): end the phrase with a second \" or remove the quote.",
                error.get("message").asText());
    }

    /** The longest plain word of an answer (letters only, at least 4), lower-cased. */
    private static String longestWord(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.split("[^\\p{IsAlphabetic}]+")) {
            if (word.length() >= 4) {
                words.add(word.toLowerCase(Locale.ROOT));
            }
        }
        assertTrue(!words.isEmpty(), "the answer has no word to search for: " + text);
        return words.stream().max((a, b) -> Integer.compare(a.length(), b.length())).orElseThrow();
    }

    private HttpResponse<String> upload(String sessionId, String fileName, byte[] content) throws Exception {
        String boundary = "neutron-search-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(neutron.baseUrl()
                        + "/api/v1/chat/sessions/" + sessionId + "/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
