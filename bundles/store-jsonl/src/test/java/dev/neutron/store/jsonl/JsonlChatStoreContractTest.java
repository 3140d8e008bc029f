package dev.neutron.store.jsonl;

import dev.neutron.api.ChatStore;
import dev.neutron.store.contract.ChatStoreContract;
import java.nio.file.Path;
import java.time.Clock;
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
}
