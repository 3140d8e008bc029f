package dev.neutron.distribution;

import java.util.Arrays;

/** Measured values (e.g. milliseconds) with nearest-rank percentiles. */
final class Samples {
    private double[] values = new double[64];
    private int size;

    synchronized void add(double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    synchronized int size() {
        return size;
    }

    /** The {@code p}th percentile (0 < p <= 100), nearest rank. */
    synchronized double percentile(double p) {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        double[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
    }

    double p50() {
        return percentile(50);
    }

    double p95() {
        return percentile(95);
    }

    double p99() {
        return percentile(99);
    }
}
