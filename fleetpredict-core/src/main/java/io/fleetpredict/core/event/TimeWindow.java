package io.fleetpredict.core.event;

import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
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

    /**
     * The first step of a series inside the window or after it: the first index whose time is at or after
     * {@code start}, 0 when the window starts before the series.
     *
     * @param series the series
     * @return the index, at most the series' size when the window starts after its last step
     */
    public int firstIndexIn(TimeSeries series) {
        return atOrAfter(series, start);
    }

    /**
     * The index after the last step of a series inside the window: the steps {@link #contains} holds are those
     * from {@link #firstIndexIn} up to, not including, this one.
     *
     * @param series the series
     * @return the index, at most the series' size
     */
    public int endIndexIn(TimeSeries series) {
        return Math.min(series.size(), atOrAfter(series, end));
    }

    private static int atOrAfter(TimeSeries s, Instant t) {
        if (!t.isAfter(s.start())) {
            return 0;
        }
        Duration d = Duration.between(s.start(), t);
        long i = d.dividedBy(s.step());
        long first = s.step().multipliedBy(i).equals(d) ? i : i + 1;
        return (int) Math.min(first, (long) s.size());
    }
}
