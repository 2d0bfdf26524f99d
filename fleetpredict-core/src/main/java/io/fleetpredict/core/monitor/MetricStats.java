package io.fleetpredict.core.monitor;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Cumulative counts for one metric since the monitor was built, and the memory it holds.
 *
 * @param metric the metric
 * @param kind how its observations merge
 * @param accepted observations put into their bucket, including out-of-order ones
 * @param outOfOrder of the accepted, those older than the latest time already seen for the metric
 * @param late observations rejected because their bucket had closed
 * @param invalid observations rejected for bad input, per reason; absent reasons had none
 * @param retainedBuckets buckets currently holding data (closed within retention, or still open)
 * @param bucketCapacity the most buckets the metric can ever hold: retention plus lateness window
 *     in steps, plus the bucket being filled
 */
public record MetricStats(MetricKey metric, MetricKind kind, long accepted, long outOfOrder, long late,
        Map<RejectReason, Long> invalid, int retainedBuckets, int bucketCapacity) {

    /**
     * Validates the counts.
     *
     * @throws IllegalArgumentException if a count is negative or the retained buckets exceed the capacity
     */
    public MetricStats {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(kind, "kind");
        invalid = Map.copyOf(invalid);
        if (accepted < 0 || late < 0 || outOfOrder < 0 || outOfOrder > accepted) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "need non-negative counts and outOfOrder <= accepted, was accepted=%d, outOfOrder=%d, late=%d",
                    accepted, outOfOrder, late));
        }
        if (retainedBuckets < 0 || retainedBuckets > bucketCapacity) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "need 0 <= retainedBuckets <= bucketCapacity, was %d and %d", retainedBuckets, bucketCapacity));
        }
    }

    /** @return the number of invalid observations over all reasons */
    public long invalidTotal() {
        return invalid.values().stream().mapToLong(Long::longValue).sum();
    }
}
