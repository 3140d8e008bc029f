package dev.neutron.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent writers against the distribution, killed with SIGKILL at a random moment, restarted on the same data
 * directory, round after round: it must start each time, every acknowledged write must read back whole, and nothing
 * unacknowledged may show except whole results of the one write each writer had in flight. Answers come from
 * {@link ScriptedFastOllama}, so a round is many writes. Rounds: {@code -Dneutron.crash.rounds} (4 here, 25 in
 * {@code scripts/reliability}); writers: {@code -Dneutron.crash.writers}; the seed is printed and can be replayed
 * with {@code -Dneutron.crash.seed}.
 */
class CrashSafetyIT {
    private static final int ROUNDS = Integer.getInteger("neutron.crash.rounds", 4);
    private static final int WRITERS = Integer.getInteger("neutron.crash.writers", 4);
    private static final long SEED = Long.getLong("neutron.crash.seed", System.currentTimeMillis());
    /**
     * The kill lands once the writers have had this many writes acknowledged (at random, up to this bound), plus a
     * random few milliseconds, so that it falls in the middle of writes rather than between rounds of them.
     */
    private static final int MAX_WRITES_BEFORE_KILL = 60;
    private static final int MAX_KILL_JITTER_MS = 150;

    @TempDir
    Path temp;
    private NeutronServer neutron;

    @AfterEach
    void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkillAtRandomMoments() throws Exception {
        System.out.printf("Crash safety: %d rounds, %d writers, seed %d (replay with -Dneutron.crash.seed=%d)%n",
                ROUNDS, WRITERS, SEED, SEED);
        Random random = new Random(SEED);
        Path data = temp.resolve("data");
        List<ChatLedger> ledgers = new ArrayList<>();
        for (int w = 1; w <= WRITERS; w++) {
            ledgers.add(new ChatLedger("w" + w));
        }
        AtomicInteger serial = new AtomicInteger();
        int checked = 0;
        int items = 0;
        int inFlight = 0;
        try (ScriptedFastOllama ollama = new ScriptedFastOllama()) {
            for (int round = 1; round <= ROUNDS; round++) {
                neutron = new NeutronServer(data, Map.of("OLLAMA_HOST", ollama.baseUrl())).start();
                items += checkAndAdopt(ledgers, round);
                List<String> failures = Collections.synchronizedList(new ArrayList<>());
                List<Thread> writers = new ArrayList<>();
                for (ChatLedger ledger : ledgers) {
                    Thread writer = new Thread(new CrashWriter(ledger, neutron, new Random(random.nextLong()), failures, serial),
                            "crash-writer-" + ledger.writer);
                    writers.add(writer);
                }
                int killAfterWrites = 1 + random.nextInt(MAX_WRITES_BEFORE_KILL);
                int jitter = random.nextInt(MAX_KILL_JITTER_MS);
                writers.forEach(Thread::start);
                awaitWrites(ledgers, writers, killAfterWrites);
                TimeUnit.MILLISECONDS.sleep(jitter);
                neutron.kill();
                for (Thread writer : writers) {
                    writer.join(TimeUnit.MINUTES.toMillis(2));
                    assertTrue(!writer.isAlive(), writer.getName() + " still runs after the kill");
                }
                assertEquals(List.of(), failures, "round " + round + " (seed " + SEED + "): writes failed while the server ran");
                checked += ledgers.stream().mapToInt(l -> l.acknowledged).sum();
                long pending = ledgers.stream().filter(l -> l.pending != null).count();
                inFlight += (int) pending;
                System.out.printf("Crash safety: round %d killed %d ms after write %d: %d writes acknowledged, %d in "
                        + "flight%n", round, jitter, killAfterWrites, ledgers.stream().mapToInt(l -> l.acknowledged).sum(), pending);
            }
            neutron = new NeutronServer(data, Map.of("OLLAMA_HOST", ollama.baseUrl())).start();
            items += checkAndAdopt(ledgers, ROUNDS + 1);
        }
        System.out.printf("Crash safety: %d SIGKILLs, %d acknowledged writes, %d items (sessions, messages, uploads) "
                + "compared over the restarts, %d writes in flight at the kills, each whole or absent; seed %d%n", ROUNDS,
                checked, items, inFlight, SEED);
        assertTrue(checked > 0, "the writers wrote nothing: the rounds checked nothing");
    }

    /** Waits until the writers have {@code writes} acknowledged writes between them (or all stopped on a failure). */
    private static void awaitWrites(List<ChatLedger> ledgers, List<Thread> writers, int writes) throws InterruptedException {
        while (ledgers.stream().mapToInt(l -> l.acknowledged).sum() < writes && writers.stream().anyMatch(Thread::isAlive)) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** Checks every writer's chats against what the restarted server shows; returns the items compared. */
    private int checkAndAdopt(List<ChatLedger> ledgers, int round) throws Exception {
        Map<String, String> listed = new LinkedHashMap<>();
        neutron.json("GET", "/api/v1/chat/sessions", null, 200).get("sessions")
                .forEach(s -> listed.put(s.get("id").asText(), s.get("title").asText()));
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (ChatLedger ledger : ledgers) {
            checked += ledger.check(neutron, listed, failures);
        }
        assertEquals(List.of(), failures, "after restart " + round + " (seed " + SEED + ")");
        for (ChatLedger ledger : ledgers) {
            ledger.adopt(neutron, listed);
        }
        return checked;
    }
}
