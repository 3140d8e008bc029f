package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving a running Neutron from the JSONL store to PostgreSQL, the documented way: drop
 * {@code deploy/dev.neutron.store.jdbc.cfg} while clients keep writing. Runs a private copy of the distribution (its
 * deploy/ changes), a database of its own on the real PostgreSQL of {@code scripts/test-postgres}
 * ({@code NEUTRON_TEST_JDBC_URL}) and the real Ollama of {@code scripts/test-ollama} ({@code OLLAMA_TEST_URL}).
 */
class StoreSwapIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOGS = Path.of(System.getProperty("neutron.e2e.logs", "target/e2e-logs")).toAbsolutePath();
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    /* hang guards, not budgets: a busy machine is slow, not broken */
    private static final Duration SWITCH_DEADLINE = Duration.ofSeconds(180);
    private static final Duration WRITERS_DEADLINE = Duration.ofMinutes(5);
    private static final int SEED_SESSIONS = 30;
    private static final int SEED_MESSAGES = 30;
    /** Between two requests of one writer: a busy user's pace, not a load test of the JSONL store. */
    private static final long WRITER_PAUSE_MS = 50;

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<RunningNeutron> started = new ArrayList<>();
    /** This test's own log directory under target/e2e-logs, so that all of its logs can be read. */
    private final Path logs = LOGS.resolve("StoreSwapIT-" + hex(4));
    private String adminUrl;
    private String dbUser;
    private String dbPassword;
    private String database;
    private String databaseUrl;

    // ---- setup: a database of our own, private copies of the distribution ----

    @BeforeEach
    void createDatabase() throws Exception {
        adminUrl = System.getenv("NEUTRON_TEST_JDBC_URL");
        if (adminUrl == null || adminUrl.isBlank()) {
            fail("NEUTRON_TEST_JDBC_URL is not set, so there is no PostgreSQL to move to. Run the tests with scripts/test, "
                    + "or `eval \"$(scripts/test-postgres env)\"` first.");
        }
        dbUser = System.getenv().getOrDefault("NEUTRON_TEST_JDBC_USER", "");
        dbPassword = System.getenv().getOrDefault("NEUTRON_TEST_JDBC_PASSWORD", "");
        database = "neutron_swap_" + hex(6);
        try (Connection admin = connect(adminUrl); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        int slash = adminUrl.indexOf('/', adminUrl.indexOf("//") + 2);
        int query = adminUrl.indexOf('?', slash);
        databaseUrl = adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (RunningNeutron neutron : started) {
            neutron.close();
        }
        if (database != null && adminUrl != null) {
            try (Connection admin = connect(adminUrl); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", dbUser);
        properties.setProperty("password", dbPassword);
        return new org.postgresql.Driver().connect(url, properties);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static String newSessionId() {
        return "chat_" + hex(8);
    }

    /** A copy of target/neutron of this test's own: its deploy/ is changed, which must not reach other tests. */
    private Path privateDistribution(String name) throws IOException {
        Path source = NeutronServer.distribution();
        Path copy = temp.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    private RunningNeutron start(Path distribution, String dataName, Map<String, String> environment) throws Exception {
        RunningNeutron neutron = RunningNeutron.start(distribution, temp.resolve(dataName), logs, http, START_DEADLINE,
                environment);
        started.add(neutron);
        return neutron;
    }

    /** Writes the file next to deploy/ and moves it in, so FileInstall never reads half a file. */
    private static void dropIn(Path distribution, String fileName, String content) throws IOException {
        Path staged = distribution.resolve(fileName + ".staged");
        Files.writeString(staged, content, StandardCharsets.UTF_8);
        Files.move(staged, distribution.resolve("deploy").resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private String storeConfig(String url, String password) {
        return "url=" + url + "\nuser=" + dbUser + "\npassword=" + password
                + "\nmigrateFrom=jsonl\nservice.ranking=10\ncatchUpSeconds=5\n";
    }

    // ---- HTTP ----

    private record Response(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Response send(RunningNeutron neutron, String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(neutron.baseUri.resolve(path.substring(1)))
                .timeout(Duration.ofSeconds(60));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    private Response json(RunningNeutron neutron, String method, String path, Object body) throws Exception {
        return send(neutron, method, path, "application/json", body == null ? null : JSON.writeValueAsString(body));
    }

    private String storeName(RunningNeutron neutron) throws Exception {
        Response health = send(neutron, "GET", "/api/v1/health", null, null);
        return health.status() == 200 ? health.json().path("store").asText() : "(" + health.status() + ")";
    }

    private static String line(Object value) throws IOException {
        return JSON.writeValueAsString(value) + "\n";
    }

    private static Map<String, Object> sessionLine(String id, String title, Instant created, Instant updated) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", id);
        session.put("title", title);
        session.put("model", null);
        session.put("createdAt", created.toString());
        session.put("updatedAt", updated.toString());
        session.put("messageCount", 0);
        return Map.of("type", "session", "session", session);
    }

    private static Map<String, Object> messageLine(String sessionId, String id, String role, String content, Instant at) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("role", role);
        message.put("content", content);
        message.put("model", null);
        message.put("createdAt", at.toString());
        message.put("status", "complete");
        message.put("attachments", List.of());
        return Map.of("type", "message", "sessionId", sessionId, "message", message);
    }

    private Response importNdjson(RunningNeutron neutron, String ndjson) throws Exception {
        return send(neutron, "POST", "/api/v1/chat/import", "application/x-ndjson", ndjson);
    }

    private List<String> messageIds(RunningNeutron neutron, String sessionId) throws Exception {
        Response response = send(neutron, "GET", "/api/v1/chat/sessions/" + sessionId, null, null);
        assertEquals(200, response.status(), sessionId + ": " + response.body());
        List<String> ids = new ArrayList<>();
        response.json().get("messages").forEach(m -> ids.add(m.get("id").asText()));
        assertEquals(ids.size(), response.json().get("session").get("messageCount").asInt(), "messageCount of " + sessionId);
        return ids;
    }

    // ---- what the writers were told ----

    /** Every write a client got a 2xx for, and every unexpected answer. */
    private static final class Acknowledged {
        final Map<String, String> created = new ConcurrentHashMap<>();           // id -> title
        final Map<String, String> renamed = new ConcurrentHashMap<>();           // id -> last acknowledged title
        final Map<String, List<String>> importedSessions = new ConcurrentHashMap<>(); // id -> message ids
        final Map<String, List<String>> appended = new ConcurrentHashMap<>();    // seeded id -> imported message ids
        final List<String> chat = new CopyOnWriteArrayList<>();                  // user, answer, user, answer...
        final Set<String> deleted = ConcurrentHashMap.newKeySet();
        final List<String> failures = new CopyOnWriteArrayList<>();
        volatile String chatSession;

        int writes() {
            return created.size() + renamed.size() + importedSessions.size() + appended.values().stream().mapToInt(List::size).sum()
                    + chat.size() + deleted.size();
        }
    }

    /** Polls until the writers got to {@code what} (or one of them failed: the test then reports the failure). */
    private static void awaitWriters(Acknowledged ack, java.util.function.BooleanSupplier reached, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WRITERS_DEADLINE.toNanos();
        while (!reached.getAsBoolean() && ack.failures.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the writers did not get to " + what + " within " + WRITERS_DEADLINE
                    + " (" + ack.writes() + " writes so far)");
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    // ---- the tests ----

    @Test
    void movesToPostgresqlWhileClientsWriteAndLosesNoAcknowledgedWrite() throws Exception {
        Path distribution = privateDistribution("neutron");
        RunningNeutron first = start(distribution, "data", Map.of("OLLAMA_HOST", NeutronServer.ollamaUrl()));
        RunningNeutron neutron = first;
        assertEquals("JsonlChatStore", storeName(neutron));

        // seed: chats with history, so the copy takes a while and the writers race it
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<String> seeds = new ArrayList<>();
        StringBuilder seed = new StringBuilder();
        for (int i = 0; i < SEED_SESSIONS; i++) {
            String id = newSessionId();
            seeds.add(id);
            seed.append(line(sessionLine(id, "seed " + i, base.plusSeconds(i * 100L), base.plusSeconds(i * 100L + 50))));
            for (int m = 0; m < SEED_MESSAGES; m++) {
                seed.append(line(messageLine(id, "seed-" + i + "-" + m, m % 2 == 0 ? "user" : "assistant",
                        "seed message " + m + " of chat " + i + " ✓", base.plusSeconds(i * 100L + m))));
            }
        }
        Response seeded = importNdjson(neutron, seed.toString());
        assertEquals(200, seeded.status(), seeded.body());
        assertEquals(SEED_SESSIONS * SEED_MESSAGES, seeded.json().get("messages").get("imported").asInt());

        Acknowledged ack = new Acknowledged();
        Response chatSession = json(neutron, "POST", "/api/v1/chat/sessions", Map.of("title", "chatting across the switch"));
        assertEquals(201, chatSession.status(), chatSession.body());
        ack.chatSession = chatSession.json().get("id").asText();

        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newCachedThreadPool();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int creator = c;
            running.add(writers.submit(() -> { creator(first, creator, writing, ack); return null; }));
        }
        running.add(writers.submit(() -> { renamer(first, seeds.subList(0, 5), writing, ack); return null; }));
        running.add(writers.submit(() -> { importer(first, seeds.subList(10, 15), writing, ack); return null; }));
        running.add(writers.submit(() -> { deleter(first, writing, ack); return null; }));
        running.add(writers.submit(() -> { chatter(first, writing, ack); return null; }));

        awaitWriters(ack, () -> ack.writes() >= 20, "20 acknowledged writes before the drop");
        int writesBefore = ack.writes();
        long dropped = System.nanoTime();
        dropIn(distribution, "dev.neutron.store.jdbc.cfg", storeConfig(databaseUrl, dbPassword));
        while (!"JdbcChatStore".equals(storeName(neutron))) {
            assertTrue(System.nanoTime() - dropped < SWITCH_DEADLINE.toNanos(),
                    "no switch to PostgreSQL within " + SWITCH_DEADLINE + "; log:\n" + neutron.stderr());
            TimeUnit.MILLISECONDS.sleep(20);
        }
        Duration toSwitch = Duration.ofNanos(System.nanoTime() - dropped);
        int writesAtSwitch = ack.writes();
        awaitWriters(ack, () -> ack.writes() >= writesAtSwitch + 20 && ack.chat.size() >= 2,
                "20 more acknowledged writes and a real answer after the switch");
        writing.set(false);
        for (Future<?> writer : running) {
            writer.get(4, TimeUnit.MINUTES);
        }
        writers.shutdown();
        int writesAfter = ack.writes() - writesAtSwitch;

        Map<String, Object> migration = awaitMigrationFinished(neutron);
        System.out.printf("Store swap: cfg dropped -> JdbcChatStore active in %d ms; %d acknowledged writes before the "
                + "drop, %d during the copy, %d after the switch (%d chat messages); migration %s%n", toSwitch.toMillis(),
                writesBefore, writesAtSwitch - writesBefore, writesAfter, ack.chat.size(), migration);
        assertEquals(List.of(), ack.failures, "every request during the swap succeeded");
        assertTrue(writesAfter > 0 && writesAtSwitch - writesBefore >= 0, "writers kept going across the switch");
        assertTrue(ack.chat.size() >= 2, "at least one real answer: " + ack.chat);

        // chats that the JSONL store still holds, deleted after the move...
        for (String id : List.of(seeds.get(20), seeds.get(21))) {
            assertEquals(204, send(neutron, "DELETE", "/api/v1/chat/sessions/" + id, null, null).status());
            ack.deleted.add(id);
        }
        verifyThroughTheApi(neutron, seeds, ack);
        verifyInPostgresql(seeds, ack);

        // ...stay deleted across a restart, whose sync from JSONL (migrateFrom stays set) changes nothing
        assertTrue(neutron.terminate(Duration.ofSeconds(60)), "stops on SIGTERM");
        long restarted = System.nanoTime();
        neutron = start(distribution, "data", Map.of());
        while (!"JdbcChatStore".equals(storeName(neutron))) {
            assertTrue(System.nanoTime() - restarted < SWITCH_DEADLINE.toNanos(), "no PostgreSQL after a restart");
            TimeUnit.MILLISECONDS.sleep(20);
        }
        System.out.printf("Store swap: restart to PostgreSQL active in %d ms%n",
                Duration.ofNanos(System.nanoTime() - restarted).toMillis());
        verifyThroughTheApi(neutron, seeds, ack);

        // a backup of the PostgreSQL-backed Neutron restores identically into a fresh (JSONL) one
        Response export = send(neutron, "GET", "/api/v1/chat/export", null, null);
        assertEquals(200, export.status());
        RunningNeutron fresh = start(privateDistribution("fresh"), "fresh-data", Map.of());
        Response restored = importNdjson(fresh, export.body());
        assertEquals(200, restored.status(), restored.body());
        assertEquals(0, restored.json().get("sessions").get("skipped").asInt(), restored.body());
        assertEquals(withoutHeader(export.body()), withoutHeader(send(fresh, "GET", "/api/v1/chat/export", null, null).body()));
        System.out.printf("Store swap: export of %d bytes restored into a fresh Neutron: %s%n",
                export.body().length(), restored.body());
    }

    @Test
    void exportThenImportIntoAFreshNeutronGivesIdenticalChatsAndImportingAgainAddsNothing() throws Exception {
        // (the swap test round-trips real answers of the chat engine; this one needs no model)
        RunningNeutron first = start(NeutronServer.distribution(), "first", Map.of());
        String chat = json(first, "POST", "/api/v1/chat/sessions", Map.of("title", "A chat")).json().get("id").asText();
        json(first, "PATCH", "/api/v1/chat/sessions/" + chat, Map.of("title", "Renamed — ünïcödé 📝", "model", "smollm2:135m"));
        json(first, "POST", "/api/v1/chat/sessions", Map.of("title", "Empty chat"));
        String imported = newSessionId();
        Instant at = Instant.parse("2025-05-05T05:05:05.123456789Z");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", "msg_answer");
        answer.put("role", "assistant");
        answer.put("content", "Arr, partial");
        answer.put("model", "smollm2-pirate:135m");
        answer.put("createdAt", at.plusSeconds(2).toString());
        answer.put("status", "error");
        answer.put("attachments", List.of("att_0123456789abcdef"));
        answer.put("error", Map.of("code", "provider_timeout", "message", "Ollama went silent."));
        answer.put("stats", Map.of("promptTokens", 46, "completionTokens", 24, "totalDurationMs", 487, "firstTokenMs", 81,
                "contextWindow", 8192, "promptTokenEstimate", 13, "droppedMessages", 0, "finishReason", "stop"));
        assertEquals(200, importNdjson(first, line(sessionLine(imported, "Imported earlier", at, at.plusSeconds(9)))
                + line(messageLine(imported, "old-1", "user", "line one\nline two\ttab \"quoted\" \\ nul\u0000", at))
                + line(messageLine(imported, "old-2", "assistant", "日本語 עברית", at.plusSeconds(1)))
                + line(Map.of("type", "message", "sessionId", imported, "message", answer))
                + line(messageLine(chat, "live-1", "user", "into an existing chat", Instant.now()))).status());

        Response export = send(first, "GET", "/api/v1/chat/export", null, null);
        assertEquals(200, export.status());
        assertTrue(export.body().startsWith("{\"type\":\"neutron-chat-export\",\"version\":1,"), export.body());
        assertTrue(export.body().endsWith("{\"type\":\"end\",\"sessions\":3,\"messages\":4}\n"), export.body());
        assertTrue(export.body().contains("\"finishReason\":\"stop\""), "every field of a message is exported");

        RunningNeutron second = start(NeutronServer.distribution(), "second", Map.of());
        Response restored = importNdjson(second, export.body());
        assertEquals(200, restored.status(), restored.body());
        assertEquals("{\"sessions\":{\"imported\":3,\"skipped\":0},\"messages\":{\"imported\":4,\"skipped\":0}}", restored.body());
        assertEquals(withoutHeader(export.body()), withoutHeader(send(second, "GET", "/api/v1/chat/export", null, null).body()));
        assertEquals(json(first, "GET", "/api/v1/chat/sessions/" + chat, null).json(),
                json(second, "GET", "/api/v1/chat/sessions/" + chat, null).json());

        Response again = importNdjson(second, export.body());
        assertEquals("{\"sessions\":{\"imported\":0,\"skipped\":3},\"messages\":{\"imported\":0,\"skipped\":4}}", again.body());

        Response bad = importNdjson(second, line(sessionLine(newSessionId(), "ok", at, at)) + "{not json\n");
        assertEquals(400, bad.status(), bad.body());
        assertEquals("invalid_json", bad.json().get("error").get("code").asText());
        assertTrue(bad.json().get("error").get("message").asText().startsWith("Line 2: "), bad.body());
        Response wrongType = send(second, "POST", "/api/v1/chat/import", "application/json", "{}");
        assertEquals(415, wrongType.status(), wrongType.body());
        Response traversal = importNdjson(second, line(sessionLine("../../etc/passwd", "x", at, at)));
        assertEquals("invalid_session_id", traversal.json().get("error").get("code").asText(), traversal.body());
    }

    @Test
    void anUnreachableDatabaseLeavesTheJsonlStoreActiveAndItsPasswordUnlogged() throws Exception {
        Path distribution = privateDistribution("neutron");
        RunningNeutron neutron = start(distribution, "data", Map.of());
        String kept = json(neutron, "POST", "/api/v1/chat/sessions", Map.of("title", "kept")).json().get("id").asText();
        String password = "s3cret-" + hex(4);
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = databaseUrl.replaceFirst("//[^/]+/", "//127.0.0.1:" + closedPort + "/");
        dropIn(distribution, "dev.neutron.store.jdbc.cfg", storeConfig(unreachable + "?password=" + password, password));

        long deadline = System.nanoTime() + SWITCH_DEADLINE.toNanos();
        while (!neutron.stderr().contains("PostgreSQL is not reachable at jdbc:postgresql://127.0.0.1:" + closedPort)) {
            assertTrue(System.nanoTime() < deadline, "no clear log line; log:\n" + neutron.stderr());
            TimeUnit.MILLISECONDS.sleep(50);
        }
        assertTrue(neutron.stderr().contains("Start PostgreSQL, or fix url in deploy/dev.neutron.store.jdbc.cfg"),
                neutron.stderr());
        assertEquals("JsonlChatStore", storeName(neutron));
        assertEquals(201, json(neutron, "POST", "/api/v1/chat/sessions", Map.of("title", "still working")).status());

        // fixing the configuration is enough: no restart
        dropIn(distribution, "dev.neutron.store.jdbc.cfg", storeConfig(databaseUrl, dbPassword));
        deadline = System.nanoTime() + SWITCH_DEADLINE.toNanos();
        while (!"JdbcChatStore".equals(storeName(neutron))) {
            assertTrue(System.nanoTime() < deadline, "no switch after the fix; log:\n" + neutron.stderr());
            TimeUnit.MILLISECONDS.sleep(50);
        }
        assertEquals(200, send(neutron, "GET", "/api/v1/chat/sessions/" + kept, null, null).status());
        assertTrue(neutron.terminate(Duration.ofSeconds(60)), "stops on SIGTERM");
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String log = Files.readString(file);
                assertFalse(log.contains(password), "the password reached " + file);
                assertFalse(log.contains(dbPassword), "the password reached " + file);
            }
        }
    }

    // ---- writers ----

    private void creator(RunningNeutron neutron, int creator, AtomicBoolean writing, Acknowledged ack) throws Exception {
        for (int n = 0; writing.get() && n < 5_000; n++) {
            TimeUnit.MILLISECONDS.sleep(WRITER_PAUSE_MS);
            String title = "creator " + creator + " #" + n;
            Response response = json(neutron, "POST", "/api/v1/chat/sessions", Map.of("title", title));
            if (response.status() == 201) {
                ack.created.put(response.json().get("id").asText(), title);
            } else {
                ack.failures.add("POST sessions: " + response.status() + " " + response.body());
            }
        }
    }

    private void renamer(RunningNeutron neutron, List<String> sessions, AtomicBoolean writing, Acknowledged ack)
            throws Exception {
        for (int n = 0; writing.get() && n < 5_000; n++) {
            TimeUnit.MILLISECONDS.sleep(WRITER_PAUSE_MS);
            String id = sessions.get(n % sessions.size());
            String title = "renamed #" + n;
            Response response = json(neutron, "PATCH", "/api/v1/chat/sessions/" + id, Map.of("title", title));
            if (response.status() == 200) {
                ack.renamed.put(id, title);
            } else {
                ack.failures.add("PATCH " + id + ": " + response.status() + " " + response.body());
            }
        }
    }

    /** Each round: a new chat with three messages, and two more messages into an existing chat. */
    private void importer(RunningNeutron neutron, List<String> existing, AtomicBoolean writing, Acknowledged ack)
            throws Exception {
        for (int n = 0; writing.get() && n < 2_000; n++) {
            TimeUnit.MILLISECONDS.sleep(WRITER_PAUSE_MS);
            String id = newSessionId();
            Instant now = Instant.now();
            List<String> ids = List.of("imp-" + n + "-a", "imp-" + n + "-b", "imp-" + n + "-c");
            StringBuilder body = new StringBuilder(line(sessionLine(id, "imported #" + n, now, now)));
            for (String messageId : ids) {
                body.append(line(messageLine(id, messageId, "user", "imported " + messageId, Instant.now())));
            }
            String target = existing.get(n % existing.size());
            List<String> more = List.of("more-" + n + "-a", "more-" + n + "-b");
            for (String messageId : more) {
                body.append(line(messageLine(target, messageId, "user", "appended " + messageId, Instant.now())));
            }
            Response response = importNdjson(neutron, body.toString());
            if (response.status() == 200 && response.json().get("messages").get("imported").asInt() == 5) {
                ack.importedSessions.put(id, ids);
                ack.appended.computeIfAbsent(target, k -> new CopyOnWriteArrayList<>()).addAll(more);
            } else {
                ack.failures.add("POST import: " + response.status() + " " + response.body());
            }
        }
    }

    private void deleter(RunningNeutron neutron, AtomicBoolean writing, Acknowledged ack) throws Exception {
        for (int n = 0; writing.get() && n < 5_000; n++) {
            TimeUnit.MILLISECONDS.sleep(WRITER_PAUSE_MS);
            Response created = json(neutron, "POST", "/api/v1/chat/sessions", Map.of("title", "to delete #" + n));
            if (created.status() != 201) {
                ack.failures.add("POST sessions: " + created.status() + " " + created.body());
                continue;
            }
            String id = created.json().get("id").asText();
            Response deleted = send(neutron, "DELETE", "/api/v1/chat/sessions/" + id, null, null);
            if (deleted.status() == 204) {
                ack.deleted.add(id);
            } else {
                ack.failures.add("DELETE " + id + ": " + deleted.status() + " " + deleted.body());
            }
        }
    }

    /** Real answers from the real Ollama: the question and the answer may land on different sides of the switch. */
    private void chatter(RunningNeutron neutron, AtomicBoolean writing, Acknowledged ack) throws Exception {
        SseClient sse = new SseClient(http, base(neutron));
        for (int n = 0; writing.get() && n < 200; n++) {
            SseClient.Stream stream = sse.post("/api/v1/chat/sessions/" + ack.chatSession + "/messages",
                    Map.of("content", "Say a word that rhymes with " + n + ".", "model", NeutronServer.model()), null);
            if (stream.status() == 200 && "done".equals(stream.last().type())) {
                ack.chat.add(stream.first("meta").data().get("userMessage").get("id").asText());
                ack.chat.add(stream.last().data().get("message").get("id").asText());
            } else {
                ack.failures.add("chat: " + stream.status() + " " + stream.errorBody() + " "
                        + (stream.events().isEmpty() ? "" : stream.last()));
            }
        }
    }

    // ---- verification ----

    private void verifyThroughTheApi(RunningNeutron neutron, List<String> seeds, Acknowledged ack) throws Exception {
        Map<String, String> titles = new LinkedHashMap<>();
        json(neutron, "GET", "/api/v1/chat/sessions", null).json().get("sessions")
                .forEach(s -> titles.put(s.get("id").asText(), s.get("title").asText()));
        ack.created.forEach((id, title) -> assertEquals(title, titles.get(id), "created session " + id));
        ack.renamed.forEach((id, title) -> assertEquals(title, titles.get(id), "renamed session " + id));
        for (String id : ack.deleted) {
            assertFalse(titles.containsKey(id), "deleted session " + id + " is listed");
            assertEquals(404, send(neutron, "GET", "/api/v1/chat/sessions/" + id, null, null).status(), id);
        }
        for (Map.Entry<String, List<String>> entry : ack.importedSessions.entrySet()) {
            assertEquals(entry.getValue(), messageIds(neutron, entry.getKey()), "imported session " + entry.getKey());
        }
        for (int i = 0; i < seeds.size(); i++) {
            if (ack.deleted.contains(seeds.get(i))) {
                continue;
            }
            List<String> expected = new ArrayList<>();
            for (int m = 0; m < SEED_MESSAGES; m++) {
                expected.add("seed-" + i + "-" + m);
            }
            expected.addAll(ack.appended.getOrDefault(seeds.get(i), List.of()));
            assertEquals(expected, messageIds(neutron, seeds.get(i)), "seeded session " + i);
        }
        assertEquals(ack.chat, messageIds(neutron, ack.chatSession), "each question before its answer, none lost");
    }

    private void verifyInPostgresql(List<String> seeds, Acknowledged ack) throws Exception {
        Map<String, String> titles = new LinkedHashMap<>();
        Map<String, List<String>> messages = new LinkedHashMap<>();
        try (Connection connection = connect(databaseUrl); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT id, title FROM neutron_sessions")) {
                while (rows.next()) {
                    titles.put(rows.getString(1), rows.getString(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT session_id, id FROM neutron_messages ORDER BY session_id, seq")) {
                while (rows.next()) {
                    messages.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(rows.getString(2));
                }
            }
        }
        ack.created.forEach((id, title) -> assertEquals(title, titles.get(id), "created session " + id + " in PostgreSQL"));
        ack.renamed.forEach((id, title) -> assertEquals(title, titles.get(id), "renamed session " + id + " in PostgreSQL"));
        ack.deleted.forEach(id -> assertFalse(titles.containsKey(id), "deleted session " + id + " in PostgreSQL"));
        ack.importedSessions.forEach((id, ids) -> assertEquals(ids, messages.get(id), "imported " + id + " in PostgreSQL"));
        for (String seed : seeds) {
            if (ack.deleted.contains(seed)) {
                continue;
            }
            List<String> stored = messages.get(seed);
            assertEquals(SEED_MESSAGES + ack.appended.getOrDefault(seed, List.of()).size(), stored.size(), seed);
            assertTrue(stored.containsAll(ack.appended.getOrDefault(seed, List.of())), seed);
        }
        assertEquals(ack.chat, messages.get(ack.chatSession), "the chat in PostgreSQL");
    }

    /** Polls {@code neutron_store_migrations} until the catch-up has finished; returns that row. */
    private Map<String, Object> awaitMigrationFinished(RunningNeutron neutron) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection connection = connect(databaseUrl); PreparedStatement select = connection.prepareStatement(
                    "SELECT sessions_copied, messages_copied, sessions_deleted, "
                            + "extract(epoch FROM switched_at - started_at) * 1000, "
                            + "extract(epoch FROM finished_at - switched_at) * 1000 "
                            + "FROM neutron_store_migrations WHERE finished_at IS NOT NULL");
                    ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("sessionsCopied", rows.getInt(1));
                    row.put("messagesCopied", rows.getInt(2));
                    row.put("sessionsDeleted", rows.getInt(3));
                    row.put("copyMs", Math.round(rows.getDouble(4)));
                    row.put("catchUpMs", Math.round(rows.getDouble(5)));
                    return row;
                }
            }
            assertTrue(System.nanoTime() < deadline, "the catch-up did not finish; log:\n" + neutron.stderr());
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static String withoutHeader(String export) {
        return export.substring(export.indexOf('\n') + 1);
    }

    private static String base(RunningNeutron neutron) {
        String url = neutron.baseUri.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
