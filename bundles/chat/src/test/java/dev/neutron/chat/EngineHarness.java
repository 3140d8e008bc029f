package dev.neutron.chat;

import dev.neutron.store.contract.InMemoryChatStore;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.SendMessage;
import java.util.HashMap;
import java.util.Map;

/** A real {@link ChatEngine} wired, as DS would, to an in-memory store and a {@link FakeModelProvider}. */
final class EngineHarness implements AutoCloseable {
    final InMemoryChatStore store = new InMemoryChatStore();
    final FakeModelProvider provider;
    final ChatEngine engine;
    private final Map<String, Object> properties;

    EngineHarness(int modelContextLength, Map<String, Object> properties) {
        this.provider = new FakeModelProvider(modelContextLength);
        this.properties = new HashMap<>(properties);
        this.engine = new ChatEngine(TestChatConfig.of(Map.copyOf(properties)));
        engine.bindStore(store);
        engine.bindProvider(provider);
    }

    /** Changes configuration as ConfigAdmin would. */
    void reconfigure(String property, Object value) {
        properties.put(property, value);
        engine.modified(TestChatConfig.of(Map.copyOf(properties)));
    }

    LiveGeneration send(String sessionId, String content) {
        return engine.send(sessionId, new SendMessage(content, FakeModelProvider.MODEL, null));
    }

    @Override
    public void close() {
        engine.deactivate();
    }
}
