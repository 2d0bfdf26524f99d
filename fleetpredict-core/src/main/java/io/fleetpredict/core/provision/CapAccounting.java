package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ServiceState;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a scale-out still needs and what the hard caps let it have: the instances neither in the fleet
 * nor on their way, the room left under each cap, and the fleet's cost per hour the cost cap is held
 * against. Pure functions of the stored fleet and the offers.
 */
final class CapAccounting {

    private CapAccounting() {
    }

    /** How many instances the caps allow, and which caps cut the request. */
    record Allowance(int count, List<HardCaps.Limit> limits) {
    }

    /** A count being cut down to the room each cap leaves, remembering which caps cut it. */
    static final class Cut {
        private long allowed;
        private final Set<HardCaps.Limit> hit = EnumSet.noneOf(HardCaps.Limit.class);

        Cut(long wanted) {
            this.allowed = wanted;
        }

        /** Cuts the count to {@code room}, if it is more, naming {@code limit} as the reason. */
        void to(long room, HardCaps.Limit limit) {
            if (allowed > room) {
                allowed = room;
                hit.add(limit);
            }
        }

        long allowed() {
            return allowed;
        }

        /** The caps that cut the count, in the order of {@link HardCaps.Limit}. */
        List<HardCaps.Limit> limits() {
            return List.copyOf(hit);
        }
    }

    /** How many of a change's instances are neither in the fleet nor on their way. */
    static int wanted(StoredFleet s, ProvisionalFleetState plan, ProvisionalChange change) {
        PurchaseOption option = change.purchaseOption();
        long planCount = FleetStateEdits.count(plan.fleet(), change.service(), change.instanceType(),
                change.region(), option);
        long stateCount = FleetStateEdits.count(s.state(), change.service(), change.instanceType(),
                change.region(), option);
        long open = s.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN
                && i.service().equals(change.service()) && i.instanceType().equals(change.instanceType())
                && i.region().equals(change.region()) && i.purchaseOption() == option)
                .mapToLong(ProvisioningIntent::launching).sum();
        long byGroup = planCount + change.count() - stateCount - open;
        long byChange = change.count() - s.intents().stream().filter(i -> i.changeId().equals(change.id())
                && i.kind() == ProvisioningIntent.Kind.LAUNCH).mapToLong(ProvisioningIntent::covering).sum();
        return (int) Math.max(0, Math.min(byGroup, byChange));
    }

    /**
     * How many of {@code wanted} instances at {@code unitPrice} the caps allow now, counting what this
     * run has already planned ({@code extraInstances}, {@code extraCost}) on top of the stored fleet.
     */
    static Allowance allowance(StoredFleet s, int wanted, double unitPrice, HardCaps caps, List<Offer> offers,
            Instant now, int extraInstances, double extraCost) {
        Cut cut = new Cut(wanted);
        cut.to(caps.maxInstancesPerCall(), HardCaps.Limit.PER_CALL);
        Instant windowStart = now.minus(caps.window());
        long inWindow = extraInstances + s.intents().stream().filter(i -> inWindow(i, windowStart, now))
                .mapToLong(ProvisioningIntent::launching).sum();
        cut.to(Math.max(0, caps.maxInstancesPerWindow() - inWindow), HardCaps.Limit.PER_WINDOW);
        long open = s.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN)
                .mapToLong(ProvisioningIntent::launching).sum();
        long fleetInstances = extraInstances + open + s.state().services().stream()
                .flatMap(v -> v.instanceGroups().stream()).mapToLong(InstanceGroup::count).sum();
        cut.to(Math.max(0, caps.maxFleetInstances() - fleetInstances), HardCaps.Limit.FLEET_INSTANCES);
        double cost = extraCost + fleetCostPerHour(s, offers);
        if (unitPrice > 0) {
            cut.to((long) Math.max(0, Math.floor((caps.maxFleetCostPerHour() - cost) / unitPrice + 1e-9)),
                    HardCaps.Limit.FLEET_COST);
        }
        return new Allowance((int) cut.allowed(), cut.limits());
    }

    /**
     * Whether the caps' window starting at {@code windowStart} counts an intent: one written after its start,
     * unless dated ahead of the clock ({@link IntentJournal#datedAhead}), whose time says nothing of its age.
     */
    static boolean inWindow(ProvisioningIntent i, Instant windowStart, Instant now) {
        return i.createdAt().isAfter(windowStart) && !IntentJournal.datedAhead(i.createdAt(), now);
    }

    /** The fleet's cost per hour at current prices, with open intents at the price they were written with. */
    static double fleetCostPerHour(StoredFleet s, List<Offer> offers) {
        double cost = 0;
        for (ServiceState service : s.state().services()) {
            for (InstanceGroup g : service.instanceGroups()) {
                if (g.count() > 0) {
                    cost += g.count() * CostGate.offer(offers, g.instanceType(), g.region())
                            .map(o -> CostGate.price(o, g.purchaseOption())).orElse(0.0);
                }
            }
        }
        for (ProvisioningIntent i : s.intents()) {
            if (i.status() == ProvisioningIntent.Status.OPEN && i.kind() == ProvisioningIntent.Kind.LAUNCH) {
                cost += i.count() * i.pricePerHour();
            }
        }
        return cost;
    }
}
