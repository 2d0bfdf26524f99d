package io.fleetpredict.cloud.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket refilled continuously from the clock: {@code ratePerSecond} tokens a second up to
 * {@code capacity}; a call takes one token or is refused. Not thread-safe: the cloud's lock guards it.
 */
final class TokenBucket {

    private final double ratePerSecond;
    private final double capacity;
    private double tokens;
    private Instant last;

    TokenBucket(double ratePerSecond, int capacity, Instant start) {
        this.ratePerSecond = ratePerSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.last = start;
    }

    boolean tryTake(Instant now) {
        if (now.isAfter(last)) {
            // Seconds and nanoseconds apart: in nanoseconds alone a jump of the clock by more than 292 years
            // would overflow, on every call after it.
            Duration elapsed = Duration.between(last, now);
            double elapsedSeconds = elapsed.getSeconds() + elapsed.getNano() / 1e9;
            tokens = Math.min(capacity, tokens + elapsedSeconds * ratePerSecond);
            last = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
