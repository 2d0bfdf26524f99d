package io.fleetpredict.core.projection;

import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InputDigest;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ModelInfo;
import io.fleetpredict.core.document.OverrideApplied;
import io.fleetpredict.core.document.PlanBasis;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects a predicted fleet state onto the current fleet: per service and resource, the requirement
 * at the SLA's forecast quantile plus headroom plus capacity that maintenance takes away, against the
 * capacity of the service's instance groups; the missing capacity bought at the lowest expected cost
 * by {@link CapacityPlanner} (idle owned or reserved capacity first); surplus capacity released only
 * when it is safe and stable; changes ranked by SLA weight and cost per unit of risk removed and
 * admitted in that order while they fit the hourly budget and the change limit per cycle. The result
 * is a {@link Projection}: the provisional fleet state document, a decision per service and the
 * stability state for the next cycle.
 *
 * <p>The document records what it was computed from: its basis names the earliest predicted step, the
 * fleet version, the offers (by {@link CapacityOffers#digest(List)}) and the SLA policies (by
 * {@link InputDigest#of(io.fleetpredict.core.document.Document)}), with the sources set on the builder;
 * every change carries its estimated total cost; and the expert overrides recorded in the predicted
 * states are carried over, so a reader sees which overrides shaped the plan.
 *
 * <p><b>Scale-out</b> happens as soon as the requirement of any predicted step exceeds the capacity.
 * The change is needed by the start of the first such step minus the SLA's lead time (not before now)
 * and launched the instance type's boot time earlier (not before now).
 *
 * <p><b>Scale-in</b> needs all of: the upper requirement (forecast at the higher of the SLA's quantile
 * and the 99th percentile, with headroom and maintenance) of every step in the next scale-in window is
 * at most the capacity left after removing one instance times {@code 1 - scaleInBand}; the service has
 * so qualified in every cycle for at least its scale-in window (the forecast stayed low for the window);
 * and its last change is at least the scale-in cooldown old. The removal is then the largest number of
 * instances of the dearest group per core that keeps the upper requirement within the band and the
 * on-demand base and spot share within the SLA. After a scale-in the capacity is at least the upper
 * requirement divided by {@code 1 - band}, so a forecast that moves less than the band cannot undo it,
 * and a forecast that keeps crossing the threshold never qualifies for a whole window.
 *
 * <p>The engine is immutable and thread-safe; what it remembers between cycles is the explicit
 * {@link ProjectionState} the caller passes in and gets back.
 */
public final class ProjectionEngine {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionEngine.class);
    private static final double EPS = 1e-9;

    private final SlaPolicies sla;
    private final List<CapacityOffer> offers;
    private final List<ExistingCapacity> idle;
    private final double budgetPerHour;
    private final int maxChangesPerCycle;
    private final double scaleInBand;
    private final Duration defaultStepLength;
    private final double penaltyPerWeight;
    private final CapacityPlanner planner;
    private final Clock clock;
    private final InputDigest catalogueDigest;
    private final InputDigest slaDigest;
    private final Duration maxBootTime;

    private ProjectionEngine(Builder b) {
        this.sla = b.sla;
        this.offers = List.copyOf(b.offers);
        this.idle = List.copyOf(b.idle);
        this.budgetPerHour = b.budgetPerHour;
        this.maxChangesPerCycle = b.maxChangesPerCycle;
        this.scaleInBand = b.scaleInBand;
        this.defaultStepLength = b.defaultStepLength;
        this.penaltyPerWeight = b.penaltyPerWeight;
        this.planner = b.planner;
        this.clock = b.clock;
        this.catalogueDigest = CapacityOffers.digest(offers).withSource(b.catalogueSource);
        this.slaDigest = InputDigest.of(sla).withSource(b.slaPoliciesSource);
        this.maxBootTime = offers.stream().map(CapacityOffer::bootTime).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * Returns a builder. Offers are required; everything else has a documented default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Projects one predicted fleet state, taking maintenance from an event feed.
     *
     * @param predicted the predicted fleet state
     * @param current the current fleet state
     * @param events the event feed; only maintenance events are used
     * @param state the stability state of the previous cycle, or {@link ProjectionState#empty()}
     * @return the projection
     */
    public Projection project(PredictedFleetState predicted, FleetState current, EventFeed events,
            ProjectionState state) {
        return project(List.of(predicted), current, events.events(), state);
    }

    /**
     * Projects a sequence of predicted fleet states (steps of one forecast, or its horizons).
     *
     * <p>A step runs from its {@code valid_from} (or {@code timestamp}) to its {@code valid_until}, or
     * to the next step's start, or for the default step length when it is the last. The basis of the
     * document is the earliest step. When a step has no per-service breakdown, its fleet-wide
     * requirement is shared among the services in proportion to their current capacity of each
     * resource. A service that is in the fleet but not in a breakdown is left unchanged. The document's
     * {@code overrides_applied} lists the overrides recorded in the steps, in step order, each distinct
     * entry once (an override applied to several steps with the same value appears once); it is empty
     * when no step recorded any.
     *
     * @param predicted the predicted states, at least one
     * @param current the current fleet state
     * @param events known events; maintenance events (with a capacity or instance impact) add the
     *     capacity they remove to the requirement of the steps they overlap, others are ignored
     * @param state the stability state of the previous cycle, or {@link ProjectionState#empty()}
     * @return the projection
     * @throws IllegalArgumentException if {@code predicted} is empty
     */
    public Projection project(List<PredictedFleetState> predicted, FleetState current, List<FleetEvent> events,
            ProjectionState state) {
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(state, "state");
        if (predicted.isEmpty()) {
            throw new IllegalArgumentException("predicted must hold at least one predicted fleet state, was empty");
        }
        Instant now = clock.instant();
        List<Step> steps = steps(predicted);
        List<FleetEvent> maintenance = events.stream()
                .filter(e -> e.type() == EventType.MAINTENANCE && e.expectedImpact() != null).toList();

        Map<String, Work> works = new LinkedHashMap<>();
        for (ServiceState s : current.services()) {
            works.put(s.name(), new Work(s.name(), s));
        }
        for (Step step : steps) {
            if (step.doc.services() != null) {
                for (ServiceRequirements r : step.doc.services()) {
                    works.computeIfAbsent(r.service(), n -> new Work(n, null));
                }
            }
        }
        ResourceVector fleetCapacity = ResourceVector.ZERO;
        for (Work w : works.values()) {
            describe(w);
            fleetCapacity = fleetCapacity.plus(w.capacity);
        }
        for (Work w : works.values()) {
            w.needs = new ArrayList<>();
            for (Step step : steps) {
                w.needs.add(need(w, step, works.size(), fleetCapacity, maintenance, current));
            }
            summarise(w, steps, now);
        }

        Map<String, Instant> lastChange = new HashMap<>(state.lastChangeAt());
        Map<String, Instant> eligibleSince = new HashMap<>(state.scaleInEligibleSince());
        planScaleOut(works, now, steps);
        for (Work w : works.values()) {
            planScaleIn(w, now, steps, lastChange, eligibleSince);
        }
        List<ProvisionalChange> documentChanges = admit(works, current.version(), now, lastChange, eligibleSince);

        Step first = steps.get(0);
        ProvisionalFleetState document = new ProvisionalFleetState(current, documentChanges,
                new PlanBasis(first.doc.timestamp(), first.doc.horizon(), current.version(), catalogueDigest,
                        slaDigest),
                overridesApplied(steps));
        List<ServiceDecision> decisions = works.values().stream().map(Work::decision).toList();
        return new Projection(document, decisions, new ProjectionState(lastChange, eligibleSince));
    }

    // ---------------------------------------------------------------- steps and needs

    /** One predicted state with the time span it stands for. */
    private record Step(PredictedFleetState doc, Instant start, Instant end) {
    }

    /** A service's requirement in one step, canonical units, headroom and maintenance included. */
    private record Need(ResourceVector atQuantile, ResourceVector upper, ResourceVector median, ResourceVector sigma,
            ResourceVector maintenance) {
    }

    private List<Step> steps(List<PredictedFleetState> predicted) {
        List<PredictedFleetState> sorted = predicted.stream().map(p -> Objects.requireNonNull(p, "predicted element"))
                .sorted(Comparator.comparing(ProjectionEngine::start)).toList();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            PredictedFleetState p = sorted.get(i);
            Instant start = start(p);
            Instant end = p.validUntil() != null ? p.validUntil()
                    : i + 1 < sorted.size() ? start(sorted.get(i + 1)) : start.plus(defaultStepLength);
            steps.add(new Step(p, start, end.isBefore(start) ? start : end));
        }
        return steps;
    }

    private static List<OverrideApplied> overridesApplied(List<Step> steps) {
        Set<OverrideApplied> applied = new LinkedHashSet<>();
        for (Step step : steps) {
            if (step.doc.overridesApplied() != null) {
                applied.addAll(step.doc.overridesApplied());
            }
        }
        return List.copyOf(applied);
    }

    /** The time to the loop's next decision a near-term step states, or the step's own length. */
    private static Duration decisionInterval(Step step) {
        Object d = step.doc.model().parameters() == null ? null
                : step.doc.model().parameters().get(ModelInfo.DECISION_INTERVAL);
        try {
            return d instanceof String text ? Duration.parse(text) : Duration.between(step.start, step.end);
        } catch (java.time.format.DateTimeParseException e) {
            return Duration.between(step.start, step.end);
        }
    }

    /** Whether a step's requirements are already at their SLA target's level (the loop's near-term forecast). */
    private static boolean calibrated(Step step) {
        return step.doc.model() != null && ModelInfo.NEAR_TERM.equals(step.doc.model().name());
    }

    private static Instant start(PredictedFleetState p) {
        return p.validFrom() != null ? p.validFrom() : p.timestamp();
    }

    private TierPolicy policy(Work w) {
        boolean listed = sla.services().stream().anyMatch(s -> s.service().equals(w.name));
        if (listed) {
            w.tier = sla.services().stream().filter(s -> s.service().equals(w.name)).findFirst().orElseThrow().tier();
            return sla.effectivePolicy(w.name);
        }
        if (w.state != null && sla.tiers().containsKey(w.state.slaTier())) {
            w.tier = w.state.slaTier();
        } else {
            w.tier = sla.defaultTier();
        }
        return sla.tiers().get(w.tier);
    }

    private void describe(Work w) {
        w.policy = policy(w);
        ResourceVector capacity = ResourceVector.ZERO;
        if (w.state != null) {
            for (InstanceGroup g : w.state.instanceGroups()) {
                ResourceVector per = ResourceVectors.of(g.capacityPerInstance());
                capacity = capacity.plus(per.times(g.count()));
                w.count += g.count();
                if (g.purchaseOption() == io.fleetpredict.core.document.PurchaseOption.SPOT) {
                    w.spotCores += per.cpuCores() * g.count();
                } else {
                    w.nonSpotCount += g.count();
                }
                w.totalCores += per.cpuCores() * g.count();
            }
        }
        w.capacity = capacity;
    }

    private Need need(Work w, Step step, int serviceCount, ResourceVector fleetCapacity, List<FleetEvent> maintenance,
            FleetState current) {
        List<ResourceRequirement> reqs;
        double[] share = {1, 1, 1, 1};
        if (step.doc.services() != null) {
            reqs = step.doc.services().stream().filter(s -> s.service().equals(w.name)).findFirst()
                    .map(ServiceRequirements::resourceRequirements).orElse(null);
            if (reqs == null) {
                return null;
            }
        } else {
            reqs = step.doc.resourceRequirements();
            for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
                double total = fleetCapacity.get(r);
                share[r] = total > 0 ? w.capacity.get(r) / total : 1.0 / serviceCount;
            }
        }
        // A calibrated requirement is already at the level the SLA target calls for: its quantity as it is,
        // with no quantile or headroom on top.
        boolean calibrated = calibrated(step);
        w.calibrated |= calibrated;
        double q = w.policy.forecastQuantile();
        double upperQ = Math.max(q, 0.99);
        double grow = calibrated ? 1 : 1 + w.policy.headroomFraction();
        double[] atQ = new double[4];
        double[] up = new double[4];
        double[] med = new double[4];
        double[] sig = new double[4];
        for (ResourceRequirement r : reqs) {
            int i = ResourceVectors.index(r.resourceType());
            if (calibrated) {
                atQ[i] = r.amount().inCanonicalUnit().amount() * share[i];
                up[i] = atQ[i];
            } else {
                atQ[i] = NormalQuantiles.at(r, q) * share[i] * grow;
                up[i] = NormalQuantiles.at(r, upperQ) * share[i] * grow;
            }
            med[i] = NormalQuantiles.at(r, 0.5) * share[i] * grow;
            sig[i] = NormalQuantiles.sigma(r) * share[i] * grow;
        }
        ResourceVector removed = maintenance(w, step, maintenance, current);
        return new Need(ResourceVectors.of(atQ).plus(removed), ResourceVectors.of(up).plus(removed),
                ResourceVectors.of(med).plus(removed), ResourceVectors.of(sig), removed);
    }

    /**
     * Capacity that maintenance overlapping the step takes from the service. Resources removed from
     * several services are shared in proportion to their capacity; removed instances are instances of
     * the service's average size.
     */
    private static ResourceVector maintenance(Work w, Step step, List<FleetEvent> maintenance, FleetState current) {
        double[] removed = new double[4];
        for (FleetEvent e : maintenance) {
            boolean overlaps = e.start().isBefore(step.end) && e.end().isAfter(step.start)
                    || step.start.equals(step.end) && !e.start().isAfter(step.start) && e.end().isAfter(step.start);
            if (!overlaps || !e.wholeFleet() && !e.scope().contains(w.name)) {
                continue;
            }
            if (e.expectedImpact().instancesRemoved() != null) {
                if (w.count > 0) {
                    ResourceVector average = ResourceVectors.scale(w.capacity,
                            (double) e.expectedImpact().instancesRemoved() / w.count);
                    add(removed, average);
                }
            } else {
                ResourceVector total = ResourceVectors.of(e.expectedImpact().capacityRemoved());
                ResourceVector inScope = ResourceVector.ZERO;
                int members = 0;
                for (ServiceState s : current.services()) {
                    if (e.wholeFleet() || e.scope().contains(s.name())) {
                        inScope = inScope.plus(capacityOf(s));
                        members++;
                    }
                }
                for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
                    double share = inScope.get(r) > 0 ? w.capacity.get(r) / inScope.get(r)
                            : members > 0 && w.state != null ? 1.0 / members : 0;
                    removed[r] += total.get(r) * share;
                }
            }
        }
        return ResourceVectors.of(removed);
    }

    private static void add(double[] into, ResourceVector v) {
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            into[r] += v.get(r);
        }
    }

    private static ResourceVector capacityOf(ServiceState s) {
        ResourceVector c = ResourceVector.ZERO;
        for (InstanceGroup g : s.instanceGroups()) {
            c = c.plus(ResourceVectors.of(g.capacityPerInstance()).times(g.count()));
        }
        return c;
    }

    private void summarise(Work w, List<Step> steps, Instant now) {
        ResourceVector req = ResourceVector.ZERO;
        ResourceVector maint = ResourceVector.ZERO;
        w.median = new double[4];
        w.sigma = new double[4];
        for (int i = 0; i < steps.size(); i++) {
            Need n = w.needs.get(i);
            if (n == null) {
                continue;
            }
            w.forecast = true;
            for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
                if (n.atQuantile.get(r) > req.get(r)) {
                    w.median[r] = n.median.get(r);
                    w.sigma[r] = n.sigma.get(r);
                }
            }
            if (w.calibrated && !steps.get(i).start.isBefore(now.plus(maxBootTime).plus(w.policy.leadTime())
                    .plus(decisionInterval(steps.get(i))))) {
                // A near-term step a launch made at the next cycle still serves in time: its capacity is bought then.
                continue;
            }
            req = ResourceVectors.max(req, n.atQuantile);
            maint = ResourceVectors.max(maint, n.maintenance);
            if (!ResourceVectors.fitsWithin(n.atQuantile, ResourceVectors.scale(w.capacity, 1 + EPS))) {
                if (w.firstShort < 0) {
                    w.firstShort = i;
                }
                w.lastShort = i;
            }
        }
        w.requirement = req;
        w.maintenance = maint;
        w.upper = ResourceVector.ZERO;
        Instant windowEnd = now.plus(w.policy.scaleInWindow());
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            boolean last = i == steps.size() - 1;
            // The near term reaches boot time plus cooldown: all of it must stay under what a release leaves.
            boolean inWindow = s.start.isBefore(windowEnd) && (s.end.isAfter(now) || last) || i == 0 || w.calibrated;
            if (inWindow) {
                Need n = w.needs.get(i);
                if (n == null) {
                    w.upperComplete = false;
                } else {
                    w.upper = ResourceVectors.max(w.upper, n.upper);
                }
            }
        }
        w.baseMissing = Math.max(0, w.policy.minOnDemandCount() - w.nonSpotCount);
    }

    // ---------------------------------------------------------------- scale-out

    private void planScaleOut(Map<String, Work> works, Instant now, List<Step> steps) {
        List<Work> short_ = works.values().stream()
                .filter(w -> w.forecast && (w.firstShort >= 0 || w.baseMissing > 0))
                .sorted(Comparator.comparingDouble((Work w) -> -w.policy.weight()).thenComparing(w -> w.name))
                .toList();
        if (short_.isEmpty()) {
            return;
        }
        List<ServiceDemand> demands = new ArrayList<>();
        for (Work w : short_) {
            TierPolicy p = w.policy;
            CapacityLimits limits = CapacityLimits.of(p.maxSpotShare(), w.baseMissing,
                    p.allowedInstanceFamilies() == null ? Set.of() : new LinkedHashSet<>(p.allowedInstanceFamilies()),
                    p.allowedRegions() == null ? Set.of() : new LinkedHashSet<>(p.allowedRegions()));
            // Shortfalls within rounding of the capacity are not worth an instance.
            ResourceVector missing = w.requirement.minusClamped(ResourceVectors.scale(w.capacity, 1 + EPS));
            demands.add(ServiceDemand.of(w.name, missing, limits,
                    penaltyPerWeight * p.weight()));
        }
        CapacityPlan plan = planner.plan(demands, offers, idle);
        for (int i = 0; i < short_.size(); i++) {
            Work w = short_.get(i);
            ServicePlan sp = plan.services().get(i);
            if (sp instanceof ServicePlan.Infeasible inf) {
                w.outcome = ServiceDecision.Outcome.INFEASIBLE;
                w.reason = inf.detail();
                LOG.warn("{}: no capacity plan within the SLA limits: {}", w.name, inf.detail());
                continue;
            }
            ServicePlan.Planned planned = (ServicePlan.Planned) sp;
            if (planned.lines().isEmpty()) {
                continue;
            }
            w.plan = planned;
            w.costPerHour = planned.expectedCostPerHour();
            w.riskRemoved = riskRemoved(w, planned.provided());
            w.reason = scaleOutReason(w);
            Step need = w.firstShort >= 0 ? steps.get(w.firstShort) : steps.get(0);
            Instant neededBy = max(now, w.firstShort >= 0 ? need.start.minus(w.policy.leadTime()) : now);
            Instant until = w.lastShort >= 0 ? steps.get(w.lastShort).end : steps.get(steps.size() - 1).end;
            for (PlanLine line : planned.lines()) {
                w.pending.add(scaleOutLine(w, line, neededBy, until, now));
            }
        }
    }

    private PendingChange scaleOutLine(Work w, PlanLine line, Instant neededBy, Instant until, Instant now) {
        String type;
        String region;
        io.fleetpredict.core.document.PurchaseOption option;
        Duration boot;
        if (line instanceof PlanLine.Purchase p) {
            type = p.offer().instanceType();
            region = p.offer().region();
            option = p.offer().purchaseOption() == PurchaseOption.SPOT
                    ? io.fleetpredict.core.document.PurchaseOption.SPOT
                    : io.fleetpredict.core.document.PurchaseOption.ON_DEMAND;
            boot = p.offer().bootTime();
        } else {
            PlanLine.Reuse r = (PlanLine.Reuse) line;
            type = r.source().instanceType();
            region = r.source().region();
            option = io.fleetpredict.core.document.PurchaseOption.RESERVED;
            boot = Duration.ZERO;
        }
        Instant launchAt = max(now, neededBy.minus(boot));
        double hours = Math.max(0, Duration.between(launchAt, until).toNanos() / 3.6e12);
        return new PendingChange(ChangeAction.SCALE_OUT, type, region, line.count(), option, line.capacity(),
                line.expectedCostPerHour(), neededBy, launchAt, line.expectedCostPerHour() * hours, 0, boot);
    }

    /** Weighted expected shortfall removed, each resource relative to its requirement. */
    private static double riskRemoved(Work w, ResourceVector added) {
        double risk = 0;
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            double need = w.requirement.get(r);
            if (need <= 0) {
                continue;
            }
            double before = NormalQuantiles.expectedShortfall(w.median[r], w.sigma[r], w.capacity.get(r));
            double after = NormalQuantiles.expectedShortfall(w.median[r], w.sigma[r], w.capacity.get(r) + added.get(r));
            risk += (before - after) / need;
        }
        return w.policy.weight() * risk;
    }

    private String scaleOutReason(Work w) {
        int worst = -1;
        double worstGap = 0;
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            double need = w.requirement.get(r);
            if (need > w.capacity.get(r) + EPS) {
                double gap = (need - w.capacity.get(r)) / need;
                if (worst < 0 || gap > worstGap) {
                    worst = r;
                    worstGap = gap;
                }
            }
        }
        TierPolicy p = w.policy;
        if (worst < 0) {
            return String.format(Locale.ROOT, "%s tier keeps at least %d on-demand instances, %d in service",
                    w.tier, p.minOnDemandCount(), w.nonSpotCount);
        }
        String maint = w.maintenance.get(worst) > 0
                ? String.format(Locale.ROOT, " and %s %s removed by maintenance", num(w.maintenance.get(worst)),
                        ResourceVectors.symbol(worst))
                : "";
        return String.format(Locale.ROOT, "%s tier: %s forecast plus %s%% headroom%s needs %s %s of %s, %s in service",
                w.tier, quantileName(p.forecastQuantile()), num(p.headroomFraction() * 100), maint,
                num(w.requirement.get(worst)), ResourceVectors.symbol(worst),
                ResourceVectors.type(worst).jsonName(), num(w.capacity.get(worst)));
    }

    // ---------------------------------------------------------------- scale-in

    private void planScaleIn(Work w, Instant now, List<Step> steps, Map<String, Instant> lastChange,
            Map<String, Instant> eligibleSince) {
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
        double keep = w.calibrated ? 1 : 1 - scaleInBand;
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
        List<InstanceGroup> groups = new ArrayList<>(w.state.instanceGroups());
        groups.sort(Comparator.comparingDouble((InstanceGroup g) -> -pricePerCore(g)));
        for (InstanceGroup g : groups) {
            ResourceVector per = ResourceVectors.of(g.capacityPerInstance());
            boolean spot = g.purchaseOption() == io.fleetpredict.core.document.PurchaseOption.SPOT;
            for (int k = g.count(); k >= 1; k--) {
                ResourceVector after = w.capacity.minusClamped(per.times(k));
                int nonSpotAfter = w.nonSpotCount - (spot ? 0 : k);
                double spotAfter = w.spotCores - (spot ? per.cpuCores() * k : 0);
                double totalAfter = w.totalCores - per.cpuCores() * k;
                if (ResourceVectors.fitsWithin(w.upper, ResourceVectors.scale(after, keep))
                        && nonSpotAfter >= w.policy.minOnDemandCount()
                        && spotAfter <= w.policy.maxSpotShare() * totalAfter + EPS) {
                    double price = pricePerHour(g);
                    String reason = String.format(Locale.ROOT,
                            "%s tier: upper forecast %s cores over the next %s stays below %s%% of the %s cores left "
                                    + "after removing %d %s",
                            w.tier, num(w.upper.cpuCores()), w.policy.scaleInWindow(), num(keep * 100),
                            num(after.cpuCores()), k, g.instanceType());
                    w.reason = reason;
                    w.pending.add(new PendingChange(ChangeAction.SCALE_IN, g.instanceType(), g.region(), k,
                            g.purchaseOption(), per.times(k), 0, now, now, 0, price * k, Duration.ZERO));
                    w.scaleIn = true;
                    return;
                }
            }
        }
        w.reason = "scale-in qualified but no instance group can shrink within the on-demand base and spot share";
    }

    private CapacityOffer offerFor(String type, String region, PurchaseOption option) {
        for (CapacityOffer o : offers) {
            if (o.instanceType().equals(type) && o.region().equals(region) && o.purchaseOption() == option) {
                return o;
            }
        }
        return null;
    }

    /** The catalogue price of one instance of a group per hour; 0 for reserved or unknown types. */
    private double pricePerHour(InstanceGroup g) {
        if (g.purchaseOption() == io.fleetpredict.core.document.PurchaseOption.RESERVED) {
            return 0;
        }
        CapacityOffer o = offerFor(g.instanceType(), g.region(),
                g.purchaseOption() == io.fleetpredict.core.document.PurchaseOption.SPOT
                        ? PurchaseOption.SPOT : PurchaseOption.ON_DEMAND);
        return o == null ? 0 : o.pricePerHour();
    }

    private double pricePerCore(InstanceGroup g) {
        double cores = ResourceVectors.of(g.capacityPerInstance()).cpuCores();
        return cores > 0 ? pricePerHour(g) / cores : pricePerHour(g);
    }

    // ---------------------------------------------------------------- priority, budget, document

    private List<ProvisionalChange> admit(Map<String, Work> works, long version, Instant now,
            Map<String, Instant> lastChange, Map<String, Instant> eligibleSince) {
        List<Work> outs = works.values().stream().filter(w -> w.plan != null && !w.pending.isEmpty())
                .sorted(RANK).toList();
        List<Work> ins = works.values().stream().filter(w -> w.scaleIn)
                .sorted(Comparator.comparingDouble((Work w) -> -w.pending.get(0).savingPerHour)
                        .thenComparing(w -> w.name))
                .toList();
        double spent = 0;
        int used = 0;
        int priority = 0;
        List<ProvisionalChange> written = new ArrayList<>();
        for (Work w : outs) {
            priority++;
            int lines = w.pending.size();
            String deferred = null;
            if (spent + w.costPerHour > budgetPerHour + EPS) {
                deferred = String.format(Locale.ROOT,
                        "over budget: costs %s per hour, %s of the %s budget per hour is left after higher "
                                + "priority changes", num(w.costPerHour), num(Math.max(0, budgetPerHour - spent)),
                        num(budgetPerHour));
            } else if (used + lines > maxChangesPerCycle) {
                deferred = changeLimitReason(lines, used);
            } else {
                spent += w.costPerHour;
                used += lines;
            }
            write(w, priority, deferred, version, written, now, lastChange);
        }
        for (Work w : ins) {
            priority++;
            String deferred = used + 1 > maxChangesPerCycle ? changeLimitReason(1, used) : null;
            if (deferred == null) {
                used++;
                eligibleSince.remove(w.name);
            }
            write(w, priority, deferred, version, written, now, lastChange);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("fleet version {}: {} changes, {} per hour of the {} budget, {} of {} changes per cycle",
                    version, written.size(), spent, budgetPerHour, used, maxChangesPerCycle);
        }
        return written;
    }

    private String changeLimitReason(int lines, int used) {
        return String.format(Locale.ROOT,
                "change limit: needs %d changes, %d of the %d changes allowed per cycle are left", lines,
                Math.max(0, maxChangesPerCycle - used), maxChangesPerCycle);
    }

    private static final Comparator<Work> RANK = Comparator.comparingDouble((Work w) -> -w.policy.weight())
            .thenComparingDouble(w -> w.riskRemoved > 0 ? w.costPerHour / w.riskRemoved : Double.POSITIVE_INFINITY)
            .thenComparing(w -> w.name);

    private static void write(Work w, int priority, String deferred, long version, List<ProvisionalChange> written,
            Instant now, Map<String, Instant> lastChange) {
        for (PendingChange p : w.pending) {
            String id = String.format(Locale.ROOT, "chg-%d-%d", version, written.size() + 1);
            ProvisionalChange change = new ProvisionalChange(id, w.name, p.action, p.instanceType, p.region, p.count,
                    p.option, ResourceVectors.amounts(p.delta), priority, w.reason, p.costPerHour, p.totalCost,
                    p.neededBy, p.launchAt, deferred == null ? ChangeStatus.PROPOSED : ChangeStatus.DEFERRED, deferred);
            written.add(change);
            w.changes.add(new ProjectedChange(change, p.totalCost, p.savingPerHour, p.boot));
        }
        if (deferred == null) {
            lastChange.put(w.name, now);
            w.outcome = w.scaleIn ? ServiceDecision.Outcome.SCALE_IN : ServiceDecision.Outcome.SCALE_OUT;
        } else {
            w.outcome = ServiceDecision.Outcome.DEFERRED;
            w.reason = w.reason + "; deferred: " + deferred;
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static String num(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return new BigDecimal(v).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    static String quantileName(double q) {
        return "p" + num(q * 100);
    }

    /** A change before it gets its id, priority and status. */
    private record PendingChange(ChangeAction action, String instanceType, String region, int count,
            io.fleetpredict.core.document.PurchaseOption option, ResourceVector delta, double costPerHour,
            Instant neededBy, Instant launchAt, double totalCost, double savingPerHour, Duration boot) {
    }

    /** Working figures for one service during one projection. */
    private static final class Work {
        final String name;
        final ServiceState state;
        String tier;
        TierPolicy policy;
        ResourceVector capacity = ResourceVector.ZERO;
        int count;
        int nonSpotCount;
        double spotCores;
        double totalCores;
        List<Need> needs;
        boolean forecast;
        boolean upperComplete = true;
        boolean calibrated;
        ResourceVector requirement = ResourceVector.ZERO;
        ResourceVector upper = ResourceVector.ZERO;
        ResourceVector maintenance = ResourceVector.ZERO;
        double[] median;
        double[] sigma;
        int firstShort = -1;
        int lastShort = -1;
        int baseMissing;
        ServicePlan.Planned plan;
        double costPerHour;
        double riskRemoved;
        boolean scaleIn;
        final List<PendingChange> pending = new ArrayList<>();
        final List<ProjectedChange> changes = new ArrayList<>();
        ServiceDecision.Outcome outcome;
        String reason;

        Work(String name, ServiceState state) {
            this.name = name;
            this.state = state;
        }

        ServiceDecision decision() {
            ServiceDecision.Outcome o = outcome != null ? outcome : ServiceDecision.Outcome.STEADY;
            String r = reason != null ? reason : "capacity covers the requirement";
            return new ServiceDecision(name, tier, policy.weight(), requirement, upper, capacity, maintenance, o, r,
                    changes);
        }
    }

    /** Builds a {@link ProjectionEngine}. */
    public static final class Builder {

        private SlaPolicies sla = SlaDefaults.policies();
        private List<CapacityOffer> offers;
        private List<ExistingCapacity> idle = List.of();
        private double budgetPerHour = Double.POSITIVE_INFINITY;
        private int maxChangesPerCycle = 50;
        private double scaleInBand = 0.1;
        private Duration defaultStepLength = Duration.ofHours(1);
        private double penaltyPerWeight = 0.01;
        private CapacityPlanner planner = CapacityPlanner.builder().build();
        private Clock clock = Clock.systemUTC();
        private String catalogueSource;
        private String slaPoliciesSource;

        private Builder() {
        }

        /**
         * Sets the SLA policies. Default: {@link SlaDefaults#policies()}.
         *
         * @param policies the policies
         * @return this builder
         */
        public Builder slaPolicies(SlaPolicies policies) {
            this.sla = Objects.requireNonNull(policies, "policies");
            return this;
        }

        /**
         * Sets the offers capacity may be bought from (see {@link CapacityOffers}). Required.
         *
         * @param offers the offers
         * @return this builder
         */
        public Builder offers(List<CapacityOffer> offers) {
            this.offers = List.copyOf(offers);
            return this;
        }

        /**
         * Sets idle owned or reserved capacity, used before anything is bought. Default: none.
         *
         * @param idle the idle capacity
         * @return this builder
         */
        public Builder idleCapacity(List<ExistingCapacity> idle) {
            this.idle = List.copyOf(idle);
            return this;
        }

        /**
         * Sets the largest hourly cost the scale-outs of one cycle may add. Default: unlimited.
         *
         * @param budgetPerHour a non-negative amount, or positive infinity
         * @return this builder
         */
        public Builder budgetPerHour(double budgetPerHour) {
            if (Double.isNaN(budgetPerHour) || budgetPerHour < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "budgetPerHour must be >= 0, was %s", budgetPerHour));
            }
            this.budgetPerHour = budgetPerHour;
            return this;
        }

        /**
         * Sets how many changes (document entries) one cycle may propose. Default: 50.
         *
         * @param maxChangesPerCycle a positive count
         * @return this builder
         */
        public Builder maxChangesPerCycle(int maxChangesPerCycle) {
            if (maxChangesPerCycle <= 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "maxChangesPerCycle must be > 0, was %d", maxChangesPerCycle));
            }
            this.maxChangesPerCycle = maxChangesPerCycle;
            return this;
        }

        /**
         * Sets the hysteresis band: a scale-in must leave the upper requirement below
         * {@code (1 - band)} of the remaining capacity. Default: 0.1.
         *
         * @param band a fraction in [0, 1)
         * @return this builder
         */
        public Builder scaleInBand(double band) {
            if (!(band >= 0 && band < 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "scaleInBand must be in [0, 1), was %s", band));
            }
            this.scaleInBand = band;
            return this;
        }

        /**
         * Sets how long the last predicted step lasts when it has no {@code valid_until}. Default: one hour.
         *
         * @param length a positive duration
         * @return this builder
         */
        public Builder defaultStepLength(Duration length) {
            if (length == null || length.isZero() || length.isNegative()) {
                throw new IllegalArgumentException("defaultStepLength must be positive, was " + length);
            }
            this.defaultStepLength = length;
            return this;
        }

        /**
         * Sets the cost per hour of running short, per unit of SLA weight, that makes spot capacity
         * dearer for important services (see {@link CapacityOffer#expectedCostPerHour(double)}). Default: 0.01.
         *
         * @param penaltyPerWeight a finite, non-negative amount
         * @return this builder
         */
        public Builder interruptionPenaltyPerWeight(double penaltyPerWeight) {
            if (!Double.isFinite(penaltyPerWeight) || penaltyPerWeight < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "interruptionPenaltyPerWeight must be finite and >= 0, was %s", penaltyPerWeight));
            }
            this.penaltyPerWeight = penaltyPerWeight;
            return this;
        }

        /**
         * Sets the capacity planner. Default: {@code CapacityPlanner.builder().build()}.
         *
         * @param planner the planner
         * @return this builder
         */
        public Builder planner(CapacityPlanner planner) {
            this.planner = Objects.requireNonNull(planner, "planner");
            return this;
        }

        /**
         * Sets the clock that says what time it is. Default: the UTC system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Names where the offers came from (for example a catalogue file name), written as the
         * {@code source} of the basis's {@code catalogue}. Default: none.
         *
         * @param source a non-blank name, or {@code null} for none
         * @return this builder
         */
        public Builder catalogueSource(String source) {
            this.catalogueSource = source(source, "catalogueSource");
            return this;
        }

        /**
         * Names where the SLA policies came from (for example a file name), written as the
         * {@code source} of the basis's {@code sla_policies}. Default: none.
         *
         * @param source a non-blank name, or {@code null} for none
         * @return this builder
         */
        public Builder slaPoliciesSource(String source) {
            this.slaPoliciesSource = source(source, "slaPoliciesSource");
            return this;
        }

        private static String source(String source, String name) {
            if (source != null && source.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank, was \"" + source + "\"");
            }
            return source;
        }

        /**
         * Builds the engine.
         *
         * @return an immutable, thread-safe engine
         * @throws IllegalStateException if no offers were set
         */
        public ProjectionEngine build() {
            if (offers == null) {
                throw new IllegalStateException("offers must be set");
            }
            return new ProjectionEngine(this);
        }
    }
}
