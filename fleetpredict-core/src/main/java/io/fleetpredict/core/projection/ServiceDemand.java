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
 * @param spotCoresInService the CPU cores the service already runs on spot, finite and non-negative: counted
 *     in its spot share with what is planned
 * @param nonSpotCoresInService the CPU cores the service already runs on demand or reserved, finite and
 *     non-negative: counted in its spot share with what is planned
 */
public record ServiceDemand(String service, ResourceVector required, CapacityLimits limits,
        double interruptionPenaltyPerHour, double spotCoresInService, double nonSpotCoresInService) {

    /**
     * Validates the demand.
     *
     * @throws IllegalArgumentException if the name is blank or the penalty or a count of cores in service is
     *     negative or not finite
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
        if (!Double.isFinite(spotCoresInService) || spotCoresInService < 0
                || !Double.isFinite(nonSpotCoresInService) || nonSpotCoresInService < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "cores in service of %s must be finite and >= 0, were %s spot and %s not spot",
                    service, spotCoresInService, nonSpotCoresInService));
        }
    }

    /**
     * A demand of a service with nothing in service yet: its spot share counts only what is planned.
     *
     * @param service the service name, not blank
     * @param required the uncovered resource delta
     * @param limits the SLA's limits
     * @param interruptionPenaltyPerHour the cost per hour of running short during a spot replacement
     */
    public ServiceDemand(String service, ResourceVector required, CapacityLimits limits,
            double interruptionPenaltyPerHour) {
        this(service, required, limits, interruptionPenaltyPerHour, 0, 0);
    }

    /**
     * The same demand of a service that already runs these CPU cores, so its spot share is kept over the whole
     * service: what is planned adds no spot while the cores in service are already over the share, and the
     * on-demand cores in service make room for spot.
     *
     * @param spotCores the cores the service runs on spot
     * @param nonSpotCores the cores the service runs on demand or reserved
     * @return the demand
     * @throws IllegalArgumentException if a count is negative or not finite
     */
    public ServiceDemand inService(double spotCores, double nonSpotCores) {
        return new ServiceDemand(service, required, limits, interruptionPenaltyPerHour, spotCores, nonSpotCores);
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
