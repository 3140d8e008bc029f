package dev.neutron.store.jsonl;

import dev.neutron.api.ChatMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.neutron.api.ChatSession;
import dev.neutron.api.ChatStore;
import dev.neutron.store.codec.MessageCodec;
import dev.neutron.store.contract.ChatStoreContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The shared {@link ChatStoreContract} against the JSONL store on a fresh data directory. */
class JsonlChatStoreContractTest extends ChatStoreContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dataDir;

    @Override
    protected ChatStore newStore() {
        return new JsonlChatStore(dataDir, Clock.systemUTC());
    }

    @Override
    protected ChatStore reopen(ChatStore previous) {
        return new JsonlChatStore(dataDir, Clock.systemUTC());
    }

    /** Lines as the store wrote them before trees: the codec leaves out a null parentId. */
    @Override
    protected void writeLegacyHistory(ChatStore store, String sessionId, List<ChatMessage> messages) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (ChatMessage message : messages) {
            lines.append(MessageCodec.write(message)).append('\n');
        }
        Files.writeString(dataDir.resolve("chats").resolve(sessionId + ".jsonl"), lines, StandardCharsets.UTF_8);
    }

    /** An entry of sessions.json as the store wrote it before 2.2: no settings, no autoTitle. */
    @Override
    protected void writeLegacySession(ChatStore store, ChatSession session) throws Exception {
        Path file = dataDir.resolve("chats").resolve("sessions.json");
        ArrayNode list = Files.exists(file) ? (ArrayNode) JSON.readTree(file.toFile()) : JSON.createArrayNode();
        ObjectNode entry = list.addObject();
        entry.put("id", session.id());
        entry.put("title", session.title());
        entry.put("model", session.model());
        entry.put("createdAt", session.createdAt().toString());
        entry.put("updatedAt", session.updatedAt().toString());
        entry.put("messageCount", session.messageCount());
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(list));
    }
}
