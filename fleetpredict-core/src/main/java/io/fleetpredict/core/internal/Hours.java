package io.fleetpredict.core.internal;

import java.time.Duration;

/**
 * Durations as fractional hours, for prices per hour. Internal: no compatibility promise.
 */
public final class Hours {
    private static final double SECONDS_PER_HOUR = 3600.0;
    private static final double NANOS_PER_HOUR = 3.6e12;

    private Hours() {}

    /**
     * Returns a duration in hours, whatever its length.
     *
     * <p>Counted from its seconds and its nanoseconds apart. Not {@code d.toNanos()}: a long holds about 292
     * years of nanoseconds, and a span between two instants can be far longer.
     *
     * @param d the duration, negative or not
     * @return its length in hours, negative when it is
     */
    public static double of(Duration d) {
        return d.getSeconds() / SECONDS_PER_HOUR + d.getNano() / NANOS_PER_HOUR;
    }
}
