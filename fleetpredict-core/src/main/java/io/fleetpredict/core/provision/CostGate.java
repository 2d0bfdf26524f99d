package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import io.fleetpredict.core.internal.Budgets;
import io.fleetpredict.core.internal.Cycles;
import io.fleetpredict.core.internal.Decimals;
import io.fleetpredict.core.internal.Hours;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weighs a plan's cost against thresholds per hour and per scheduler cycle.
 *
 * <p>Only what this cycle would carry out is weighed: the proposed scale-outs of every service with at
 * least one of them due (its {@code launch_at} before the next cycle, {@link #due}), all of the service's
 * scale-outs still to carry out together. A service none of whose changes is due yet costs nothing now; its
 * changes are {@linkplain GateDecision#waiting() waiting} and are weighed in the cycle they fall due.
 * What earlier cycles launched ({@link #evaluate(ProvisionalFleetState, List, Instant, Map)}) costs nothing
 * new and is not weighed again: a scale-out launched in part is charged for the instances it still has to
 * launch, one carried out not at all. Replacements are never charged nor listed: a run does not carry them
 * out. A change's cost per hour is the larger of the plan's estimate and its count times the current offer price, so a plan
 * written against old prices cannot slip under the threshold; reserved capacity (idle instances the plan
 * reuses) costs what the plan says, as it is already paid for. Deferred changes are not counted. Proposed
 * scale-ins save money: they cost nothing and are always approved, whatever the thresholds. A cost fits a
 * threshold by {@link Budgets#within}, the rule the projection holds its budget to.
 *
 * <p>Over a threshold the gate approves or refuses each service's changes together, as the projection
 * does, so a partly approved plan never breaks a service's spot share or on-demand base: services in
 * the order of their most important change, approved while they fit, stopping at the first that does
 * not. A service some of whose scale-outs launched anything comes before all others: an approved service
 * whose lines launch in different cycles is completed rather than left half-built. It logs a warning and
 * returns ranked {@link Recommendation}s, which cut, move to spot or defer only what is still to launch.
 *
 * <p>Immutable and thread-safe.
 */
public final class CostGate {

    private static final Logger LOG = LoggerFactory.getLogger(CostGate.class);

    /**
     * Change ids in natural order: runs of digits compare as numbers, so {@code chg-41-9} comes before
     * {@code chg-41-10}.
     */
    static final Comparator<String> ID_ORDER = CostGate::compareIds;

    /** The order changes are approved in: priority, then how soon they are needed, then id. */
    static final Comparator<ProvisionalChange> PRIORITY_ORDER = Comparator.comparingInt(ProvisionalChange::priority)
            .thenComparing(ProvisionalChange::neededBy).thenComparing(ProvisionalChange::id, ID_ORDER);

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
     * Whether a change falls due in the cycle starting at {@code now}: its launch time is before the next
     * cycle, so this one is the last that can carry it out in time. The gate charges a service's changes
     * only when one of them is due, and a run carries out only the due ones.
     */
    boolean due(ProvisionalChange change, Instant now) {
        return Cycles.due(change.launchAt(), now, cycle);
    }

    /**
     * Decides which changes of a plan may go ahead in the cycle starting at {@code now}, none of them
     * carried out yet.
     *
     * @param plan the provisional fleet state
     * @param offers the provider's current offers, for prices and spot alternatives (may be empty)
     * @param now the start of the cycle: which changes are due, and when deferrals would launch
     * @return the decision
     */
    public GateDecision evaluate(ProvisionalFleetState plan, List<Offer> offers, Instant now) {
        return evaluate(plan, offers, now, Map.of());
    }

    /**
     * Decides which changes of a plan may go ahead in the cycle starting at {@code now}, when some of its
     * scale-outs were carried out, in whole or in part, in earlier cycles. What was launched costs nothing
     * new and is not weighed again: a scale-out is charged, and cut by a recommendation, only for the
     * instances it still has to launch, and one with none left is not listed. A service some of whose
     * scale-outs launched anything is committed, and its remaining ones are weighed before every other
     * service's, so it is completed rather than left half-built.
     *
     * @param plan the provisional fleet state
     * @param offers the provider's current offers, for prices and spot alternatives (may be empty)
     * @param now the start of the cycle: which changes are due, and when deferrals would launch
     * @param toLaunch for the plan's scale-outs launched in whole or in part, by id, how many of their
     *     instances they still have to launch, from 0 (carried out) to their count; a scale-out not named has
     *     its whole count to launch, and ids not in the plan are ignored
     * @return the decision, which lists none of the carried-out changes
     * @throws IllegalArgumentException if a count is negative, or more than its scale-out's count
     */
    public GateDecision evaluate(ProvisionalFleetState plan, List<Offer> offers, Instant now,
            Map<String, Integer> toLaunch) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(offers, "offers");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(toLaunch, "toLaunch");
        List<ProvisionalChange> all = plan.provisionalChanges().stream()
                .filter(c -> c.status() == ChangeStatus.PROPOSED).sorted(PRIORITY_ORDER).toList();
        List<ProvisionalChange> releases = all.stream().filter(c -> c.action() == ChangeAction.SCALE_IN).toList();
        // What each scale-out still has to launch: all a partial launch left over is charged, no more.
        Map<String, Integer> left = new LinkedHashMap<>();
        for (ProvisionalChange c : all) {
            if (c.action() == ChangeAction.SCALE_OUT) {
                left.put(c.id(), toLaunch(c, toLaunch.get(c.id())));
            }
        }
        // Each service's scale-outs still to carry out, committed services (some of whose scale-outs launched
        // anything) first, then the rest, each in the order of its most important change. A replace is not
        // carried out by a run (it names the new capacity, not what it stands in for): never charged.
        Lines lines = new Lines(offers, left);
        Set<String> committed = new LinkedHashSet<>();
        all.stream().filter(c -> c.action() == ChangeAction.SCALE_OUT && lines.left(c) < c.count())
                .forEach(c -> committed.add(c.service()));
        Map<String, List<ProvisionalChange>> byService = new LinkedHashMap<>();
        committed.forEach(service -> byService.put(service, new ArrayList<>()));
        all.stream().filter(c -> c.action() == ChangeAction.SCALE_OUT && lines.left(c) > 0)
                .forEach(c -> byService.computeIfAbsent(c.service(), k -> new ArrayList<>()).add(c));
        byService.values().removeIf(List::isEmpty);
        List<List<ProvisionalChange>> gated = new ArrayList<>();
        List<ProvisionalChange> waiting = new ArrayList<>();
        for (List<ProvisionalChange> service : byService.values()) {
            if (service.stream().anyMatch(c -> due(c, now))) {
                gated.add(service);
            } else {
                waiting.addAll(service);
            }
        }
        double perHour = 0;
        for (List<ProvisionalChange> service : gated) {
            perHour += lines.cost(service);
        }
        double perCycle = perHour * Hours.of(cycle);
        List<ProvisionalChange> approved = new ArrayList<>(releases);
        if (Budgets.within(perHour, maxCostPerHour) && Budgets.within(perCycle, maxCostPerCycle)) {
            gated.forEach(approved::addAll);
            approved.sort(PRIORITY_ORDER);
            LOG.debug("plan of fleet '{}' costs {} per hour this cycle, within {}: {} changes approved, {} waiting",
                    plan.fleet().fleetId(), perHour, maxCostPerHour, approved.size(), waiting.size());
            return new GateDecision.UnderThreshold(perHour, perCycle, approved, waiting);
        }
        // Releases save money: never refused for cost. A service's changes go or stay together.
        List<ProvisionalChange> refused = new ArrayList<>();
        double running = 0;
        for (List<ProvisionalChange> service : gated) {
            double cost = lines.cost(service);
            boolean fits = refused.isEmpty() && Budgets.within(running + cost, maxCostPerHour)
                    && Budgets.within((running + cost) * Hours.of(cycle), maxCostPerCycle);
            if (fits) {
                approved.addAll(service);
                running += cost;
            } else {
                refused.addAll(service);
            }
        }
        List<Recommendation> recommendations = recommend(plan, gated, lines, now, perHour - Math.min(
                maxCostPerHour, maxCostPerCycle / Hours.of(cycle)));
        LOG.warn("plan of fleet '{}' costs {} per hour ({} per cycle) this cycle, over the threshold of {} per hour "
                + "({} per cycle): {} of {} changes approved, {} waiting, {} recommendations, first: {}",
                plan.fleet().fleetId(), fmt(perHour), fmt(perCycle), fmt(maxCostPerHour), fmt(maxCostPerCycle),
                approved.size(), approved.size() + refused.size(), waiting.size(), recommendations.size(),
                recommendations.isEmpty() ? "none" : recommendations.get(0).summary());
        approved.sort(PRIORITY_ORDER);
        return new GateDecision.OverThreshold(perHour, perCycle, maxCostPerHour, maxCostPerCycle, approved, refused,
                recommendations, waiting);
    }

    /** How many instances a scale-out still has to launch: its whole count unless {@code given} says fewer. */
    private static int toLaunch(ProvisionalChange change, @Nullable Integer given) {
        if (given == null) {
            return change.count();
        }
        if (given < 0 || given > change.count()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "toLaunch of change %s must be in [0, %d], its count, was %d", change.id(), change.count(), given));
        }
        return given;
    }

    /**
     * The offers, and what each weighed scale-out still has to launch: what a line costs this cycle and how
     * many of its instances a recommendation may still change.
     */
    private record Lines(List<Offer> offers, Map<String, Integer> left) {

        /** How many of the change's instances are still to launch. */
        int left(ProvisionalChange change) {
            return left.getOrDefault(change.id(), change.count());
        }

        /** The cost per hour of one instance of the change. */
        double unit(ProvisionalChange change) {
            return costPerHour(change, offers) / change.count();
        }

        /** What the instances the change still has to launch cost per hour; all of it when none launched. */
        double cost(ProvisionalChange change) {
            int n = left(change);
            return n == change.count() ? costPerHour(change, offers) : n * unit(change);
        }

        double cost(List<ProvisionalChange> service) {
            double sum = 0;
            for (ProvisionalChange change : service) {
                sum += cost(change);
            }
            return sum;
        }
    }

    /**
     * A change's cost per hour: the larger of the plan's estimate and its count at the offer's current price;
     * reserved capacity at the plan's estimate alone, as the projection prices it (idle instances already
     * paid for cost nothing more), since an offer has no reserved price.
     */
    static double costPerHour(ProvisionalChange change, List<Offer> offers) {
        double estimate = change.estimatedCostPerHour();
        if (change.purchaseOption() == PurchaseOption.RESERVED) {
            return estimate;
        }
        Optional<Offer> offer = offer(offers, change.instanceType(), change.region());
        if (offer.isEmpty()) {
            return estimate;
        }
        return Math.max(estimate, change.count() * price(offer.get(), change.purchaseOption()));
    }

    static Optional<Offer> offer(List<Offer> offers, String instanceType, String region) {
        return offers.stream().filter(o -> o.instanceType().equals(instanceType) && o.region().equals(region)).findFirst();
    }

    /** The price of one instance launched from an offer; a reserved change launches on demand. */
    static double price(Offer offer, PurchaseOption option) {
        if (option == PurchaseOption.SPOT && offer.spotAvailable()) {
            return offer.spotPricePerHour().getAsDouble();
        }
        return offer.onDemandPricePerHour();
    }

    private List<Recommendation> recommend(ProvisionalFleetState plan, List<List<ProvisionalChange>> gated,
            Lines lines, Instant now, double excess) {
        // The cost evaluate weighed, summed the same way, so that a cut is checked by the gate's own rule.
        double perHour = 0;
        for (List<ProvisionalChange> service : gated) {
            perHour += lines.cost(service);
        }
        List<Recommendation> found = new ArrayList<>();
        for (List<ProvisionalChange> changes : gated) {
            String service = changes.get(0).service();
            String tier = tier(plan, service);
            TierPolicy policy = policy(service, tier);
            SpotMix mix = SpotMix.of(plan, service);
            for (ProvisionalChange change : changes) {
                double unit = lines.unit(change);
                if (unit <= 0) {
                    continue;
                }
                scaleDown(change, lines.left(change), tier, policy, mix, unit, fewestToCut(perHour, unit, excess))
                        .ifPresent(found::add);
            }
            defer(changes, tier, policy, lines.cost(changes), lines.offers(), now).ifPresent(found::add);
            if (policy != null) {
                moveToSpot(changes, tier, policy, mix, lines, found);
                trimHeadroom(plan, changes, tier, policy, mix, lines).ifPresent(found::add);
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

    /**
     * How many instances at {@code unit} per hour close the excess: the fewest whose cut brings the cost within
     * both thresholds by {@link Budgets#within}, the gate's own rule, so that what a floating-point difference
     * leaves over ({@code 1.0 - 0.7} is {@code 0.30000000000000004}) cuts no instance too many. An infinite or
     * undefined ratio (a price so high the total overflowed) stays so, and cuts the whole change.
     */
    private double fewestToCut(double perHour, double unit, double excess) {
        double needed = Math.max(1, Math.ceil(excess / unit));
        while (needed > 1 && needed < Integer.MAX_VALUE && fits(perHour - (needed - 1) * unit)) {
            needed--;
        }
        return needed;
    }

    private boolean fits(double perHour) {
        return Budgets.within(perHour, maxCostPerHour) && Budgets.within(perHour * Hours.of(cycle), maxCostPerCycle);
    }

    /**
     * Launching fewer instances of a change: as many as close the excess, at most those it still has to launch
     * ({@code left}; what a partial launch started runs already and costs nothing new). Cutting
     * a spot change lowers the service's spot share; cutting any other raises it and lowers the on-demand base,
     * so with policies such a cut goes no further than keeps the service within both (none when it cannot go
     * at all), and says so. Without policies neither is known, and the SLA impact says they are not checked.
     */
    private static Optional<Recommendation> scaleDown(ProvisionalChange change, int left, String tier,
            @Nullable TierPolicy policy, SpotMix mix, double unit, double needed) {
        int cut = needed < left ? (int) needed : left;
        String limit = "";
        if (change.purchaseOption() != PurchaseOption.SPOT) {
            if (policy == null) {
                limit = "; spot share and on-demand base not checked without SLA policies";
            } else {
                int removable = mix.removable(policy, cores(change));
                if (removable < cut) {
                    cut = removable;
                    limit = String.format(Locale.ROOT, "; no more, to keep the %.0f%% spot share and the on-demand "
                            + "base of %d", 100 * policy.maxSpotShare(), policy.minOnDemandCount());
                }
            }
        }
        if (cut <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Recommendation.ScaleDown(0, change.service(), tier, change.id(), change.count(),
                change.count() - cut, cut * unit, String.format(Locale.ROOT,
                        "%s tier, priority %d: %d of %d planned instances missing; %s%s", tier, change.priority(), cut,
                        change.count(), change.slaReason(), limit)));
    }

    /**
     * Launching a service's due changes later. The gate charges a service while any of its changes is due, so
     * all of them are deferred together or none is, and the deferral saves the service's whole cost until its
     * first launch time left. A change's capacity arrives its boot time after the launch: the offer's boot
     * time, or the span from {@code launch_at} to {@code needed_by} the plan left for it when that is longer.
     * Launched at {@code launch_at} it arrives by {@code needed_by}, so any later launch is late by that
     * measure; what may be given up is the tier's lead time, the margin {@code needed_by} keeps before the
     * demand, less what the change has given up already ({@code lead_time_given_up}, written when a deferral
     * is taken). Each deferred change launches so that its capacity arrives at {@code needed_by} plus the lead
     * time it still keeps, which becomes its new {@code needed_by}, and only when that launch is after this
     * cycle; a change that keeps no lead time (deferred before, or without policies, which give it) has
     * nothing to defer into, and its service is not deferred.
     */
    private Optional<Recommendation> defer(List<ProvisionalChange> service, String tier, @Nullable TierPolicy policy,
            double serviceCost, List<Offer> offers, Instant now) {
        if (policy == null || policy.leadTime().isZero() || !(serviceCost > 0)) {
            return Optional.empty();
        }
        List<Recommendation.Defer.Line> lines = new ArrayList<>();
        List<String> arrivals = new ArrayList<>();
        Instant until = Instant.MAX;
        Duration latest = Duration.ZERO;
        for (ProvisionalChange change : service) {
            if (!due(change, now)) {
                until = min(until, change.launchAt());
                continue;
            }
            Duration kept = policy.leadTime().minus(change.leadTimeGivenUp());
            if (kept.isNegative() || kept.isZero()) {
                return Optional.empty();
            }
            Duration planned = Duration.between(change.launchAt(), change.neededBy());
            Duration boot = planned;
            if (change.purchaseOption() != PurchaseOption.RESERVED) {
                Optional<Offer> offer = offer(offers, change.instanceType(), change.region());
                if (offer.isPresent() && offer.get().bootTime().compareTo(planned) > 0) {
                    boot = offer.get().bootTime();
                }
            }
            Instant arrives = change.neededBy().plus(kept);
            Instant launch = arrives.minus(boot);
            if (Cycles.due(launch, now, cycle) || !launch.isAfter(change.launchAt())) {
                return Optional.empty();
            }
            lines.add(new Recommendation.Defer.Line(change.id(), launch, arrives, policy.leadTime()));
            arrivals.add(String.format(Locale.ROOT, "%s at %s instead of %s", change.id(), arrives, change.neededBy()));
            until = min(until, launch);
            latest = kept.compareTo(latest) > 0 ? kept : latest;
        }
        return Optional.of(new Recommendation.Defer(0, service.get(0).service(), tier, lines, until, serviceCost,
                String.format(Locale.ROOT, "%s tier: capacity arrives %s after it is needed, giving up the tier's lead "
                        + "time before the demand: %s", tier, latest, String.join("; ", arrivals))));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /**
     * Buying some of a service's on-demand instances as spot instead, only as many as keep the service
     * within its {@code max_spot_share} of CPU cores, counted both over the capacity the plan buys for it
     * (as the projection counts it) and over its whole fleet once the plan is carried out, and above its
     * on-demand base. The allowance is shared out over the service's lines, largest saving per core first,
     * so the recommendations for one service may all be taken together. Only instances a line still has to
     * launch can be bought as spot: those a partial launch started run on demand already.
     */
    private void moveToSpot(List<ProvisionalChange> gated, String tier, TierPolicy policy, SpotMix mix,
            Lines lines, List<Recommendation> found) {
        double share = policy.maxSpotShare();
        if (share <= 0) {
            return;
        }
        String service = gated.get(0).service();
        double spareCores = Math.min(share * (mix.newSpot() + mix.newOther()) - mix.newSpot(),
                share * mix.allCores() - mix.newSpot() - mix.oldSpot());
        int spareInstances = mix.onDemandCount() - policy.minOnDemandCount();
        record Candidate(ProvisionalChange change, Offer offer, double coresEach, double savingEach) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (ProvisionalChange c : gated) {
            Optional<Offer> offer = offer(lines.offers(), c.instanceType(), c.region());
            double cores = cores(c);
            if (c.purchaseOption() != PurchaseOption.ON_DEMAND || offer.isEmpty() || !offer.get().spotAvailable()
                    || !(cores > 0)) {
                continue;
            }
            double saving = offer.get().onDemandPricePerHour() - offer.get().spotPricePerHour().getAsDouble();
            if (saving > 0) {
                candidates.add(new Candidate(c, offer.get(), cores, saving));
            }
        }
        candidates.sort(Comparator.comparingDouble((Candidate c) -> -c.savingEach() / c.coresEach())
                .thenComparing(c -> c.change().id(), ID_ORDER));
        for (Candidate c : candidates) {
            int spot = (int) Math.min(Math.min(lines.left(c.change()), spareInstances),
                    Math.floor(spareCores / c.coresEach() + Budgets.TOLERANCE));
            if (spot <= 0) {
                continue;
            }
            spareCores -= spot * c.coresEach();
            spareInstances -= spot;
            found.add(new Recommendation.MoveToSpot(0, service, tier, c.change().id(), spot, spot * c.savingEach(),
                    c.offer().interruptionRatePerHour(), String.format(Locale.ROOT,
                            "%s tier: %d instances exposed to %.3f interruptions per instance-hour, within the "
                                    + "%.0f%% spot share", tier, spot, c.offer().interruptionRatePerHour(), 100 * share)));
        }
    }

    /**
     * Halving a service's headroom, worked out over the whole service. The plan sizes the service so that
     * what it runs plus what the plan adds covers the demand with the headroom ({@code (1 + h) × demand});
     * taking that sum as the need (an upper bound: purchases come in whole instances), the need at half the
     * headroom is {@code (1 + h/2) / (1 + h)} of it, and what the plan adds may shrink by the difference in
     * each resource. Instances are taken off what the service's lines costing this cycle still have to launch
     * (what a partial launch started is bought already), dearest first, while
     * every resource stays covered and, off lines not on spot, while the service keeps its spot share and
     * on-demand base (as a scale-down does).
     */
    private Optional<Recommendation> trimHeadroom(ProvisionalFleetState plan, List<ProvisionalChange> gated,
            String tier, TierPolicy policy, SpotMix mix, Lines lines) {
        double headroom = policy.headroomFraction();
        if (headroom <= 0) {
            return Optional.empty();
        }
        String service = gated.get(0).service();
        double trimmed = headroom / 2;
        double keep = (1 + trimmed) / (1 + headroom);
        Map<ResourceType, Double> spare = new EnumMap<>(ResourceType.class);
        for (ResourceType r : ResourceType.values()) {
            double added = 0;
            for (ProvisionalChange c : planned(plan, service)) {
                added += amount(c.resourceDelta(), r);
            }
            if (added <= 0) {
                continue;
            }
            double existing = 0;
            for (InstanceGroup g : groups(plan, service)) {
                existing += g.count() * amount(g.capacityPerInstance(), r);
            }
            double stillNeeded = Math.max(0, (existing + added) * keep - existing);
            spare.put(r, added - stillNeeded);
        }
        List<ProvisionalChange> dearestFirst = new ArrayList<>(gated);
        dearestFirst.sort(Comparator.comparingDouble((ProvisionalChange c) -> -lines.unit(c))
                .thenComparing(ProvisionalChange::id, ID_ORDER));
        int saved = 0;
        double saving = 0;
        SpotMix left = mix;
        for (ProvisionalChange c : dearestFirst) {
            double unit = lines.unit(c);
            if (!(unit > 0)) {
                continue;
            }
            double fewer = lines.left(c);
            for (Map.Entry<ResourceType, Double> e : spare.entrySet()) {
                double each = amount(c.resourceDelta(), e.getKey()) / c.count();
                if (each > 0) {
                    fewer = Math.min(fewer, Math.floor(e.getValue() / each + Budgets.TOLERANCE));
                }
            }
            boolean spot = c.purchaseOption() == PurchaseOption.SPOT;
            if (!spot) {
                fewer = Math.min(fewer, left.removable(policy, cores(c)));
            }
            int n = (int) Math.max(0, fewer);
            if (n == 0) {
                continue;
            }
            left = left.without(n, cores(c), spot);
            for (Map.Entry<ResourceType, Double> e : spare.entrySet()) {
                e.setValue(e.getValue() - n * amount(c.resourceDelta(), e.getKey()) / c.count());
            }
            saved += n;
            saving += n * unit;
        }
        if (saved == 0) {
            return Optional.empty();
        }
        return Optional.of(new Recommendation.TrimHeadroom(0, service, tier, headroom, trimmed, saved, saving,
                String.format(Locale.ROOT, "%s tier: spare capacity falls from %.0f%% to %.0f%% of forecast demand",
                        tier, 100 * headroom, 100 * trimmed)));
    }

    /** The CPU cores one instance of a change adds. */
    private static double cores(ProvisionalChange change) {
        return amount(change.resourceDelta(), ResourceType.CPU) / change.count();
    }

    /**
     * A service's CPU cores on spot and not, both what the plan buys for it (all its proposed scale-outs, due
     * or not, as the projection counts them) and what it runs, and its instances not on spot: what its
     * {@code max_spot_share} and {@code min_on_demand_count} are held against.
     */
    private record SpotMix(double newSpot, double newOther, double oldSpot, double oldOther, int onDemandCount) {

        static SpotMix of(ProvisionalFleetState plan, String service) {
            double newSpot = 0;
            double newOther = 0;
            double oldSpot = 0;
            double oldOther = 0;
            int onDemandCount = 0;
            for (ProvisionalChange c : planned(plan, service)) {
                double cores = amount(c.resourceDelta(), ResourceType.CPU);
                if (c.purchaseOption() == PurchaseOption.SPOT) {
                    newSpot += cores;
                } else {
                    newOther += cores;
                    onDemandCount += c.count();
                }
            }
            for (InstanceGroup g : groups(plan, service)) {
                double cores = g.count() * amount(g.capacityPerInstance(), ResourceType.CPU);
                if (g.purchaseOption() == PurchaseOption.SPOT) {
                    oldSpot += cores;
                } else {
                    oldOther += cores;
                    onDemandCount += g.count();
                }
            }
            return new SpotMix(newSpot, newOther, oldSpot, oldOther, onDemandCount);
        }

        double allCores() {
            return newSpot + newOther + oldSpot + oldOther;
        }

        /**
         * How many instances not on spot, of {@code coresEach} cores, the plan may buy fewer while the service
         * stays within its spot share, over what the plan buys and over its whole fleet, and at or above its
         * on-demand base: none when either is already broken.
         */
        int removable(TierPolicy policy, double coresEach) {
            double share = policy.maxSpotShare();
            double byShare = Math.min(byShare(newSpot, newSpot + newOther, share, coresEach),
                    byShare(newSpot + oldSpot, allCores(), share, coresEach));
            return (int) Math.max(0, Math.min(onDemandCount - policy.minOnDemandCount(), byShare));
        }

        /** The most {@code k} with {@code spot <= share × (total − k × coresEach)}, within the tolerance. */
        private static double byShare(double spot, double total, double share, double coresEach) {
            if (spot <= 0) {
                return Double.POSITIVE_INFINITY;
            }
            if (!(share > 0)) {
                return 0;
            }
            if (!(coresEach > 0)) {
                return Budgets.within(spot, share * total) ? Double.POSITIVE_INFINITY : 0;
            }
            return Math.floor((total - spot / share) / coresEach + Budgets.TOLERANCE);
        }

        SpotMix without(int count, double coresEach, boolean spot) {
            return spot ? new SpotMix(newSpot - count * coresEach, newOther, oldSpot, oldOther, onDemandCount)
                    : new SpotMix(newSpot, newOther - count * coresEach, oldSpot, oldOther, onDemandCount - count);
        }
    }

    /** A service's proposed scale-outs, all of them, due or not: what the plan buys for it. */
    private static List<ProvisionalChange> planned(ProvisionalFleetState plan, String service) {
        return plan.provisionalChanges().stream().filter(c -> c.status() == ChangeStatus.PROPOSED
                && c.action() != ChangeAction.SCALE_IN && c.service().equals(service)).toList();
    }

    private static List<InstanceGroup> groups(ProvisionalFleetState plan, String service) {
        return plan.fleet().services().stream().filter(s -> s.name().equals(service))
                .flatMap(s -> s.instanceGroups().stream()).toList();
    }

    /** The amount of one resource in its canonical unit, 0 when it is not listed. */
    private static double amount(List<ResourceAmount> amounts, ResourceType type) {
        return amounts.stream().filter(a -> a.type() == type).mapToDouble(a -> a.inCanonicalUnit().amount()).sum();
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
            return new Recommendation.Defer(rank, s.service(), s.slaTier(), s.changes(), s.until(),
                    s.savingPerHour(), s.slaImpact());
        }
        Recommendation.TrimHeadroom s = (Recommendation.TrimHeadroom) r;
        return new Recommendation.TrimHeadroom(rank, s.service(), s.slaTier(), s.fromFraction(), s.toFraction(),
                s.instancesSaved(), s.savingPerHour(), s.slaImpact());
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

    /** Natural order of ids: digit runs by their numeric value (leading zeros aside), other characters as they are. */
    private static int compareIds(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (digit(ca) && digit(cb)) {
                int startA = i;
                int startB = j;
                while (i < a.length() && digit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && digit(b.charAt(j))) {
                    j++;
                }
                while (startA < i - 1 && a.charAt(startA) == '0') {
                    startA++;
                }
                while (startB < j - 1 && b.charAt(startB) == '0') {
                    startB++;
                }
                int byLength = Integer.compare(i - startA, j - startB);
                int c = byLength != 0 ? byLength : a.substring(startA, i).compareTo(b.substring(startB, j));
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int rest = Integer.compare(a.length() - i, b.length() - j);
        // Equal but for leading zeros: the plain string order keeps distinct ids distinct.
        return rest != 0 ? rest : a.compareTo(b);
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String fmt(double value) {
        return Double.isInfinite(value) ? "unlimited" : Decimals.text(value);
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
         * The SLA policies, for weights, spot shares, lead times and headroom in recommendations. Without
         * them the gate knows no service's spot share, on-demand base, lead time or headroom, and recommends
         * only scaling down.
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
