package io.fleetpredict.forecast;

import java.time.Instant;
import java.util.Objects;

/**
 * A value that stands apart from the rest of its series, as {@link Outliers#find} finds it, and what would
 * replace it.
 *
 * @param index the value's position in the series, from 0
 * @param time when it was observed
 * @param value the value observed
 * @param replacement the value interpolated in its place from its neighbours and, on a seasonal series, its
 *     season
 */
public record Outlier(int index, Instant time, double value, double replacement) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the index is negative or a value is not finite
     */
    public Outlier {
        Objects.requireNonNull(time, "time");
        if (index < 0) {
            throw new IllegalArgumentException("index must be at least 0, was " + index);
        }
        if (!Double.isFinite(value) || !Double.isFinite(replacement)) {
            throw new IllegalArgumentException("value and replacement must be finite, were " + value + " and "
                    + replacement);
        }
    }
}
