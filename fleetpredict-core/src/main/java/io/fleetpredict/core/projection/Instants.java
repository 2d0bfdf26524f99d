package io.fleetpredict.core.projection;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * Instant arithmetic that stops at the ends of time: the clock and the predictions may lie anywhere in the
 * range of {@link Instant}, and a window or a step added to a time near its end is still a time, the end.
 */
final class Instants {

    private Instants() {
    }

    /** {@code t + d}, or {@link Instant#MAX} ({@link Instant#MIN} for a negative {@code d}) past the range. */
    static Instant plusClamped(Instant t, Duration d) {
        try {
            return t.plus(d);
        } catch (DateTimeException | ArithmeticException e) {
            // Beyond Instant's range (DateTimeException) or beyond a long of seconds (ArithmeticException).
            return d.isNegative() ? Instant.MIN : Instant.MAX;
        }
    }

    /** {@code t - d}, or {@link Instant#MIN} ({@link Instant#MAX} for a negative {@code d}) past the range. */
    static Instant minusClamped(Instant t, Duration d) {
        try {
            return t.minus(d);
        } catch (DateTimeException | ArithmeticException e) {
            return d.isNegative() ? Instant.MAX : Instant.MIN;
        }
    }
}
