package dev.neutron.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.neutron.api.NewSession;
import dev.neutron.api.Settings;
import dev.neutron.api.SettingsService;
import dev.neutron.store.contract.InMemoryChatStore;
import dev.neutron.store.jsonl.JsonlChatStore;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing of the JSON request bodies, read by the real servlets and handlers: whatever body a client
 * sends, the answer is a success or a client error with a JSON {@code {"error":{"code","message"}}}, never a 5xx.
 * The first byte picks the request (new session, session change, message, regenerate, settings, an NDJSON import);
 * the rest is the body. Regression inputs: {@code JsonRequestFuzzTestInputs/}.
 */
class JsonRequestFuzzTest {
    private static final String[][] REQUESTS = {
        {"POST", null}, {"PATCH", "/{id}"}, {"POST", "/{id}/messages"}, {"POST", "/{id}/messages/{message}/regenerate"},
        {"PUT", "settings"}, {"POST", "import"}};
    private static final Path SCRATCH = Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));

    @FuzzTest
    void everyBodyGetsASuccessOrAJsonClientError(byte[] input) throws Exception {
        String[] request = REQUESTS[input.length == 0 ? 0 : (input[0] & 0xff) % REQUESTS.length];
        byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        FakeExchange exchange = "settings".equals(request[1]) ? putSettings(body)
                : "import".equals(request[1]) ? importBackup(body) : callSessions(request, body);

        assertTrue(exchange.status < 500, () -> exchange.status + " for " + request[0] + " " + request[1] + ": "
                + exchange.text());
        if (exchange.status >= 400) {
            JsonNode error = Json.MAPPER.readTree(exchange.text()).path("error");
            assertFalse(error.path("code").asText().isEmpty(), exchange.text());
            assertFalse(error.path("message").asText().isEmpty(), exchange.text());
        }
    }

    private static FakeExchange callSessions(String[] request, byte[] body) throws Exception {
        InMemoryChatStore store = InMemoryChatStore.atFixedTime();
        SessionsServlet servlet = new SessionsServlet(HttpConfigDefaults.config(),
                new SseStreams(new ManualScheduler(), 15));
        servlet.store = store;
        servlet.chat = new FakeChatService();
        servlet.attachments = new FakeAttachmentStore();
        String sessionId = store.createSession(new NewSession("First", null)).id();
        String path = request[1] == null ? null : request[1].replace("{id}", sessionId).replace("{message}", "msg_1");
        FakeExchange exchange = FakeExchange.sessions(request[0], path).json(body);
        servlet.service(exchange.request(), exchange.response());
        return exchange;
    }

    /** Into the real JSONL store, in memory where there is a tmpfs (its fsyncs cost nothing there). */
    private static FakeExchange importBackup(byte[] body) throws Exception {
        Path dataDir = Files.createTempDirectory(SCRATCH, "import-fuzz");
        try {
            BackupServlet servlet = new BackupServlet();
            Field store = BackupServlet.class.getDeclaredField("store");
            store.setAccessible(true);
            store.set(servlet, new JsonlChatStore(dataDir, Clock.systemUTC()));
            FakeExchange exchange = FakeExchange.at("POST", BackupServlet.IMPORT).body(body, "application/x-ndjson");
            servlet.service(exchange.request(), exchange.response());
            return exchange;
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static FakeExchange putSettings(byte[] body) throws Exception {
        SettingsServlet servlet = new SettingsServlet(HttpConfigDefaults.config());
        servlet.settings = new SettingsService() {
            private Settings stored = Settings.EMPTY;

            @Override
            public Settings current() {
                return stored;
            }

            @Override
            public Settings update(Settings settings) {
                stored = settings.normalised();
                return stored;
            }

            @Override
            public Map<String, String> fixedBy() {
                return Map.of();
            }
        };
        FakeExchange exchange = FakeExchange.sessions("PUT", null).json(body);
        servlet.service(exchange.request(), exchange.response());
        return exchange;
    }
}
