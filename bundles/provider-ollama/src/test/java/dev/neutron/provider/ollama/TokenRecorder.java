package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.fail;

import dev.neutron.api.TokenListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Records the deltas of an answer and lets a test wait for the first few of them. */
final class TokenRecorder implements TokenListener {
    private final List<String> deltas = new ArrayList<>();

    @Override
    public synchronized void onToken(String delta) {
        deltas.add(delta);
        notifyAll();
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
