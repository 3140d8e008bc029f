package dev.neutron.provider.openai;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.neutron.api.TokenListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Keeps every delta of an answer, and of its thinking apart; a test can wait for the first few answer deltas. */
final class RecordingListener implements TokenListener {
    private final List<String> deltas = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> unclaimed = new LinkedBlockingQueue<>();
    private final List<String> thinking = new CopyOnWriteArrayList<>();

    @Override
    public void onToken(String delta) {
        deltas.add(delta);
        unclaimed.add(delta);
    }

    @Override
    public void onThinking(String delta) {
        thinking.add(delta);
    }

    List<String> thinkingDeltas() {
        return List.copyOf(thinking);
    }

    List<String> deltas() {
        return List.copyOf(deltas);
    }

    String text() {
        return String.join("", deltas);
    }

    /** Returns once {@code count} more deltas than were waited for before have arrived. */
    void awaitDeltas(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < count; i++) {
            assertNotNull(unclaimed.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS),
                    "expected " + count + " deltas within " + timeout + ", got " + deltas);
        }
    }
}
