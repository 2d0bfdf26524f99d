package io.fleetpredict.core.feedback;

import java.util.Objects;

/**
 * The accuracy of one series' predictions so far, as tracked by {@link AccuracyTracker}.
 *
 * <p>Errors are in the series' own unit. {@code NaN} marks a figure that cannot be computed yet: MAPE
 * without a non-zero actual, MASE without a scale, coverage without intervals, the recent MAE without a
 * window.
 *
 * @param key the series
 * @param count observations recorded, not negative
 * @param mae mean absolute error
 * @param mape mean absolute percentage error in percent, over the observations whose actual is not zero
 * @param mase mean absolute scaled error: {@code mae / scale}
 * @param scale the MASE scale used: the one registered, or the in-sample mean absolute seasonal difference
 *     of the actuals seen so far
 * @param bias mean of {@code predicted - actual}: positive when predictions run high
 * @param intervalLevel the nominal level of the intervals scored, in percent (of the last one recorded)
 * @param coverage fraction of observations inside their interval
 * @param recentMae mean absolute error over the last {@code window} observations
 * @param underProvisionedSteps observations whose actual exceeded the provisioned capacity
 * @param underProvisionedMinutes the duration of those observations, in minutes
 * @param shortfallUnitHours the shortfall integrated over time: sum of {@code (actual - provisioned) * hours}
 * @param maxShortfall the largest single shortfall, in the series' unit
 * @param overProvisioningCost what the capacity above the actual cost: sum of
 *     {@code (provisioned - actual) * pricePerUnitHour * hours}
 * @param driftAlarms how often the drift detector flagged this series
 */
public record KeyAccuracy(
        AccuracyKey key, long count, double mae, double mape, double mase, double scale, double bias,
        double intervalLevel, double coverage, double recentMae, long underProvisionedSteps,
        double underProvisionedMinutes, double shortfallUnitHours, double maxShortfall, double overProvisioningCost,
        long driftAlarms) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a count is negative
     */
    public KeyAccuracy {
        Objects.requireNonNull(key, "key");
        if (count < 0 || underProvisionedSteps < 0 || driftAlarms < 0) {
            throw new IllegalArgumentException("count, underProvisionedSteps, driftAlarms: must not be negative, were "
                    + count + ", " + underProvisionedSteps + ", " + driftAlarms);
        }
    }
}
