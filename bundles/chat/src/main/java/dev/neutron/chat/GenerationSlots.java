package dev.neutron.chat;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The limit on answers generated at once, with a fair line: requests beyond the limit wait first come, first served.
 * One counter for the engine's whole life, so a new limit never lets more run than it allows: answers already running
 * above a lowered limit finish, and nobody new starts until the count is below it.
 */
final class GenerationSlots {

    /** A request waiting for a slot. */
    interface Waiter {
        /** Its place in line (1 = next). Called with the line locked: must not block. */
        void moved(int position);

        /** It holds a slot now and must {@link #release()} it when done. Called without the lock held. */
        void granted();
    }

    private final Deque<Waiter> line = new ArrayDeque<>();
    private int limit;
    private int maxWaiting;
    private int running;

    GenerationSlots(int limit, int maxWaiting) {
        resize(limit, maxWaiting);
    }

    /** Applies a new limit and line length; a raised limit lets waiters in at once. */
    void resize(int newLimit, int newMaxWaiting) {
        List<Waiter> admitted;
        synchronized (this) {
            limit = Math.max(1, newLimit);
            maxWaiting = Math.max(0, newMaxWaiting);
            admitted = admit();
        }
        admitted.forEach(Waiter::granted);
    }

    /**
     * Takes a slot at once if one is free and nobody waits; else puts {@code waiter} at the end of the line and
     * reports its place.
     *
     * @return true when the slot was taken at once ({@link Waiter#granted()} is then not called)
     * @throws NeutronException {@code too_many_generations} when the line is full; nothing changed
     */
    synchronized boolean acquireOrWait(Waiter waiter) {
        if (running < limit && line.isEmpty()) {
            running++;
            return true;
        }
        if (line.size() >= maxWaiting) {
            throw new NeutronException(ErrorCode.TOO_MANY_GENERATIONS, "Neutron is generating " + running
                    + " answers (its limit is " + limit + ") and " + line.size() + " more are waiting, the most it lets"
                    + " wait. Try again in a minute.");
        }
        line.addLast(waiter);
        waiter.moved(line.size());
        return false;
    }

    /** Takes {@code waiter} out of the line; false when it is not waiting (it got a slot, or left already). */
    synchronized boolean withdraw(Waiter waiter) {
        boolean removed = line.remove(waiter);
        if (removed) {
            reportPlaces();
        }
        return removed;
    }

    /** Gives back a slot taken at once or granted; the next waiter gets it. */
    void release() {
        List<Waiter> admitted;
        synchronized (this) {
            running--;
            admitted = admit();
        }
        admitted.forEach(Waiter::granted);
    }

    synchronized boolean isWaiting(Waiter waiter) {
        return line.contains(waiter);
    }

    synchronized int running() {
        return running;
    }

    synchronized int waiting() {
        return line.size();
    }

    synchronized int limit() {
        return limit;
    }

    private List<Waiter> admit() {
        List<Waiter> admitted = new ArrayList<>();
        while (running < limit && !line.isEmpty()) {
            running++;
            admitted.add(line.pollFirst());
        }
        if (!admitted.isEmpty()) {
            reportPlaces();
        }
        return admitted;
    }

    private void reportPlaces() {
        int position = 0;
        for (Waiter waiter : List.copyOf(line)) {
            waiter.moved(++position);
        }
    }
}
