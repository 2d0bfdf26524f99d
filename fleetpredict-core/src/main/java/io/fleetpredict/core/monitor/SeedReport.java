package io.fleetpredict.core.monitor;

import java.util.Locale;
import java.util.Objects;

/**
 * What {@link ActivityMonitor#seed(MetricKey, io.fleetpredict.forecast.TimeSeries)} put into a metric's
 * buckets. Every point of the history is counted once: {@code filled + empty + dropped} is its length.
 *
 * @param metric the metric seeded
 * @param filled buckets that now hold the history's value
 * @param empty buckets left empty because the history marks them as gaps; they read as gaps, as live ones do
 * @param dropped leading points older than the monitor's retention, which it could not keep
 */
public record SeedReport(MetricKey metric, int filled, int empty, int dropped) {

    /**
     * Validates the counts.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public SeedReport {
        Objects.requireNonNull(metric, "metric");
        if (filled < 0 || empty < 0 || dropped < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "counts must not be negative, were filled %d, empty %d, dropped %d", filled, empty, dropped));
        }
    }
}
