package io.fleetpredict.prometheus;

import java.time.Instant;
import java.util.Objects;

/**
 * One point returned by Prometheus.
 *
 * @param time the evaluation time of the point
 * @param value its value; finite (Prometheus's {@code NaN} and stale points are gaps and never become samples)
 */
public record Sample(Instant time, double value) {

    /**
     * Validates the point.
     *
     * @throws IllegalArgumentException if the value is not finite
     */
    public Sample {
        Objects.requireNonNull(time, "time");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite, was " + value);
        }
    }
}
