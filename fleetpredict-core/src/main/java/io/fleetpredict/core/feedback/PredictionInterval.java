package io.fleetpredict.core.feedback;

import java.util.Locale;

/**
 * A prediction interval at a nominal coverage level.
 *
 * <p>For a resource, {@code [0, p90]} is a valid 90% interval: demand is never negative.
 *
 * @param lower the lower bound, finite
 * @param upper the upper bound, finite and not below {@code lower}
 * @param level the nominal coverage in percent, in (0, 100)
 */
public record PredictionInterval(double lower, double upper, double level) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a bound is not finite, the bounds are out of order or the level
     *     is outside (0, 100)
     */
    public PredictionInterval {
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || upper < lower) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "lower, upper: must be finite with lower <= upper, were %s and %s", lower, upper));
        }
        if (!(level > 0 && level < 100)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "level: must be in (0, 100), was %s", level));
        }
    }

    boolean covers(double value) {
        return value >= lower && value <= upper;
    }
}
