package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import io.fleetpredict.core.internal.Hours;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weighs a plan's cost against thresholds per hour and per scheduler cycle.
 *
 * <p>A change's cost per hour is the larger of the plan's estimate and its count times the current
 * offer price, so a plan written against old prices cannot slip under the threshold. Only proposed
 * scale-outs and replacements cost; deferred changes are not counted. Proposed scale-ins save money:
 * they cost nothing and are always approved, whatever the thresholds. Over a threshold the gate
 * approves the costing changes in priority order while they fit and stops at the first that does
 * not; it logs a warning and returns ranked {@link Recommendation}s.
 *
 * <p>Immutable and thread-safe.
 */
public final class CostGate {

    private static final Logger LOG = LoggerFactory.getLogger(CostGate.class);

    /** The order changes are approved in: priority, then how soon they are needed, then id. */
    static final Comparator<ProvisionalChange> PRIORITY_ORDER = Comparator.comparingInt(ProvisionalChange::priority)
            .thenComparing(ProvisionalChange::neededBy).thenComparing(ProvisionalChange::id);

    private final double maxCostPerHour;
    private final double maxCostPerCycle;
    private final Duration cycle;
    private final @Nullable SlaPolicies policies;

    private CostGate(Builder b) {
        this.maxCostPerHour = b.maxCostPerHour;
        this.maxCostPerCycle = b.maxCostPerCycle;
        this.cycle = b.cycle;
        this.policies = b.policies;
    }

    /**
     * Starts building a gate.
     *
     * @param maxCostPerHour the most the approved changes may add per hour, not negative
     * @return a builder with no per-cycle threshold, a 5-minute cycle and no SLA policies
     */
    public static Builder builder(double maxCostPerHour) {
        return new Builder(maxCostPerHour);
    }

    /**
     * The threshold per hour.
     *
     * @return the most the approved changes may add per hour
     */
    public double maxCostPerHour() {
        return maxCostPerHour;
    }

    /**
     * How often the scheduler runs a cycle; a scale-out whose launch time falls before the next cycle
     * is launched in this one.
     *
     * @return the cycle
     */
    public Duration cycle() {
        return cycle;
    }

    /**
     * Decides which changes of a plan may go ahead.
     *
     * @param plan the provisional fleet state
     * @param offers the provider's current offers, for prices and spot alternatives (may be empty)
     * @param now the current time, for deferral recommendations
     * @return the decision
     */
    public GateDecision evaluate(ProvisionalFleetState plan, List<Offer> offers, Instant now) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(offers, "offers");
        Objects.requireNonNull(now, "now");
        List<ProvisionalChange> all = plan.provisionalChanges().stream()
                .filter(c -> c.status() == ChangeStatus.PROPOSED).sorted(PRIORITY_ORDER).toList();
        List<ProvisionalChange> proposed = all.stream().filter(c -> c.action() != ChangeAction.SCALE_IN).toList();
        List<ProvisionalChange> releases = all.stream().filter(c -> c.action() == ChangeAction.SCALE_IN).toList();
        double perHour = 0;
        for (ProvisionalChange change : proposed) {
            perHour += costPerHour(change, offers);
        }
        double perCycle = perHour * Hours.of(cycle);
        if (perHour <= maxCostPerHour && perCycle <= maxCostPerCycle) {
            LOG.debug("plan of fleet '{}' costs {} per hour, under {}: {} changes approved", plan.fleet().fleetId(),
                    perHour, maxCostPerHour, all.size());
            return new GateDecision.UnderThreshold(perHour, perCycle, all);
        }
        // Releases save money: never refused for cost.
        List<ProvisionalChange> approved = new ArrayList<>(releases);
        List<ProvisionalChange> refused = new ArrayList<>();
        double running = 0;
        for (ProvisionalChange change : proposed) {
            double cost = costPerHour(change, offers);
            boolean fits = refused.isEmpty() && running + cost <= maxCostPerHour
                    && (running + cost) * Hours.of(cycle) <= maxCostPerCycle;
            if (fits) {
                approved.add(change);
                running += cost;
            } else {
                refused.add(change);
            }
        }
        List<Recommendation> recommendations = recommend(plan, proposed, offers, now, perHour - Math.min(
                maxCostPerHour, maxCostPerCycle / Hours.of(cycle)));
        LOG.warn("plan of fleet '{}' costs {} per hour ({} per cycle), over the threshold of {} per hour ({} per cycle): "
                + "{} of {} changes approved, {} recommendations, first: {}", plan.fleet().fleetId(),
                fmt(perHour), fmt(perCycle), fmt(maxCostPerHour), fmt(maxCostPerCycle), approved.size(),
                all.size(), recommendations.size(),
                recommendations.isEmpty() ? "none" : recommendations.get(0).summary());
        approved.sort(PRIORITY_ORDER);
        return new GateDecision.OverThreshold(perHour, perCycle, maxCostPerHour, maxCostPerCycle, approved, refused,
                recommendations);
    }

    static double costPerHour(ProvisionalChange change, List<Offer> offers) {
        double estimate = change.estimatedCostPerHour();
        Optional<Offer> offer = offer(offers, change.instanceType(), change.region());
        if (offer.isEmpty()) {
            return estimate;
        }
        return Math.max(estimate, change.count() * price(offer.get(), change.purchaseOption()));
    }

    static Optional<Offer> offer(List<Offer> offers, String instanceType, String region) {
        return offers.stream().filter(o -> o.instanceType().equals(instanceType) && o.region().equals(region)).findFirst();
    }

    /** The price of one instance; reserved capacity is priced at on-demand, an upper bound. */
    static double price(Offer offer, PurchaseOption option) {
        if (option == PurchaseOption.SPOT && offer.spotAvailable()) {
            return offer.spotPricePerHour().getAsDouble();
        }
        return offer.onDemandPricePerHour();
    }

    private List<Recommendation> recommend(ProvisionalFleetState plan, List<ProvisionalChange> proposed,
            List<Offer> offers, Instant now, double excess) {
        List<Recommendation> found = new ArrayList<>();
        for (ProvisionalChange change : proposed) {
            String tier = tier(plan, change.service());
            TierPolicy policy = policy(change.service(), tier);
            double unit = costPerHour(change, offers) / change.count();
            String sla = change.slaReason();
            if (unit <= 0) {
                continue;
            }
            // Scale down: as many instances as close the excess, at most the whole change. An infinite or
            // undefined ratio (a price so high the total overflowed) cuts the whole change.
            double needed = Math.ceil(excess / unit);
            int cut = needed < change.count() ? (int) Math.max(1, needed) : change.count();
            found.add(new Recommendation.ScaleDown(0, change.service(), tier, change.id(), change.count(),
                    change.count() - cut, cut * unit, String.format(Locale.ROOT,
                            "%s tier, priority %d: %d of %d planned instances missing; %s", tier, change.priority(), cut,
                            change.count(), sla)));
            Optional<Offer> offer = offer(offers, change.instanceType(), change.region());
            if (change.purchaseOption() != PurchaseOption.SPOT && offer.isPresent() && offer.get().spotAvailable()) {
                double share = policy == null ? (change.priority() > 1 ? 1.0 : 0.0) : policy.maxSpotShare();
                int spot = (int) Math.floor(change.count() * share);
                double perInstance = offer.get().onDemandPricePerHour() - offer.get().spotPricePerHour().getAsDouble();
                if (spot > 0 && perInstance > 0) {
                    found.add(new Recommendation.MoveToSpot(0, change.service(), tier, change.id(), spot,
                            spot * perInstance, offer.get().interruptionRatePerHour(), String.format(Locale.ROOT,
                                    "%s tier: %d instances exposed to %.3f interruptions per instance-hour",
                                    tier, spot, offer.get().interruptionRatePerHour())));
                }
            }
            Duration lead = policy != null && !policy.leadTime().isZero() ? policy.leadTime()
                    : offer.map(Offer::bootTime).orElse(Duration.ZERO);
            Instant latest = change.neededBy().minus(lead);
            Instant until = latest.isAfter(change.launchAt()) ? latest : change.launchAt();
            if (until.isAfter(now.plus(cycle))) {
                found.add(new Recommendation.Defer(0, change.service(), tier, change.id(), until, unit * change.count(),
                        String.format(Locale.ROOT, "%s tier: capacity arrives %s, still before it is needed at %s",
                                tier, until.plus(lead), change.neededBy())));
            }
            if (policy != null && policy.headroomFraction() > 0) {
                int target = count(plan, change) + change.count();
                double trimmed = policy.headroomFraction() / 2;
                int saved = Math.min(change.count(),
                        target - (int) Math.ceil(target * (1 + trimmed) / (1 + policy.headroomFraction())));
                if (saved > 0) {
                    found.add(new Recommendation.TrimHeadroom(0, change.service(), tier, policy.headroomFraction(),
                            trimmed, saved, saved * unit, String.format(Locale.ROOT,
                                    "%s tier: spare capacity falls from %.0f%% to %.0f%% of forecast demand", tier,
                                    100 * policy.headroomFraction(), 100 * trimmed)));
                }
            }
        }
        // Cheapest to give up first: the largest saving per unit of SLA weight, then the least critical.
        List<Recommendation> ranked = new ArrayList<>(found);
        ranked.sort(Comparator.comparingDouble((Recommendation r) -> -rankSaving(r, now) / weight(plan, r.service()))
                .thenComparing(Recommendation::service).thenComparing(Recommendation::summary));
        List<Recommendation> out = new ArrayList<>(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            out.add(withRank(ranked.get(i), i + 1));
        }
        return out;
    }

    /** A deferral saves its cost only until the change launches, so it ranks by the saving over at most an hour. */
    private static double rankSaving(Recommendation r, Instant now) {
        if (r instanceof Recommendation.Defer d) {
            return d.savingPerHour() * Math.min(1.0, Hours.of(Duration.between(now, d.until())));
        }
        return r.savingPerHour();
    }

    private static Recommendation withRank(Recommendation r, int rank) {
        if (r instanceof Recommendation.ScaleDown s) {
            return new Recommendation.ScaleDown(rank, s.service(), s.slaTier(), s.changeId(), s.fromCount(),
                    s.toCount(), s.savingPerHour(), s.slaImpact());
        } else if (r instanceof Recommendation.MoveToSpot s) {
            return new Recommendation.MoveToSpot(rank, s.service(), s.slaTier(), s.changeId(), s.count(),
                    s.savingPerHour(), s.interruptionRatePerHour(), s.slaImpact());
        } else if (r instanceof Recommendation.Defer s) {
            return new Recommendation.Defer(rank, s.service(), s.slaTier(), s.changeId(), s.until(),
                    s.savingPerHour(), s.slaImpact());
        }
        Recommendation.TrimHeadroom s = (Recommendation.TrimHeadroom) r;
        return new Recommendation.TrimHeadroom(rank, s.service(), s.slaTier(), s.fromFraction(), s.toFraction(),
                s.instancesSaved(), s.savingPerHour(), s.slaImpact());
    }

    private static int count(ProvisionalFleetState plan, ProvisionalChange change) {
        return plan.fleet().services().stream().filter(s -> s.name().equals(change.service()))
                .flatMap(s -> s.instanceGroups().stream()).mapToInt(InstanceGroup::count).sum();
    }

    private static String tier(ProvisionalFleetState plan, String service) {
        return plan.fleet().services().stream().filter(s -> s.name().equals(service)).map(ServiceState::slaTier)
                .findFirst().orElse("unknown");
    }

    private @Nullable TierPolicy policy(String service, String tier) {
        if (policies == null) {
            return null;
        }
        boolean ownPolicy = policies.services().stream().anyMatch(s -> s.service().equals(service));
        if (ownPolicy) {
            return policies.effectivePolicy(service);
        }
        TierPolicy byTier = policies.tiers().get(tier);
        return byTier != null ? byTier : policies.effectivePolicy(service);
    }

    private double weight(ProvisionalFleetState plan, String service) {
        TierPolicy policy = policy(service, tier(plan, service));
        if (policy != null) {
            return policy.weight();
        }
        // Without policies the plan's priorities say how critical a service is: priority 1 weighs most.
        int priority = plan.provisionalChanges().stream().filter(c -> c.service().equals(service))
                .mapToInt(ProvisionalChange::priority).min().orElse(1);
        return 1.0 / priority;
    }

    private static String fmt(double value) {
        return Double.isInfinite(value) ? "unlimited" : String.format(Locale.ROOT, "%.4f", value);
    }

    /** Builds a {@link CostGate}; not thread-safe. */
    public static final class Builder {
        private final double maxCostPerHour;
        private double maxCostPerCycle = Double.POSITIVE_INFINITY;
        private Duration cycle = Duration.ofMinutes(5);
        private @Nullable SlaPolicies policies;

        private Builder(double maxCostPerHour) {
            if (!(maxCostPerHour >= 0) || Double.isInfinite(maxCostPerHour)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "maxCostPerHour must be finite and not negative, was %s", maxCostPerHour));
            }
            this.maxCostPerHour = maxCostPerHour;
        }

        /**
         * A threshold on the cost of one cycle, on top of the hourly one.
         *
         * @param value finite and not negative
         * @return this builder
         */
        public Builder maxCostPerCycle(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "maxCostPerCycle must be finite and not negative, was %s", value));
            }
            this.maxCostPerCycle = value;
            return this;
        }

        /**
         * How often the scheduler runs a cycle.
         *
         * @param value positive
         * @return this builder
         */
        public Builder cycle(Duration value) {
            Objects.requireNonNull(value, "cycle");
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("cycle must be positive, was " + value);
            }
            this.cycle = value;
            return this;
        }

        /**
         * The SLA policies, for weights, spot shares, lead times and headroom in recommendations.
         *
         * @param value the policies
         * @return this builder
         */
        public Builder slaPolicies(SlaPolicies value) {
            this.policies = Objects.requireNonNull(value, "slaPolicies");
            return this;
        }

        /**
         * Builds the gate.
         *
         * @return an immutable gate
         */
        public CostGate build() {
            return new CostGate(this);
        }
    }
}
