package dev.neutron.http;

import dev.neutron.api.ChatService;
import dev.neutron.api.LiveGeneration;
import dev.neutron.api.ModelInfo;
import dev.neutron.api.ProviderStatus;
import dev.neutron.api.SendMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test double of the chat engine: {@code send} starts a {@link FakeLiveGeneration} the test drives. */
final class FakeChatService implements ChatService {
    final Map<String, FakeLiveGeneration> generations = new ConcurrentHashMap<>();
    final List<SendMessage> sent = new CopyOnWriteArrayList<>();
    final List<String> stopped = new CopyOnWriteArrayList<>();
    /** Each regeneration asked for: session id, message id, model. */
    final List<List<String>> regenerated = new CopyOnWriteArrayList<>();

    @Override
    public LiveGeneration send(String sessionId, SendMessage message) {
        sent.add(message);
        FakeLiveGeneration generation = new FakeLiveGeneration(sessionId);
        generations.put(sessionId, generation);
        return generation;
    }

    @Override
    public LiveGeneration regenerate(String sessionId, String messageId, String model) {
        regenerated.add(java.util.Arrays.asList(sessionId, messageId, model));
        FakeLiveGeneration generation = new FakeLiveGeneration(sessionId);
        generations.put(sessionId, generation);
        return generation;
    }

    @Override
    public Optional<LiveGeneration> generation(String sessionId) {
        return Optional.ofNullable(generations.get(sessionId));
    }

    @Override
    public boolean stop(String sessionId) {
        stopped.add(sessionId);
        return generations.containsKey(sessionId);
    }

    @Override
    public List<ModelInfo> models() {
        return List.of();
    }

    @Override
    public List<ProviderStatus> providers() {
        return List.of();
    }

    @Override
    public String defaultModel() {
        return null;
    }
}
