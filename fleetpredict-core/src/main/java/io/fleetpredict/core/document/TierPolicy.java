package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
 * @param maxViolationShare the share of time demand may exceed ready capacity, in (0, 0.5], or {@code null}
 *     when the tier states none; when stated, the loop's near-term forecast chooses its own quantile and
 *     headroom to meet it (see {@code OnlinePredictStep}) and {@code forecastQuantile} and
 *     {@code headroomFraction} apply to the medium and long terms only
 */
public record TierPolicy(
        double weight,
        double forecastQuantile,
        double headroomFraction,
        double maxSpotShare,
        int minOnDemandCount,
        @Nullable List<String> allowedInstanceFamilies,
        @Nullable List<String> allowedRegions,
        Duration leadTime,
        Duration scaleInWindow,
        Duration scaleInCooldown,
        @Nullable Double maxViolationShare) {

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
        if (maxViolationShare != null && !(maxViolationShare > 0 && maxViolationShare <= 0.5)) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "maxViolationShare: must be above 0 and at most 0.5, was %s", maxViolationShare));
        }
    }

    /**
     * A policy without a violation target: capacity follows {@code forecastQuantile} and {@code headroomFraction}.
     *
     * @param weight the tier's weight
     * @param forecastQuantile the forecast quantile
     * @param headroomFraction the headroom
     * @param maxSpotShare the largest spot share
     * @param minOnDemandCount the fewest on-demand instances
     * @param allowedInstanceFamilies the allowed families, or {@code null}
     * @param allowedRegions the allowed regions, or {@code null}
     * @param leadTime the lead time
     * @param scaleInWindow the scale-in window
     * @param scaleInCooldown the scale-in cooldown
     */
    public TierPolicy(double weight, double forecastQuantile, double headroomFraction, double maxSpotShare,
            int minOnDemandCount, @Nullable List<String> allowedInstanceFamilies, @Nullable List<String> allowedRegions,
            Duration leadTime, Duration scaleInWindow, Duration scaleInCooldown) {
        this(weight, forecastQuantile, headroomFraction, maxSpotShare, minOnDemandCount, allowedInstanceFamilies,
                allowedRegions, leadTime, scaleInWindow, scaleInCooldown, null);
    }

    /**
     * This policy with a violation target.
     *
     * @param share the share of time demand may exceed ready capacity, in (0, 0.5]
     * @return the policy with the target
     */
    public TierPolicy withMaxViolationShare(double share) {
        return new TierPolicy(weight, forecastQuantile, headroomFraction, maxSpotShare, minOnDemandCount,
                allowedInstanceFamilies, allowedRegions, leadTime, scaleInWindow, scaleInCooldown, share);
    }

    /**
     * Starts a policy by name from the documented {@code standard} tier: weight 10, the 95th percentile with
     * 10% headroom, at most half on spot, at least one on-demand instance, any family and region, a
     * 5-minute lead time, a one-hour scale-in window, a 15-minute scale-in cooldown and no violation target.
     *
     * <pre>{@code
     * TierPolicy critical = TierPolicy.builder().weight(100).maxSpotShare(0).maxViolationShare(0.01).build();
     * }</pre>
     *
     * @return a builder holding the standard tier's values
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link TierPolicy} by name; the values are checked by the record when {@link #build()} is
     * called. Not thread-safe.
     */
    public static final class Builder extends PolicyValuesBuilder<Builder> {
        private @Nullable Double maxViolationShare;

        private Builder() {
            weight = 10.0;
            forecastQuantile = 0.95;
            headroomFraction = 0.1;
            maxSpotShare = 0.5;
            minOnDemandCount = 1;
            leadTime = Duration.ofMinutes(5);
            scaleInWindow = Duration.ofHours(1);
            scaleInCooldown = Duration.ofMinutes(15);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The share of time demand may exceed ready capacity; the loop's near-term forecast then sizes
         * capacity to meet it (see {@link TierPolicy#maxViolationShare()}). None by default.
         *
         * @param value in (0, 0.5]
         * @return this builder
         */
        public Builder maxViolationShare(double value) {
            this.maxViolationShare = value;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws IllegalArgumentException if a value is outside its range, naming it
         */
        // The values PolicyValuesBuilder keeps nullable (a service's entry leaves them unset) are never null
        // here: this builder's constructor sets each one and every setter replaces it by another value.
        @SuppressWarnings("NullAway")
        public TierPolicy build() {
            return new TierPolicy(weight, forecastQuantile, headroomFraction, maxSpotShare, minOnDemandCount,
                    allowedInstanceFamilies, allowedRegions, leadTime, scaleInWindow, scaleInCooldown,
                    maxViolationShare);
        }
    }
}
