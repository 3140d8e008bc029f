package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one writer of {@link CrashSafetyIT} was told it wrote: the chats it owns, each as the server acknowledged it
 * (title, messages of every branch, uploads), and the one write it had in flight when the server was killed. After a
 * restart, {@link #check} compares that with what the server shows, then {@link #adopt} takes the server's state as
 * the acknowledged one for the next round (a write in flight may or may not have landed; either is fine if whole).
 */
final class ChatLedger {
    record Message(String id, String role, String content, String parentId) {
    }

    enum Kind { CREATE, SEND, RENAME, UPLOAD, DELETE_SESSION, REGENERATE, EDIT, DELETE_BRANCH }

    /** A write sent but not acknowledged: {@code text} is the title or question, {@code bytes} an upload's content. */
    record Pending(Kind kind, String sessionId, String text, byte[] bytes, String messageId) {
    }

    static final class Chat {
        final String id;
        String title;
        boolean deleted;
        final Map<String, Message> messages = new LinkedHashMap<>();
        final Map<String, byte[]> attachments = new LinkedHashMap<>();

        Chat(String id, String title) {
            this.id = id;
            this.title = title;
        }

        /** The message and everything under it. */
        Set<String> subtree(String rootId) {
            Set<String> ids = new HashSet<>(Set.of(rootId));
            boolean grew = true;
            while (grew) {
                grew = false;
                for (Message message : messages.values()) {
                    if (message.parentId() != null && ids.contains(message.parentId()) && ids.add(message.id())) {
                        grew = true;
                    }
                }
            }
            return ids;
        }
    }

    final String writer;
    final Map<String, Chat> chats = new LinkedHashMap<>();
    volatile Pending pending;
    /** Writes acknowledged since the last {@link #adopt}. */
    volatile int acknowledged;

    ChatLedger(String writer) {
        this.writer = writer;
    }

    List<Chat> live() {
        return chats.values().stream().filter(chat -> !chat.deleted).toList();
    }

    /**
     * Checks the server's state of every chat this writer owns against the ledger; adds what is wrong to
     * {@code failures}. {@code listed} maps the ids in the session list to their titles. Returns how many items
     * (sessions, messages, uploads) it compared.
     */
    int check(NeutronServer neutron, Map<String, String> listed, List<String> failures)
            throws IOException, InterruptedException {
        Pending inFlight = pending;
        int items = 0;
        for (Map.Entry<String, String> entry : listed.entrySet()) {
            boolean ours = chats.containsKey(entry.getKey());
            boolean pendingCreate = inFlight != null && inFlight.kind() == Kind.CREATE && inFlight.text().equals(entry.getValue());
            if (!ours && pendingCreate) {
                chats.put(entry.getKey(), new Chat(entry.getKey(), entry.getValue()));
            } else if (!ours && entry.getValue().startsWith(writer + " ")) {
                failures.add(writer + ": session " + entry.getKey() + " '" + entry.getValue() + "' was never created");
            }
        }
        for (Chat chat : chats.values()) {
            items += 1 + chat.messages.size() + chat.attachments.size();
            boolean mayBeGone = inFlight != null && inFlight.kind() == Kind.DELETE_SESSION && chat.id.equals(inFlight.sessionId());
            String where = writer + ": session " + chat.id + ": ";
            if (chat.deleted) {
                if (listed.containsKey(chat.id)) {
                    failures.add(where + "deleted (acknowledged 204) but listed again");
                }
                continue;
            }
            if (!listed.containsKey(chat.id)) {
                if (!mayBeGone) {
                    failures.add(where + "acknowledged but missing from the list");
                }
                continue;
            }
            boolean renaming = inFlight != null && inFlight.kind() == Kind.RENAME && chat.id.equals(inFlight.sessionId());
            String title = listed.get(chat.id);
            if (!title.equals(chat.title) && !(renaming && title.equals(inFlight.text()))) {
                failures.add(where + "title '" + title + "', acknowledged '" + chat.title + "'");
            }
            checkMessages(neutron, chat, inFlight != null && chat.id.equals(inFlight.sessionId()) ? inFlight : null, where,
                    failures);
            checkAttachments(neutron, chat, inFlight != null && chat.id.equals(inFlight.sessionId()) ? inFlight : null, where,
                    failures);
        }
        return items;
    }

    private static void checkMessages(NeutronServer neutron, Chat chat, Pending inFlight, String where, List<String> failures)
            throws IOException, InterruptedException {
        JsonNode body = neutron.json("GET", "/api/v1/chat/sessions/" + chat.id + "?tree=all", null, 200);
        Map<String, JsonNode> tree = new LinkedHashMap<>();
        body.get("tree").forEach(message -> tree.put(message.get("id").asText(), message));
        if (body.get("session").get("messageCount").asInt() != tree.size()) {
            failures.add(where + "messageCount " + body.get("session").get("messageCount") + " but " + tree.size() + " in the tree");
        }
        JsonNode leaf = body.get("session").get("activeLeafId");
        if (tree.isEmpty() != leaf.isNull() || (!leaf.isNull() && !tree.containsKey(leaf.asText()))) {
            failures.add(where + "active leaf " + leaf + " is not a message of the chat " + tree.keySet());
        }
        Set<String> mayBeDeleted = inFlight != null && inFlight.kind() == Kind.DELETE_BRANCH
                ? chat.subtree(inFlight.messageId()) : Set.of();
        for (Message expected : chat.messages.values()) {
            JsonNode actual = tree.get(expected.id());
            if (actual == null) {
                if (!mayBeDeleted.contains(expected.id())) {
                    failures.add(where + "acknowledged message " + expected + " is missing");
                }
            } else if (!expected.equals(asMessage(actual)) || !"complete".equals(actual.get("status").asText())) {
                failures.add(where + "acknowledged " + expected + " reads back as " + actual);
            }
        }
        for (JsonNode actual : tree.values()) {
            Message message = asMessage(actual);
            if (message.parentId() != null && !tree.containsKey(message.parentId())) {
                failures.add(where + "message " + actual + " hangs under a missing parent");
            }
            if (!chat.messages.containsKey(message.id()) && !landedFrom(inFlight, message, actual.get("status").asText(), chat)) {
                failures.add(where + "message " + actual + " was never acknowledged and is no whole result of the write in "
                        + "flight " + inFlight);
            }
        }
    }

    /** Whether {@code message}, unknown to the ledger, is a whole result of the write that was in flight. */
    private static boolean landedFrom(Pending inFlight, Message message, String status, Chat chat) {
        if (inFlight == null || !"complete".equals(status)) {
            return false;
        }
        return switch (inFlight.kind()) {
            case SEND, EDIT -> message.role().equals("user") ? message.content().equals(inFlight.text())
                    : message.content().equals(ScriptedFastOllama.answerTo(inFlight.text()));
            case REGENERATE -> message.role().equals("assistant") && message.parentId() != null
                    && message.parentId().equals(inFlight.messageId())
                    && message.content().equals(ScriptedFastOllama.answerTo(chat.messages.get(inFlight.messageId()).content()));
            default -> false;
        };
    }

    private static void checkAttachments(NeutronServer neutron, Chat chat, Pending inFlight, String where, List<String> failures)
            throws IOException, InterruptedException {
        JsonNode listed = neutron.json("GET", "/api/v1/chat/sessions/" + chat.id + "/attachments", null, 200).get("attachments");
        Map<String, Long> sizes = new LinkedHashMap<>();
        listed.forEach(attachment -> sizes.put(attachment.get("id").asText(), attachment.get("size").asLong()));
        for (String id : chat.attachments.keySet()) {
            if (!sizes.containsKey(id)) {
                failures.add(where + "acknowledged upload " + id + " is not listed");
            }
        }
        for (Map.Entry<String, Long> entry : sizes.entrySet()) {
            byte[] expected = chat.attachments.get(entry.getKey());
            if (expected == null && inFlight != null && inFlight.kind() == Kind.UPLOAD) {
                expected = inFlight.bytes();
            }
            HttpResponse<byte[]> file = neutron.bytes("/api/v1/chat/sessions/" + chat.id + "/attachments/" + entry.getKey());
            if (expected == null) {
                failures.add(where + "upload " + entry.getKey() + " is listed but was never acknowledged");
            } else if (file.statusCode() != 200 || entry.getValue() != expected.length || !Arrays.equals(expected, file.body())) {
                failures.add(where + "upload " + entry.getKey() + " is listed with " + entry.getValue() + " bytes and reads "
                        + file.statusCode() + " with " + file.body().length + " bytes; " + expected.length + " were sent");
            }
        }
    }

    private static Message asMessage(JsonNode message) {
        JsonNode parent = message.get("parentId");
        return new Message(message.get("id").asText(), message.get("role").asText(), message.get("content").asText(),
                parent == null || parent.isNull() ? null : parent.asText());
    }

    /** Takes the server's current state of every chat as acknowledged (after {@link #check} passed). */
    void adopt(NeutronServer neutron, Map<String, String> listed) throws IOException, InterruptedException {
        for (Chat chat : chats.values()) {
            if (chat.deleted || !listed.containsKey(chat.id)) {
                chat.deleted = true;
                continue;
            }
            chat.title = listed.get(chat.id);
            chat.messages.clear();
            for (JsonNode message : neutron.json("GET", "/api/v1/chat/sessions/" + chat.id + "?tree=all", null, 200).get("tree")) {
                Message read = asMessage(message);
                chat.messages.put(read.id(), read);
            }
            Map<String, byte[]> kept = new LinkedHashMap<>();
            for (JsonNode attachment : neutron.json("GET", "/api/v1/chat/sessions/" + chat.id + "/attachments", null, 200)
                    .get("attachments")) {
                String id = attachment.get("id").asText();
                kept.put(id, chat.attachments.containsKey(id) ? chat.attachments.get(id) : pending.bytes());
            }
            chat.attachments.clear();
            chat.attachments.putAll(kept);
        }
        pending = null;
        acknowledged = 0;
    }

    /** Ids of the messages of a chat, for writers picking one to regenerate, edit or delete. */
    static List<Message> messagesOf(Chat chat, String role) {
        List<Message> found = new ArrayList<>();
        for (Message message : chat.messages.values()) {
            if (role == null || role.equals(message.role())) {
                found.add(message);
            }
        }
        return found;
    }
}
