package io.fleetpredict.core.document;

import java.time.Duration;
import java.util.List;

/**
 * The SLA policy of a tier, or the effective policy of a service.
 *
 * @param weight the tier's weight when capacity is short, positive; higher is served first
 * @param forecastQuantile the forecast quantile to provision for, between 0.5 and 0.999
 * @param headroomFraction extra capacity on top of the quantile as a fraction (0.2 = 20 %), 0 to 10
 * @param maxSpotShare the largest share of the service's CPU cores that may run on spot, 0 to 1
 * @param minOnDemandCount the fewest on-demand instances to keep, not negative
 * @param allowedInstanceFamilies the instance families allowed (not empty), or {@code null} for any
 * @param allowedRegions the regions allowed (not empty), or {@code null} for any
 * @param leadTime how long before the need capacity must be ready, not negative
 * @param scaleInWindow how long demand must stay low before capacity is removed, not negative
 * @param scaleInCooldown the least time between two removals, not negative
 */
public record TierPolicy(
        double weight,
        double forecastQuantile,
        double headroomFraction,
        double maxSpotShare,
        int minOnDemandCount,
        List<String> allowedInstanceFamilies,
        List<String> allowedRegions,
        Duration leadTime,
        Duration scaleInWindow,
        Duration scaleInCooldown) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a value is outside its range
     */
    public TierPolicy {
        Checks.positive("weight", weight);
        Checks.between("forecastQuantile", forecastQuantile, 0.5, 0.999);
        Checks.between("headroomFraction", headroomFraction, 0.0, 10.0);
        Checks.between("maxSpotShare", maxSpotShare, 0.0, 1.0);
        Checks.nonNegative("minOnDemandCount", minOnDemandCount);
        allowedInstanceFamilies = ServicePolicy.allowList("allowedInstanceFamilies", allowedInstanceFamilies);
        allowedRegions = ServicePolicy.allowList("allowedRegions", allowedRegions);
        Checks.nonNegative("leadTime", leadTime);
        Checks.nonNegative("scaleInWindow", scaleInWindow);
        Checks.nonNegative("scaleInCooldown", scaleInCooldown);
    }
}
