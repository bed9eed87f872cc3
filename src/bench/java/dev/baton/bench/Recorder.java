package dev.baton.bench;

import java.util.Arrays;

/** Latency samples in microseconds; exact percentiles by sorting (runs are bounded, so samples fit in memory). */
final class Recorder {

    private long[] samples = new long[1 << 14];
    private int size;

    synchronized void add(long micros) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = Math.max(0, micros);
    }

    synchronized int count() {
        return size;
    }

    /** Percentile in milliseconds, NaN when empty. */
    synchronized double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int index = (int) Math.min(size - 1, Math.max(0, Math.ceil(p / 100.0 * size) - 1));
        return sorted[index] / 1000.0;
    }

    synchronized void clear() {
        size = 0;
    }
}
