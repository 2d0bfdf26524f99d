package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the offer a scale-out launches: the change's own while it has capacity, else the cheapest
 * stand-in of the same resources that the service's SLA policy allows (its instance families and
 * regions, or the change's own family and region when there is no policy). An offer that answered
 * capacity unavailable is passed over for a back-off period. Thread-safe.
 */
final class OfferChooser {

    /** The offer to launch, how many of it stand for the wanted instances, and at what price each. */
    record Choice(Offer offer, int count, double unitPrice) {
    }

    private final @Nullable SlaPolicies policies;
    private final Duration capacityBackoff;
    private final Map<String, Instant> backedOff = new ConcurrentHashMap<>();

    /**
     * @param policies the SLA policies, or null when none are known
     * @param capacityBackoff how long an offer without capacity is passed over
     */
    OfferChooser(@Nullable SlaPolicies policies, Duration capacityBackoff) {
        this.policies = policies;
        this.capacityBackoff = capacityBackoff;
    }

    /**
     * The offer for {@code wanted} instances of a change, or empty when no allowed offer has capacity.
     * A change whose type is not in the catalogue gets a stand-in offer, so that the provider answers
     * (and names the bad field).
     */
    Optional<Choice> choose(ProvisionalChange change, List<Offer> offers, int wanted, Instant now) {
        Optional<Offer> primary = CostGate.offer(offers, change.instanceType(), change.region());
        if (primary.isEmpty() || offers.isEmpty()) {
            double unit = change.estimatedCostPerHour() / change.count();
            Offer stand = new Offer(change.instanceType(), "unknown", change.region(), 1, 1, 1, 0,
                    Math.max(unit, 1e-9), OptionalDouble.empty(), 0, Duration.ofMinutes(1));
            return Optional.of(new Choice(stand, wanted, unit));
        }
        Offer p = primary.get();
        if (available(p, now)) {
            return Optional.of(new Choice(p, wanted, CostGate.price(p, change.purchaseOption())));
        }
        TierPolicy policy = policies == null ? null : policies.effectivePolicy(change.service());
        List<String> families = policy != null && policy.allowedInstanceFamilies() != null
                ? policy.allowedInstanceFamilies() : List.of(p.family());
        List<String> regions = policy != null && policy.allowedRegions() != null
                ? policy.allowedRegions() : List.of(p.region());
        Choice best = null;
        for (Offer o : offers) {
            if (o == p || !families.contains(o.family()) || !regions.contains(o.region()) || !available(o, now)
                    || (change.purchaseOption() == PurchaseOption.SPOT && !o.spotAvailable())) {
                continue;
            }
            double ratio = Math.max((double) p.cpuCores() / o.cpuCores(), p.memoryGiB() / o.memoryGiB());
            int needed = (int) Math.ceil(wanted * ratio - 1e-9);
            double unit = CostGate.price(o, change.purchaseOption());
            if (best == null || needed * unit < best.count() * best.unitPrice()) {
                best = new Choice(o, needed, unit);
            }
        }
        return Optional.ofNullable(best);
    }

    /** Passes over an offer that answered capacity unavailable until the back-off has passed. */
    void backOff(Offer offer, Instant now) {
        backedOff.put(key(offer), now.plus(capacityBackoff));
    }

    /** How long an offer is passed over after it answered capacity unavailable. */
    Duration backoff() {
        return capacityBackoff;
    }

    private boolean available(Offer offer, Instant now) {
        Instant until = backedOff.get(key(offer));
        return until == null || !until.isAfter(now);
    }

    private static String key(Offer offer) {
        return offer.region() + "/" + offer.instanceType();
    }
}
