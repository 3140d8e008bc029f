package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.fail;

import dev.neutron.api.TokenListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Records the deltas of an answer, and of its thinking apart, and lets a test wait for the first few answer deltas. */
final class TokenRecorder implements TokenListener {
    private final List<String> deltas = new ArrayList<>();
    private final List<String> thinking = new ArrayList<>();

    @Override
    public synchronized void onToken(String delta) {
        deltas.add(delta);
        notifyAll();
    }

    @Override
    public synchronized void onThinking(String delta) {
        thinking.add(delta);
    }

    synchronized List<String> thinkingDeltas() {
        return List.copyOf(thinking);
    }

    synchronized String thinkingText() {
        return String.join("", thinking);
    }

    synchronized List<String> deltas() {
        return List.copyOf(deltas);
    }

    synchronized String text() {
        return String.join("", deltas);
    }

    synchronized void awaitTokens(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (deltas.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("expected " + count + " tokens within " + timeout + ", got " + deltas);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
