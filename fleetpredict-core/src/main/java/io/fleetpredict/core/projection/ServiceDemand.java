package io.fleetpredict.core.projection;

import java.util.Locale;

/**
 * What one service still needs: the resources not covered by its current capacity, and the limits
 * its SLA puts on how they are bought.
 *
 * @param service the service name, not blank
 * @param required the uncovered resource delta
 * @param limits the SLA's limits on purchase options, families and regions
 * @param interruptionPenaltyPerHour the cost per hour the service bears while a spot instance is
 *     interrupted and its replacement boots, finite and non-negative (for instance derived from the SLA tier)
 */
public record ServiceDemand(String service, ResourceVector required, CapacityLimits limits,
        double interruptionPenaltyPerHour) {

    /**
     * Validates the demand.
     *
     * @throws IllegalArgumentException if the name is blank or the penalty is negative or not finite
     * @throws NullPointerException if a component is null
     */
    public ServiceDemand {
        if (service == null) {
            throw new NullPointerException("service");
        }
        if (service.isBlank()) {
            throw new IllegalArgumentException("service must not be blank");
        }
        if (required == null) {
            throw new NullPointerException("required");
        }
        if (limits == null) {
            throw new NullPointerException("limits");
        }
        if (!Double.isFinite(interruptionPenaltyPerHour) || interruptionPenaltyPerHour < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "interruptionPenaltyPerHour of %s must be finite and >= 0, was %s",
                    service, interruptionPenaltyPerHour));
        }
    }

    /**
     * Creates a demand.
     *
     * @param service the service name
     * @param required the uncovered resource delta
     * @param limits the SLA's limits
     * @param interruptionPenaltyPerHour the cost per hour of running short during a spot replacement
     * @return the demand
     */
    public static ServiceDemand of(String service, ResourceVector required, CapacityLimits limits,
            double interruptionPenaltyPerHour) {
        return new ServiceDemand(service, required, limits, interruptionPenaltyPerHour);
    }
}
