package io.fleetpredict.core.projection;

import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        Map<String, TierPolicy> tiers = new LinkedHashMap<>();
        tiers.put(CRITICAL, new TierPolicy(100, 0.99, 0.2, 0.0, 2, null, null,
                Duration.ofMinutes(10), Duration.ofHours(2), Duration.ofMinutes(30)));
        tiers.put(STANDARD, new TierPolicy(10, 0.95, 0.1, 0.5, 1, null, null,
                Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofMinutes(15)));
        tiers.put(BEST_EFFORT, new TierPolicy(1, 0.9, 0.05, 0.9, 0, null, null,
                Duration.ZERO, Duration.ofMinutes(30), Duration.ofMinutes(10)));
        POLICIES = new SlaPolicies(1, STANDARD, tiers, List.of());
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
