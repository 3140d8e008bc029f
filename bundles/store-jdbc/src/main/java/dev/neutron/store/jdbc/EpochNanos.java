package dev.neutron.store.jdbc;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.time.Instant;

/**
 * Times as the store keeps them: nanoseconds since the epoch in a {@code bigint}, because {@code timestamptz} would
 * cut Java's nanoseconds to microseconds. A {@code long} holds the years 1678 to 2261.
 */
final class EpochNanos {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private EpochNanos() {
    }

    /** @throws NeutronException {@code invalid_request} for a time outside what a {@code long} of nanoseconds holds */
    static long of(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException e) {
            throw new NeutronException(ErrorCode.INVALID_REQUEST, "The time " + instant
                    + " is outside what the PostgreSQL store keeps (the years 1678 to 2261).");
        }
    }

    static Instant toInstant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }
}
