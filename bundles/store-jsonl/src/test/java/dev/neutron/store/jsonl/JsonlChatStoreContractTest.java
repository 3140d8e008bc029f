package dev.neutron.store.jsonl;

import dev.neutron.api.ChatMessage;
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
}
