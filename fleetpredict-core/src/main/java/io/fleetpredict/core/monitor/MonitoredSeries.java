package io.fleetpredict.core.monitor;

import io.fleetpredict.forecast.TimeSeries;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The regular series of one metric over its retained window, up to the last closed bucket, with the
 * buckets that received no observation marked.
 *
 * <p>Value {@code i} of {@link #series()} belongs to the bucket {@code [timeAt(i), timeAt(i + 1))};
 * it merges the bucket's observations by the {@link MetricKind}'s rule, or, for a bucket inside one of
 * {@link #gaps()}, was filled by {@link #gapFill()}.
 *
 * @param metric the metric
 * @param kind how observations were merged into bucket values
 * @param gapFill how empty buckets were filled
 * @param series the values; empty when no bucket of the retained window has closed with data yet
 * @param gaps the maximal runs of filled indices, in increasing order, non-adjacent
 */
public record MonitoredSeries(MetricKey metric, MetricKind kind, GapFill gapFill, TimeSeries series, List<Gap> gaps) {

    /**
     * Checks that the gaps are ordered, separated and inside the series.
     *
     * @throws IllegalArgumentException if they are not
     */
    public MonitoredSeries {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(gapFill, "gapFill");
        Objects.requireNonNull(series, "series");
        gaps = List.copyOf(gaps);
        int previousEnd = -1;
        for (Gap gap : gaps) {
            if (gap.fromIndex() <= previousEnd || gap.toIndex() > series.size()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "gaps must be increasing, non-adjacent runs inside [0, %d), found %s", series.size(), gap));
            }
            previousEnd = gap.toIndex();
        }
    }

    /**
     * Whether the value at an index was filled rather than observed.
     *
     * @param index from 0 to {@code series().size() - 1}
     * @return true if the bucket received no observation
     */
    public boolean isFilled(int index) {
        Objects.checkIndex(index, series.size());
        for (Gap gap : gaps) {
            if (index < gap.fromIndex()) {
                return false;
            }
            if (index < gap.toIndex()) {
                return true;
            }
        }
        return false;
    }

    /** @return how many values were filled */
    public int filledCount() {
        return gaps.stream().mapToInt(Gap::length).sum();
    }

    /**
     * The start of the bucket at an index.
     *
     * @param index any non-negative index
     * @return the bucket's start time
     */
    public Instant timeAt(int index) {
        return series.timeAt(index);
    }

    /**
     * A run of consecutive filled indices.
     *
     * @param fromIndex the first filled index
     * @param toIndex the index after the last filled one
     */
    public record Gap(int fromIndex, int toIndex) {

        /**
         * Validates the range.
         *
         * @throws IllegalArgumentException unless {@code 0 <= fromIndex < toIndex}
         */
        public Gap {
            if (fromIndex < 0 || toIndex <= fromIndex) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "need 0 <= fromIndex < toIndex, was [%d, %d)", fromIndex, toIndex));
            }
        }

        /** @return the number of filled indices */
        public int length() {
            return toIndex - fromIndex;
        }
    }
}
