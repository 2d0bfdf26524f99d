package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A service's SLA: its tier and any values that override the tier's policy.
 *
 * <p>Every override is {@code null} when absent, and then the tier's value applies. The ranges are
 * those of {@link TierPolicy}. The violation target ({@link TierPolicy#maxViolationShare()}) is the tier's.
 *
 * @param service the service name
 * @param tier the tier name; must be defined in the policies' {@code tiers}
 * @param weight weight override, or {@code null}
 * @param forecastQuantile forecast quantile override, or {@code null}
 * @param headroomFraction headroom override, or {@code null}
 * @param maxSpotShare spot share override, or {@code null}
 * @param minOnDemandCount minimum on-demand count override, or {@code null}
 * @param allowedInstanceFamilies allowed families override, or {@code null}
 * @param allowedRegions allowed regions override, or {@code null}
 * @param leadTime lead time override, or {@code null}
 * @param scaleInWindow scale-in window override, or {@code null}
 * @param scaleInCooldown scale-in cooldown override, or {@code null}
 */
public record ServicePolicy(
        String service,
        String tier,
        @Nullable Double weight,
        @Nullable Double forecastQuantile,
        @Nullable Double headroomFraction,
        @Nullable Double maxSpotShare,
        @Nullable Integer minOnDemandCount,
        @Nullable List<String> allowedInstanceFamilies,
        @Nullable List<String> allowedRegions,
        @Nullable Duration leadTime,
        @Nullable Duration scaleInWindow,
        @Nullable Duration scaleInCooldown) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a present value is outside its range
     */
    public ServicePolicy {
        Checks.text("service", service);
        Checks.text("tier", tier);
        allowedInstanceFamilies = allowList("allowedInstanceFamilies", allowedInstanceFamilies);
        allowedRegions = allowList("allowedRegions", allowedRegions);
        // The ranges are TierPolicy's: apply the overrides to a neutral policy to check them in one place.
        merge(new TierPolicy(1, 0.5, 0, 0, 0, null, null, Duration.ZERO, Duration.ZERO, Duration.ZERO),
                weight, forecastQuantile, headroomFraction, maxSpotShare, minOnDemandCount, allowedInstanceFamilies,
                allowedRegions, leadTime, scaleInWindow, scaleInCooldown);
    }

    /**
     * Applies this service's overrides to its tier's policy.
     *
     * @param tierPolicy the policy of this service's tier
     * @return the effective policy
     */
    public TierPolicy over(TierPolicy tierPolicy) {
        return merge(tierPolicy, weight, forecastQuantile, headroomFraction, maxSpotShare, minOnDemandCount,
                allowedInstanceFamilies, allowedRegions, leadTime, scaleInWindow, scaleInCooldown);
    }

    /**
     * Starts a service's entry by name: every override left out is the tier's value.
     *
     * <pre>{@code
     * ServicePolicy search = ServicePolicy.builder("search", "standard").maxSpotShare(0.8).build();
     * }</pre>
     *
     * @param service the service name
     * @param tier the tier name
     * @return a builder with no override
     */
    public static Builder builder(String service, String tier) {
        return new Builder(service, tier);
    }

    /**
     * Builds a {@link ServicePolicy} by name; the values are checked by the record when {@link #build()} is
     * called. Not thread-safe.
     */
    public static final class Builder extends PolicyValuesBuilder<Builder> {
        private final String service;
        private final String tier;

        private Builder(String service, String tier) {
            this.service = Objects.requireNonNull(service, "service");
            this.tier = Objects.requireNonNull(tier, "tier");
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds the entry.
         *
         * @return the entry
         * @throws IllegalArgumentException if a value is outside its range, naming it
         */
        public ServicePolicy build() {
            return new ServicePolicy(service, tier, weight, forecastQuantile, headroomFraction, maxSpotShare,
                    minOnDemandCount, allowedInstanceFamilies, allowedRegions, leadTime, scaleInWindow,
                    scaleInCooldown);
        }
    }

    // Static, so the compact constructor can use it before the fields are assigned.
    private static TierPolicy merge(TierPolicy base, @Nullable Double weight, @Nullable Double forecastQuantile,
            @Nullable Double headroomFraction, @Nullable Double maxSpotShare, @Nullable Integer minOnDemandCount,
            @Nullable List<String> allowedInstanceFamilies, @Nullable List<String> allowedRegions,
            @Nullable Duration leadTime, @Nullable Duration scaleInWindow, @Nullable Duration scaleInCooldown) {
        return new TierPolicy(
                weight != null ? weight : base.weight(),
                forecastQuantile != null ? forecastQuantile : base.forecastQuantile(),
                headroomFraction != null ? headroomFraction : base.headroomFraction(),
                maxSpotShare != null ? maxSpotShare : base.maxSpotShare(),
                minOnDemandCount != null ? minOnDemandCount : base.minOnDemandCount(),
                allowedInstanceFamilies != null ? allowedInstanceFamilies : base.allowedInstanceFamilies(),
                allowedRegions != null ? allowedRegions : base.allowedRegions(),
                leadTime != null ? leadTime : base.leadTime(),
                scaleInWindow != null ? scaleInWindow : base.scaleInWindow(),
                scaleInCooldown != null ? scaleInCooldown : base.scaleInCooldown(),
                base.maxViolationShare());
    }

    static @Nullable List<String> allowList(String name, @Nullable List<String> values) {
        if (values == null) {
            return null;
        }
        List<String> copy = Checks.nonEmptyList(name, values);
        copy.forEach(v -> Checks.text(name, v));
        Checks.unique(name, copy, v -> v);
        return copy;
    }
}
