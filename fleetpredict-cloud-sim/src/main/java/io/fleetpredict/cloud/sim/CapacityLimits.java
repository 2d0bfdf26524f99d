package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.Offer;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
/**
 * The simulated cloud's limits on what a provision may launch: quotas of active instances per region and
 * family, and capacity per offer (region and instance type, spot and on-demand together).
 */
final class CapacityLimits {

    /** An offer's place in the catalogue. */
    record OfferKey(String region, String instanceType) {
    }

    /** What a quota counts: one family in one region. */
    record QuotaKey(String region, String family) {
    }

    private final Map<QuotaKey, Integer> quotas;
    private final int defaultQuota;
    private final Map<OfferKey, Integer> capacities;
    private final int defaultCapacity;

    CapacityLimits(Map<QuotaKey, Integer> quotas, int defaultQuota, Map<OfferKey, Integer> capacities,
            int defaultCapacity) {
        this.quotas = Map.copyOf(quotas);
        this.defaultQuota = defaultQuota;
        this.capacities = Map.copyOf(capacities);
        this.defaultCapacity = defaultCapacity;
    }

    /**
     * How many of {@code count} instances of {@code offer} may launch at {@code now}: all of them, or as many
     * as the offer's capacity leaves.
     *
     * @throws CloudException {@link Kind#QUOTA_EXCEEDED} if the full count would exceed the family's quota
     *     (nothing launches: an account limit is a configuration problem, and filling up to it would hide
     *     it), {@link Kind#CAPACITY_UNAVAILABLE} if the offer has no capacity left
     */
    int launchable(Offer offer, int count, InstanceTable instances, Instant now) {
        int quota = quotas.getOrDefault(new QuotaKey(offer.region(), offer.family()), defaultQuota);
        long inFamily = instances.countActive(now, i -> i.offer().region().equals(offer.region())
                && i.offer().family().equals(offer.family()));
        if (inFamily + count > quota) {
            throw new CloudException(Kind.QUOTA_EXCEEDED, String.format(Locale.ROOT,
                    "count %d would exceed the quota of %d instances of family '%s' in region '%s' (%d active)",
                    count, quota, offer.family(), offer.region(), inFamily));
        }
        int capacity = capacities.getOrDefault(new OfferKey(offer.region(), offer.instanceType()), defaultCapacity);
        long ofType = instances.countActive(now, i -> i.offer() == offer);
        long room = capacity - ofType;
        if (room <= 0) {
            throw new CloudException(Kind.CAPACITY_UNAVAILABLE, String.format(Locale.ROOT,
                    "no capacity left for '%s' in region '%s' (%d of %d in use)", offer.instanceType(),
                    offer.region(), ofType, capacity));
        }
        return (int) Math.min(count, room);
    }
}
