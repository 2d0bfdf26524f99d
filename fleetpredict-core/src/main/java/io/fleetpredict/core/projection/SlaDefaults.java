package io.fleetpredict.core.projection;

import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;

/**
 * The documented default SLA tiers, used when no SLA policies document is given. The values are listed
 * in {@code docs/projection.md}.
 */
public final class SlaDefaults {

    /** The tier for revenue-critical services: provisioned at the 99th percentile, never on spot. */
    public static final String CRITICAL = "critical";
    /** The default tier. */
    public static final String STANDARD = "standard";
    /** The tier for work that may wait: the 90th percentile, mostly spot. */
    public static final String BEST_EFFORT = "best_effort";

    private static final SlaPolicies POLICIES;

    static {
        POLICIES = SlaPolicies.builder()
                .tier(CRITICAL, TierPolicy.builder().weight(100).forecastQuantile(0.99).headroomFraction(0.2)
                        .maxSpotShare(0).minOnDemandCount(2).leadTime(Duration.ofMinutes(10))
                        .scaleInWindow(Duration.ofHours(2)).scaleInCooldown(Duration.ofMinutes(30)).build())
                .tier(STANDARD, TierPolicy.builder().build())    // the builder's defaults are this tier
                .tier(BEST_EFFORT, TierPolicy.builder().weight(1).forecastQuantile(0.9).headroomFraction(0.05)
                        .maxSpotShare(0.9).minOnDemandCount(0).leadTime(Duration.ZERO)
                        .scaleInWindow(Duration.ofMinutes(30)).scaleInCooldown(Duration.ofMinutes(10)).build())
                .defaultTier(STANDARD)
                .build();
    }

    private SlaDefaults() {
    }

    /**
     * Returns the default policies: the tiers {@code critical}, {@code standard} (the default tier) and
     * {@code best_effort}, with no per-service entries.
     *
     * @return the default SLA policies
     */
    public static SlaPolicies policies() {
        return POLICIES;
    }
}
