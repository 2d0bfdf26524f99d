package io.fleetpredict.core.monitor;

import io.fleetpredict.core.internal.Checks;
import java.time.Duration;
import java.time.Instant;

/**
 * Time as nanoseconds since the epoch, which is how the monitor numbers its buckets: a long holds about
 * 292 years either side of 1970, so instants and durations are checked against that range first.
 */
final class Nanos {
    static final long PER_SECOND = 1_000_000_000L;

    private Nanos() {
    }

    static long saturatedSum(long a, long nonNegative) {
        return a > Long.MAX_VALUE - nonNegative ? Long.MAX_VALUE : a + nonNegative;
    }

    static boolean inRange(Instant t) {
        // One second of margin on each side keeps toNanos from overflowing, whatever the nanos part.
        return t.getEpochSecond() > Long.MIN_VALUE / PER_SECOND + 1
                && t.getEpochSecond() < Long.MAX_VALUE / PER_SECOND - 1;
    }

    static long toNanos(Instant t) {
        return t.getEpochSecond() * PER_SECOND + t.getNano();
    }

    static Instant bucketStart(long bucket, long stepNanos) {
        long nanos = bucket * stepNanos;
        return Instant.ofEpochSecond(Math.floorDiv(nanos, PER_SECOND), Math.floorMod(nanos, PER_SECOND));
    }

    /** How many whole steps cover {@code d}, rounded up. */
    static long ceilDiv(Duration d, long stepNanos) {
        // Durations beyond ~292 years cannot be nanoseconds; they exceed MAX_BUCKETS anyway.
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
        return -Math.floorDiv(-nanos, stepNanos);
    }

    /** A positive duration that is a whole number of nanoseconds, so steps and windows can be counted in them. */
    static Duration positive(String name, Duration d) {
        Checks.positive(name, d);
        try {
            d.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + ": must be at most about 292 years, was " + d, e);
        }
        return d;
    }
}
