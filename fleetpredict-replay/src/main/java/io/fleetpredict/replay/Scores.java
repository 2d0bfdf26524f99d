package io.fleetpredict.replay;

import java.util.Locale;

/**
 * How one policy did over the scored part of a replay.
 *
 * <p>A step is in violation while its demand is above the ready capacity, 100% of {@code ready *
 * perInstance}; within a step demand is taken as uniform and capacity changes when an instance becomes
 * ready, so a step can be partly in violation.
 *
 * @param cost the price of every instance from launch (boot included) to release, in the catalogue's currency
 * @param violationMinutes the minutes in which demand exceeded ready capacity
 * @param violationShare {@code violationMinutes} over the scored minutes, in [0, 1]
 * @param unservedShare the demand above ready capacity over all demand, in [0, 1]
 * @param meanUtilisation the time-mean of served demand over ready capacity, over the time with some capacity, in [0, 1]
 * @param scalingActions the number of launch or release decisions
 * @param instanceHours the instance-hours paid for
 */
public record Scores(double cost, double violationMinutes, double violationShare, double unservedShare,
        double meanUtilisation, int scalingActions, double instanceHours) {

    /**
     * Validates the scores.
     *
     * @throws IllegalArgumentException if a value is negative, not finite, or a share is above 1
     */
    public Scores {
        nonNegative(cost, "cost");
        nonNegative(violationMinutes, "violationMinutes");
        share(violationShare, "violationShare");
        share(unservedShare, "unservedShare");
        share(meanUtilisation, "meanUtilisation");
        if (scalingActions < 0) {
            throw new IllegalArgumentException("scalingActions must not be negative, was " + scalingActions);
        }
        nonNegative(instanceHours, "instanceHours");
    }

    private static void nonNegative(double v, String name) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be finite and >= 0, was %s", name, v));
        }
    }

    private static void share(double v, String name) {
        if (!(v >= 0 && v <= 1 + 1e-12)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be in [0, 1], was %s", name, v));
        }
    }
}
