package dev.neutron.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EpochNanosTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1970-01-01T00:00:00Z           | 0",
        "2026-01-02T03:04:05.123456789Z | 1767323045123456789",
        "1969-12-31T23:59:59.999999999Z | -1",
        "1677-09-21T00:12:44Z           | -9223372036000000000",
        "2262-04-11T23:47:16.854775807Z | 9223372036854775807",
    })
    void keepsEveryNanosecondBothWays(String instant, long nanos) {
        assertEquals(nanos, EpochNanos.of(Instant.parse(instant)));
        assertEquals(Instant.parse(instant), EpochNanos.toInstant(nanos));
    }

    @ParameterizedTest
    @CsvSource({"2262-04-11T23:47:16.854775808Z", "1677-09-21T00:12:43.145224191Z", "+10000-01-01T00:00:00Z"})
    void aTimeOutsideTheRangeIsAnInvalidRequest(String instant) {
        NeutronException e = assertThrows(NeutronException.class, () -> EpochNanos.of(Instant.parse(instant)));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        assertEquals("The time " + Instant.parse(instant) + " is outside what the PostgreSQL store keeps (the years 1678 "
                + "to 2261).", e.getMessage());
    }
}
