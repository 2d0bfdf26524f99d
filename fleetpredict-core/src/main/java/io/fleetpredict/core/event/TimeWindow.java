package io.fleetpredict.core.event;

import java.time.Instant;

/**
 * A half-open interval of time {@code [start, end)}.
 *
 * @param start the first instant inside
 * @param end the first instant after, strictly after {@code start}
 */
public record TimeWindow(Instant start, Instant end) {

    /** Checks that the window ends after it starts. */
    public TimeWindow {
        if (start == null || end == null) {
            throw new NullPointerException("start and end are required");
        }
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("window ends at " + end + ", not after its start " + start);
        }
    }

    /**
     * Whether an instant lies inside.
     *
     * @param t the instant
     * @return {@code start <= t < end}
     */
    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    /**
     * Whether two windows share any instant.
     *
     * @param other the other window
     * @return whether they overlap
     */
    public boolean overlaps(TimeWindow other) {
        return start.isBefore(other.end) && other.start.isBefore(end);
    }
}
