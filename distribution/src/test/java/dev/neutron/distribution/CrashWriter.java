package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One writer of {@link CrashSafetyIT}: until the server dies under it, it makes random writes (create, send, rename,
 * upload, delete a session, regenerate, edit, delete a branch) to chats of its own, one at a time, recording each in
 * its {@link ChatLedger} once the server acknowledged it. Every acknowledged answer is checked as it arrives.
 */
final class CrashWriter implements Runnable {
    private static final String WORDS = "Grüße aus Köln 🚀 straße naïve café 日本 data line quick fox";

    private final ChatLedger ledger;
    private final NeutronServer neutron;
    private final Random random;
    private final List<String> failures;
    private final AtomicInteger serial;

    CrashWriter(ChatLedger ledger, NeutronServer neutron, Random random, List<String> failures, AtomicInteger serial) {
        this.ledger = ledger;
        this.neutron = neutron;
        this.random = random;
        this.failures = failures;
        this.serial = serial;
    }

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                step();
            }
        } catch (IOException | ServerGone killed) {
            // the server was killed under this write: it stays pending in the ledger
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (AssertionError | RuntimeException e) {
            failures.add(ledger.writer + ": " + e);
        }
    }

    /** An SSE answer cut off without its done event: the server went away mid-answer. */
    private static final class ServerGone extends RuntimeException {
        ServerGone() {
            super(null, null, false, false);
        }
    }

    private void step() throws IOException, InterruptedException {
        List<ChatLedger.Chat> live = ledger.live();
        if (live.isEmpty()) {
            create();
            return;
        }
        ChatLedger.Chat chat = live.get(random.nextInt(live.size()));
        int dice = random.nextInt(100);
        List<ChatLedger.Message> questions = ChatLedger.messagesOf(chat, "user");
        if (dice < 10) {
            create();
        } else if (dice < 45 || questions.isEmpty()) {
            send(chat, null);
        } else if (dice < 55) {
            rename(chat);
        } else if (dice < 65) {
            upload(chat);
        } else if (dice < 75) {
            regenerate(chat, questions.get(random.nextInt(questions.size())));
        } else if (dice < 85) {
            send(chat, questions.get(random.nextInt(questions.size())));
        } else if (dice < 93) {
            List<ChatLedger.Message> all = ChatLedger.messagesOf(chat, null);
            deleteBranch(chat, all.get(random.nextInt(all.size())));
        } else if (live.size() > 1) {
            deleteSession(chat);
        }
    }

    private String next(String what) {
        return ledger.writer + " " + what + serial.incrementAndGet();
    }

    private void create() throws IOException, InterruptedException {
        String title = next("chat ");
        ledger.pending = new ChatLedger.Pending(ChatLedger.Kind.CREATE, null, title, null, null);
        JsonNode session = neutron.json("POST", "/api/v1/chat/sessions", Map.of("title", title, "model", ScriptedFastOllama.MODEL), 201);
        String id = session.get("id").asText();
        ledger.chats.put(id, new ChatLedger.Chat(id, title));
        acknowledged();
    }

    /** A new question, or (with {@code edited}) an edit of an earlier one. */
    private void send(ChatLedger.Chat chat, ChatLedger.Message edited) throws IOException, InterruptedException {
        String question = next("q") + " " + words();
        ChatLedger.Kind kind = edited == null ? ChatLedger.Kind.SEND : ChatLedger.Kind.EDIT;
        ledger.pending = new ChatLedger.Pending(kind, chat.id, question, null, edited == null ? null : edited.id());
        Map<String, Object> body = edited == null ? Map.of("content", question) : Map.of("content", question, "editOf", edited.id());
        SseClient.Stream stream = neutron.sse().post("/api/v1/chat/sessions/" + chat.id + "/messages", body, null);
        JsonNode done = done(stream);
        JsonNode user = stream.first("meta").data().get("userMessage");
        if (edited != null && !String.valueOf(edited.parentId()).equals(user.get("parentId").asText("null"))) {
            throw new AssertionError("the edit of " + edited + " got parent " + user.get("parentId"));
        }
        record(chat, user);
        record(chat, expectAnswer(done, user, question));
        acknowledged();
    }

    private void regenerate(ChatLedger.Chat chat, ChatLedger.Message question) throws IOException, InterruptedException {
        ledger.pending = new ChatLedger.Pending(ChatLedger.Kind.REGENERATE, chat.id, null, null, question.id());
        SseClient.Stream stream = neutron.sse().post("/api/v1/chat/sessions/" + chat.id + "/messages/" + question.id()
                + "/regenerate", Map.of(), null);
        JsonNode user = NeutronServer.JSON.valueToTree(Map.of("id", question.id()));
        record(chat, expectAnswer(done(stream), user, question.content()));
        acknowledged();
    }

    private static JsonNode done(SseClient.Stream stream) {
        if (stream.status() != 200) {
            throw new AssertionError("send answered " + stream.status() + ": " + stream.errorBody());
        }
        if (stream.events().isEmpty() || !"done".equals(stream.last().type())) {
            if (!stream.events().isEmpty() && "error".equals(stream.last().type())) {
                throw new AssertionError("the answer failed: " + stream.last().data());
            }
            throw new ServerGone();
        }
        return stream.last().data().get("message");
    }

    private static JsonNode expectAnswer(JsonNode answer, JsonNode question, String questionText) {
        if (!"complete".equals(answer.get("status").asText())
                || !ScriptedFastOllama.answerTo(questionText).equals(answer.get("content").asText())
                || !question.get("id").asText().equals(answer.get("parentId").asText())) {
            throw new AssertionError("the answer to '" + questionText + "' (" + question.get("id") + ") came as " + answer);
        }
        return answer;
    }

    private static void record(ChatLedger.Chat chat, JsonNode message) {
        JsonNode parent = message.get("parentId");
        ChatLedger.Message read = new ChatLedger.Message(message.get("id").asText(), message.get("role").asText(),
                message.get("content").asText(), parent.isNull() ? null : parent.asText());
        chat.messages.put(read.id(), read);
    }

    private void rename(ChatLedger.Chat chat) throws IOException, InterruptedException {
        String title = next("renamed ");
        ledger.pending = new ChatLedger.Pending(ChatLedger.Kind.RENAME, chat.id, title, null, null);
        neutron.json("PATCH", "/api/v1/chat/sessions/" + chat.id, Map.of("title", title), 200);
        chat.title = title;
        acknowledged();
    }

    private void upload(ChatLedger.Chat chat) throws IOException, InterruptedException {
        String line = next("file ") + " " + words() + "\n";
        byte[] content = line.repeat(1 + random.nextInt(400)).getBytes(StandardCharsets.UTF_8);
        ledger.pending = new ChatLedger.Pending(ChatLedger.Kind.UPLOAD, chat.id, null, content, null);
        HttpResponse<String> uploaded = neutron.upload(chat.id, "notes.txt", content);
        if (uploaded.statusCode() != 201) {
            throw new AssertionError("upload answered " + uploaded.statusCode() + ": " + uploaded.body());
        }
        chat.attachments.put(NeutronServer.JSON.readTree(uploaded.body()).get("attachment").get("id").asText(), content);
        acknowledged();
    }

    private void deleteSession(ChatLedger.Chat chat) throws IOException, InterruptedException {
        ledger.pending = new ChatLedger.Pending(ChatLedger.Kind.DELETE_SESSION, chat.id, null, null, null);
        neutron.json("DELETE", "/api/v1/chat/sessions/" + chat.id, null, 204);
        chat.deleted = true;
        acknowledged();
    }

    private void deleteBranch(ChatLedger.Chat chat, ChatLedger.Message root) throws IOException, InterruptedException {
        ledger.pending = new ChatLedger.Pending(ChatLedger.Kind.DELETE_BRANCH, chat.id, null, null, root.id());
        JsonNode answer = neutron.json("DELETE", "/api/v1/chat/sessions/" + chat.id + "/messages/" + root.id(), null, 200);
        var gone = chat.subtree(root.id());
        if (answer.get("deleted").asInt() != gone.size()) {
            throw new AssertionError("deleting " + root + " deleted " + answer.get("deleted") + ", its subtree has " + gone.size());
        }
        chat.messages.keySet().removeAll(gone);
        acknowledged();
    }

    private void acknowledged() {
        ledger.pending = null;
        ledger.acknowledged++;
    }

    private String words() {
        String[] words = WORDS.split(" ");
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(12); i < n; i++) {
            text.append(i == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
        }
        return text.toString();
    }
}
