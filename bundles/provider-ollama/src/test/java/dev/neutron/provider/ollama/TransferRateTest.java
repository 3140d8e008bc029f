package dev.neutron.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TransferRateTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void speedIsBytesOverElapsedTimeAndTimeLeftRoundsUp() {
        TransferRate rate = new TransferRate(5 * SECOND);
        rate.record(0, 0);
        rate.record(2 * SECOND, 2_000_000);
        assertEquals(1_000_000L, rate.bytesPerSecond());
        assertEquals(3L, rate.secondsLeft(4_500_000));
    }

    @Test
    void unknownUntilTwoSamplesApartInTime() {
        TransferRate rate = new TransferRate(5 * SECOND);
        assertNull(rate.bytesPerSecond());
        rate.record(SECOND, 100);
        assertNull(rate.bytesPerSecond());
        assertNull(rate.secondsLeft(1000));
        rate.record(SECOND, 200);
        assertNull(rate.bytesPerSecond());
    }

    @Test
    void onlyTheSlidingWindowCounts() {
        TransferRate rate = new TransferRate(5 * SECOND);
        rate.record(0, 0);
        rate.record(SECOND, 10_000_000);
        rate.record(10 * SECOND, 10_000_000);
        rate.record(12 * SECOND, 10_000_000);
        assertEquals(0L, rate.bytesPerSecond());
        assertNull(rate.secondsLeft(20_000_000), "a stalled transfer has no time left estimate");
    }

    @Test
    void aLayerThatStartsOverResetsTheSpeed() {
        TransferRate rate = new TransferRate(5 * SECOND);
        rate.record(0, 0);
        rate.record(SECOND, 5_000);
        rate.record(2 * SECOND, 1_000);
        assertNull(rate.bytesPerSecond());
        rate.record(3 * SECOND, 3_000);
        assertEquals(2_000L, rate.bytesPerSecond());
    }

    @Test
    void percentHasOneDecimalNeverRoundsUpToDoneAndIsNullWithoutTotal() {
        assertEquals(33.3, TransferRate.percent(1L, 3L));
        assertEquals(99.9, TransferRate.percent(999_999L, 1_000_000L));
        assertEquals(100.0, TransferRate.percent(10L, 10L));
        assertNull(TransferRate.percent(5L, null));
        assertNull(TransferRate.percent(5L, 0L));
        assertNull(TransferRate.percent(null, 10L));
    }
}
