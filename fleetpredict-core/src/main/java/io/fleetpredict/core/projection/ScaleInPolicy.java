package io.fleetpredict.core.projection;

import static io.fleetpredict.core.projection.Figures.num;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.InstanceGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Decides when surplus capacity may be released, and how much: the hysteresis described on
 * {@link ProjectionEngine}. A service qualifies while its upper requirement over the scale-in window
 * stays within {@code 1 - band} of the capacity one instance fewer leaves; it scales in once it has
 * qualified for a whole window and its last change is older than the cooldown, releasing the most
 * instances of its dearest group per core that keep the band, the on-demand base and the spot share.
 *
 * <p>Reserved instances go last: they are paid for whether they run or not, so releasing them saves
 * nothing. An on-demand or spot group the catalogue has no price for (its type, region or purchase option
 * not offered) is still billed: it goes after the priced groups, whose saving is known, and before the
 * reserved ones; its saving is unknown, reported as 0 with a reason and a warning that say so.
 */
final class ScaleInPolicy {

    /** Release order classes: billed at a catalogue price, billed at a price the catalogue lacks, prepaid. */
    private static final int PRICED = 0;
    private static final int UNPRICED = 1;
    private static final int PREPAID = 2;

    private final List<CapacityOffer> offers;
    private final double band;
    private final Logger log;

    /** Takes the logger of the facade, whose name users configure and look for. */
    ScaleInPolicy(List<CapacityOffer> offers, double band, Logger log) {
        this.offers = offers;
        this.band = band;
        this.log = log;
    }

    /**
     * Decides one service: a pending scale-in, or a reason it holds. Keeps {@code eligibleSince} (when
     * each service began to qualify without a break) up to date; reads {@code lastChange}.
     */
    void plan(ServiceWork w, Instant now, Map<String, Instant> lastChange, Map<String, Instant> eligibleSince) {
        if (!w.forecast) {
            w.outcome = ServiceDecision.Outcome.NO_FORECAST;
            w.reason = "the prediction has no requirement for this service";
            eligibleSince.remove(w.name);
            return;
        }
        if (w.outcome != null || w.plan != null || w.firstShort >= 0 || w.baseMissing > 0 || w.state == null
                || !w.upperComplete) {
            eligibleSince.remove(w.name);
            return;
        }
        ResourceVector smallest = null;
        for (InstanceGroup g : w.state.instanceGroups()) {
            ResourceVector per = ResourceVectors.of(g.capacityPerInstance());
            if (g.count() > 0 && (smallest == null || per.cpuCores() < smallest.cpuCores())) {
                smallest = per;
            }
        }
        // The band guards against a forecast that wavers; a calibrated bound has its own margin.
        double keep = w.calibrated ? 1 : 1 - band;
        if (smallest == null || !ResourceVectors.fitsWithin(w.upper,
                ResourceVectors.scale(w.capacity.minusClamped(smallest), keep))) {
            eligibleSince.remove(w.name);
            w.reason = String.format(Locale.ROOT,
                    "capacity covers the requirement; the upper forecast leaves no instance to release");
            return;
        }
        Instant since = eligibleSince.computeIfAbsent(w.name, n -> now);
        Duration window = w.policy.scaleInWindow();
        Duration cooldown = w.policy.scaleInCooldown();
        Instant last = lastChange.get(w.name);
        if (Duration.between(since, now).compareTo(window) < 0) {
            w.reason = String.format(Locale.ROOT,
                    "scale-in held: qualified since %s, for less than the %s scale-in window", since, window);
            return;
        }
        if (last != null && Duration.between(last, now).compareTo(cooldown) < 0) {
            w.reason = String.format(Locale.ROOT, "scale-in held: last change at %s, within the %s cooldown",
                    last, cooldown);
            return;
        }
        release(w, now, keep);
    }

    /** The largest release from the dearest group per core that keeps the band, the base and the spot share. */
    private void release(ServiceWork w, Instant now, double keep) {
        // Only a service that runs has a scale-in to weigh.
        List<InstanceGroup> groups = new ArrayList<>(Objects.requireNonNull(w.state).instanceGroups());
        // Priced groups by price per core, then the billed groups without a price, then reserved; ties in fleet order.
        groups.sort(Comparator.comparingInt(this::releaseClass)
                .thenComparingDouble((InstanceGroup g) -> -pricePerCore(g)));
        for (InstanceGroup g : groups) {
            ResourceVector per = ResourceVectors.of(g.capacityPerInstance());
            boolean spot = g.purchaseOption() == PurchaseOption.SPOT;
            for (int k = g.count(); k >= 1; k--) {
                ResourceVector after = w.capacity.minusClamped(per.times(k));
                int nonSpotAfter = w.nonSpotCount - (spot ? 0 : k);
                double spotAfter = w.spotCores - (spot ? per.cpuCores() * k : 0);
                double totalAfter = w.totalCores - per.cpuCores() * k;
                if (ResourceVectors.fitsWithin(w.upper, ResourceVectors.scale(after, keep))
                        && nonSpotAfter >= w.policy.minOnDemandCount()
                        && spotAfter <= w.policy.maxSpotShare() * totalAfter + Figures.EPS) {
                    double price = pricePerHour(g);
                    int r = binding(w.upper, after);
                    w.reason = String.format(Locale.ROOT,
                            "%s tier: upper forecast %s over the next %s stays below %s%% of the %s left "
                                    + "after removing %d %s",
                            w.tier, amount(r, w.upper.get(r)), w.policy.scaleInWindow(), num(keep * 100),
                            amount(r, after.get(r)), k, g.instanceType());
                    if (releaseClass(g) == UNPRICED) {
                        String unpriced = String.format(Locale.ROOT, "the catalogue has no %s price for %s in %s",
                                g.purchaseOption().jsonName(), g.instanceType(), g.region());
                        w.reason += "; saving unknown: " + unpriced;
                        log.warn("{}: releasing {} {} {} instances in {} whose saving is unknown: {}", w.name, k,
                                g.instanceType(), g.purchaseOption().jsonName(), g.region(), unpriced);
                    }
                    w.pending.add(new PendingChange(ChangeAction.SCALE_IN, g.instanceType(), g.region(), k,
                            g.purchaseOption(), per.times(k), 0, now, now, 0, price * k, Duration.ZERO, Duration.ZERO));
                    w.scaleIn = true;
                    return;
                }
            }
        }
        w.reason = "scale-in qualified but no instance group can shrink within the on-demand base and spot share";
    }

    /**
     * The resource that binds the release: the one whose upper forecast takes the largest share of what
     * would be left, CPU on a tie (and when nothing is forecast), so the reason names the figure that
     * decided how many instances may go.
     */
    private static int binding(ResourceVector upper, ResourceVector left) {
        int binding = 0;
        double most = -1;
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (upper.get(r) > 0 && left.get(r) > 0 && upper.get(r) / left.get(r) > most) {
                most = upper.get(r) / left.get(r);
                binding = r;
            }
        }
        return binding;
    }

    /** An amount of resource {@code r} in words: {@code 10 cores}, {@code 120 GiB of memory}. */
    private static String amount(int r, double value) {
        return switch (r) {
            case 0 -> num(value) + " cores";
            case 1 -> num(value) + " GiB of memory";
            case 2 -> num(value) + " Gbps of bandwidth";
            default -> num(value) + " GiB of storage";
        };
    }

    private int releaseClass(InstanceGroup g) {
        if (g.purchaseOption() == PurchaseOption.RESERVED) {
            return PREPAID;
        }
        return CapacityOffers.find(offers, g.instanceType(), g.region(), g.purchaseOption()).isPresent()
                ? PRICED : UNPRICED;
    }

    /** The catalogue price of one instance of a group per hour; 0 for reserved (prepaid) or unpriced groups. */
    private double pricePerHour(InstanceGroup g) {
        if (g.purchaseOption() == PurchaseOption.RESERVED) {
            return 0;
        }
        return CapacityOffers.find(offers, g.instanceType(), g.region(), g.purchaseOption())
                .map(CapacityOffer::pricePerHour).orElse(0.0);
    }

    private double pricePerCore(InstanceGroup g) {
        double cores = ResourceVectors.of(g.capacityPerInstance()).cpuCores();
        return cores > 0 ? pricePerHour(g) / cores : pricePerHour(g);
    }
}
