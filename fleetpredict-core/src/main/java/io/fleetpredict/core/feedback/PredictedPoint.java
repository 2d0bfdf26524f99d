package io.fleetpredict.core.feedback;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What was predicted, and provisioned, for one step of one series.
 *
 * @param mean the point prediction, finite
 * @param interval the prediction interval, or {@code null} when none was made
 * @param provisioned the capacity provisioned for the step, in the same unit, finite and not negative
 * @param pricePerUnitHour what one unit of that capacity costs per hour, finite and not negative
 */
public record PredictedPoint(double mean, @Nullable PredictionInterval interval, double provisioned, double pricePerUnitHour) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a value is not finite or is negative where it must not be
     */
    public PredictedPoint {
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("mean: must be finite, was " + mean);
        }
        if (!Double.isFinite(provisioned) || provisioned < 0 || !Double.isFinite(pricePerUnitHour)
                || pricePerUnitHour < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "provisioned, pricePerUnitHour: must be finite and not negative, were %s and %s",
                    provisioned, pricePerUnitHour));
        }
    }

    /**
     * Creates a point without an interval whose provisioned capacity is the prediction itself, at no price.
     *
     * @param mean the point prediction
     * @return the point
     */
    public static PredictedPoint of(double mean) {
        return new PredictedPoint(mean, null, Math.max(0, mean), 0);
    }
}
