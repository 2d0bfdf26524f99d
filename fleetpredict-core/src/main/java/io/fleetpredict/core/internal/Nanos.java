package io.fleetpredict.core.internal;

import java.time.Duration;

/**
 * Durations as nanoseconds for waits and deadlines, whatever their length. Internal: no compatibility promise.
 *
 * <p>{@code Duration.toNanos()} throws for durations of about 292 years and more, which a caller may give as
 * "no limit".
 */
public final class Nanos {

    private Nanos() {}

    /**
     * Returns a duration in nanoseconds, at most {@code most}: a longer wait than that is no limit.
     *
     * @param d the duration, not negative
     * @param most the most nanoseconds returned, positive
     * @return {@code d} in nanoseconds, or {@code most} when it is longer
     */
    public static long atMost(Duration d, long most) {
        return d.compareTo(Duration.ofNanos(most)) > 0 ? most : d.toNanos();
    }
}
