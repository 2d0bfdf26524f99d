package io.fleetpredict.core.provision;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Limits no forecast, document or plan can exceed: a forecast of a million instances launches at most
 * these and the report says which limit held it back. Only a {@link CapOverride}, which is logged,
 * raises them.
 *
 * @param maxInstancesPerCall the most instances one provision call may request, positive
 * @param maxInstancesPerWindow the most instances launched within any {@code window}, positive
 * @param window the sliding window of {@code maxInstancesPerWindow}, positive
 * @param maxFleetInstances the most instances the fleet may hold, launched and in flight together, positive
 * @param maxFleetCostPerHour the most the fleet may cost per hour at current prices, positive
 */
public record HardCaps(int maxInstancesPerCall, int maxInstancesPerWindow, Duration window, int maxFleetInstances,
        double maxFleetCostPerHour) {

    /** The limit that held a launch back. */
    public enum Limit {
        /** {@link HardCaps#maxInstancesPerCall()}. */
        PER_CALL,
        /** {@link HardCaps#maxInstancesPerWindow()}. */
        PER_WINDOW,
        /** {@link HardCaps#maxFleetInstances()}. */
        FLEET_INSTANCES,
        /** {@link HardCaps#maxFleetCostPerHour()}. */
        FLEET_COST
    }

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public HardCaps {
        positive(maxInstancesPerCall, "maxInstancesPerCall");
        positive(maxInstancesPerWindow, "maxInstancesPerWindow");
        Objects.requireNonNull(window, "window");
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        positive(maxFleetInstances, "maxFleetInstances");
        if (!(maxFleetCostPerHour > 0) || Double.isNaN(maxFleetCostPerHour)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "maxFleetCostPerHour must be positive, was %s", maxFleetCostPerHour));
        }
    }

    /**
     * Conservative defaults: 50 instances per call, 200 per hour, 1,000 in the fleet, 500 per hour in cost.
     *
     * @return the defaults
     */
    public static HardCaps defaults() {
        return new HardCaps(50, 200, Duration.ofHours(1), 1_000, 500);
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be positive, was %d", name, value));
        }
    }
}
