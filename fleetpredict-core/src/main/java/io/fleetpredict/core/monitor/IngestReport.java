package io.fleetpredict.core.monitor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link ActivityMonitor#recordAll} did with a batch.
 *
 * <p>Every observation of the batch is counted exactly once: as accepted, as late, or as invalid,
 * so {@code accepted() + lateTotal() + invalidTotal()} is the batch size.
 *
 * @param accepted observations put into their bucket, including out-of-order ones
 * @param outOfOrder of the accepted, those older than the latest time already seen for their metric
 *     when the batch arrived; they were merged into their (still open) bucket by the metric's rule
 * @param late observations whose bucket had already closed, per metric; absent metrics had none
 * @param invalid observations rejected for bad input, per reason ({@link RejectReason#LATE} never
 *     appears here); absent reasons had none
 * @param examples the first rejections of the batch (late or invalid), at most {@link #MAX_EXAMPLES},
 *     in batch order within each metric
 */
public record IngestReport(long accepted, long outOfOrder, Map<MetricKey, Long> late,
        Map<RejectReason, Long> invalid, List<Rejection> examples) {

    /** The most rejections a report keeps as examples. */
    public static final int MAX_EXAMPLES = 16;

    /**
     * Validates the counts and copies the collections.
     *
     * @throws IllegalArgumentException if a count is negative, {@code outOfOrder} exceeds
     *     {@code accepted}, {@code invalid} has a {@link RejectReason#LATE} entry or there are too many examples
     */
    public IngestReport {
        if (accepted < 0 || outOfOrder < 0 || outOfOrder > accepted) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "need 0 <= outOfOrder <= accepted, was outOfOrder=%d, accepted=%d", outOfOrder, accepted));
        }
        late = Map.copyOf(late);
        invalid = Map.copyOf(invalid);
        examples = List.copyOf(examples);
        late.forEach((k, v) -> checkCount("late[" + k + "]", v));
        invalid.forEach((k, v) -> checkCount("invalid[" + k + "]", v));
        if (invalid.containsKey(RejectReason.LATE)) {
            throw new IllegalArgumentException("invalid must not count LATE; late observations are counted in late");
        }
        if (examples.size() > MAX_EXAMPLES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "examples holds at most %d rejections, was %d", MAX_EXAMPLES, examples.size()));
        }
    }

    private static void checkCount(String what, Long count) {
        if (count < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must not be negative, was %d", what, count));
        }
    }

    /** @return the number of late observations over all metrics */
    public long lateTotal() {
        return late.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return the number of invalid observations over all reasons */
    public long invalidTotal() {
        return invalid.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return the number of observations in the batch */
    public long submitted() {
        return accepted + lateTotal() + invalidTotal();
    }

    /** Accumulates a report; not thread-safe. */
    static final class Tally {
        long accepted;
        long outOfOrder;
        final Map<MetricKey, Long> late = new LinkedHashMap<>();
        final Map<RejectReason, Long> invalid = new EnumMap<>(RejectReason.class);
        final List<Rejection> examples = new ArrayList<>();

        void reject(Rejection rejection) {
            if (rejection.reason() == RejectReason.LATE) {
                late.merge(rejection.observation().metric(), 1L, Long::sum);
            } else {
                invalid.merge(rejection.reason(), 1L, Long::sum);
            }
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(rejection);
            }
        }

        IngestReport toReport() {
            return new IngestReport(accepted, outOfOrder, late, invalid, examples);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "IngestReport[accepted=%d, outOfOrder=%d, late=%s, invalid=%s]",
                accepted, outOfOrder, late, invalid);
    }
}
