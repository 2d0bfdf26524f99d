package io.fleetpredict.core.projection;

import java.util.Locale;
import java.util.Set;

/**
 * The limits a service's SLA puts on how its capacity may be bought.
 *
 * <p>The spot share is measured in CPU cores over the service: what it already runs
 * ({@link ServiceDemand#spotCoresInService()}, {@link ServiceDemand#nonSpotCoresInService()}) and everything
 * planned for it (reused and purchased); a service already over the share buys no spot. CPU is the one
 * resource every instance has, and the part of a service's serving
 * capacity that a wave of spot reclamations can take away is proportional to the cores it removes.
 * The on-demand base counts non-interruptible instances: purchased on demand or reused from
 * {@link ExistingCapacity}.
 *
 * @param maxSpotShare the largest share of the service's CPU cores that may be spot, in [0, 1]
 * @param minOnDemandInstances the smallest number of non-interruptible instances in the plan, non-negative
 * @param allowedFamilies the instance families that may be used; empty means any
 * @param allowedRegions the regions that may be used; empty means any
 */
public record CapacityLimits(double maxSpotShare, int minOnDemandInstances, Set<String> allowedFamilies,
        Set<String> allowedRegions) {

    private static final CapacityLimits UNCONSTRAINED = new CapacityLimits(1.0, 0, Set.of(), Set.of());

    /**
     * Validates the limits and copies the sets.
     *
     * @throws IllegalArgumentException if the spot share is outside [0, 1] or the base is negative
     * @throws NullPointerException if a set or one of its elements is null
     */
    public CapacityLimits {
        if (!(maxSpotShare >= 0 && maxSpotShare <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "maxSpotShare must be in [0, 1], was %s", maxSpotShare));
        }
        if (minOnDemandInstances < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "minOnDemandInstances must be >= 0, was %d", minOnDemandInstances));
        }
        allowedFamilies = Set.copyOf(allowedFamilies);
        allowedRegions = Set.copyOf(allowedRegions);
    }

    /**
     * Creates limits.
     *
     * @param maxSpotShare the largest share of the service's CPU cores that may be spot, in [0, 1]
     * @param minOnDemandInstances the smallest number of non-interruptible instances
     * @param allowedFamilies the families that may be used; empty means any
     * @param allowedRegions the regions that may be used; empty means any
     * @return the limits
     */
    public static CapacityLimits of(double maxSpotShare, int minOnDemandInstances, Set<String> allowedFamilies,
            Set<String> allowedRegions) {
        return new CapacityLimits(maxSpotShare, minOnDemandInstances, allowedFamilies, allowedRegions);
    }

    /**
     * Returns limits that allow anything: all spot permitted, no on-demand base, any family and region.
     *
     * @return the limits
     */
    public static CapacityLimits unconstrained() {
        return UNCONSTRAINED;
    }

    /**
     * The limits in words, for messages and logs: {@code spot at most 30% of the CPU cores, at least 2
     * on-demand instances, families c6i, m6i, regions any}. Families and regions are sorted, so equal limits read
     * the same.
     *
     * @return the limits in words
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "spot at most %s%% of the CPU cores, at least %d on-demand instance%s,"
                + " families %s, regions %s", percent(maxSpotShare), minOnDemandInstances,
                minOnDemandInstances == 1 ? "" : "s", names(allowedFamilies), names(allowedRegions));
    }

    private static String percent(double share) {
        return java.math.BigDecimal.valueOf(share).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    private static String names(Set<String> names) {
        return names.isEmpty() ? "any" : String.join(", ", new java.util.TreeSet<>(names));
    }

    /**
     * Tells whether an instance of the given family and region may be used.
     *
     * @param family the instance family
     * @param region the region
     * @return true if both are allowed
     */
    public boolean allows(String family, String region) {
        return (allowedFamilies.isEmpty() || allowedFamilies.contains(family))
                && (allowedRegions.isEmpty() || allowedRegions.contains(region));
    }
}
