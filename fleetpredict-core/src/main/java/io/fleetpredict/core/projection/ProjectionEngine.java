package io.fleetpredict.core.projection;

import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InputDigest;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.SlaPolicies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
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

    // The work is split along the steps of a projection, each its own package-private class:
    // requirements, scale-out, scale-in, ranking under the budget, and the document.
    private final RequirementCalculator requirements;
    private final ScaleOutPlanner scaleOut;
    private final ScaleInPolicy scaleIn;
    private final ChangeRanker ranker;
    private final ProvisionalDocumentWriter writer;
    private final double budgetPerHour;
    private final double budgetPerCycle;
    private final int maxChangesPerCycle;
    private final Duration cycle;
    private final Duration defaultStepLength;
    private final Clock clock;

    private ProjectionEngine(Builder b) {
        List<CapacityOffer> offers = List.copyOf(b.offers);
        this.requirements = new RequirementCalculator(b.sla, offers);
        this.scaleOut = new ScaleOutPlanner(offers, List.copyOf(b.idle), b.planner, b.penaltyPerWeight, LOG);
        this.scaleIn = new ScaleInPolicy(offers, b.scaleInBand, LOG);
        this.writer = new ProvisionalDocumentWriter(CapacityOffers.digest(offers).withSource(b.catalogueSource),
                InputDigest.of(b.sla).withSource(b.slaPoliciesSource));
        this.budgetPerHour = b.budgetPerHour;
        this.budgetPerCycle = Double.POSITIVE_INFINITY;
        this.maxChangesPerCycle = b.maxChangesPerCycle;
        this.cycle = b.cycle;
        this.ranker = new ChangeRanker(budgetPerHour, budgetPerCycle, cycle, maxChangesPerCycle, writer, LOG);
        this.defaultStepLength = b.defaultStepLength;
        this.clock = b.clock;
    }

    private ProjectionEngine(ProjectionEngine base, double budgetPerHour, double budgetPerCycle, Duration cycle) {
        this.requirements = base.requirements;
        this.scaleOut = base.scaleOut;
        this.scaleIn = base.scaleIn;
        this.writer = base.writer;
        this.budgetPerHour = budgetPerHour;
        this.budgetPerCycle = budgetPerCycle;
        this.maxChangesPerCycle = base.maxChangesPerCycle;
        this.cycle = cycle;
        this.ranker = new ChangeRanker(budgetPerHour, budgetPerCycle, cycle, maxChangesPerCycle, writer, LOG);
        this.defaultStepLength = base.defaultStepLength;
        this.clock = base.clock;
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
     * The largest hourly cost the scale-outs of one cycle may add (see {@link Builder#budgetPerHour(double)}),
     * unless a {@linkplain #withBudgetPerCycle(double) budget per cycle} holds them to less.
     *
     * @return a non-negative amount, or positive infinity when unlimited
     */
    public double budgetPerHour() {
        return budgetPerHour;
    }

    /**
     * Returns an engine that is this one but for its hourly budget. A predictor that gates the plan
     * against a cost threshold per hour gives its engine that threshold this way, so that the changes
     * are ranked under the same budget the gate then applies.
     *
     * @param budgetPerHour a non-negative amount, or positive infinity
     * @return this engine when the budget is the same, otherwise a new engine
     * @throws IllegalArgumentException if {@code budgetPerHour} is negative or NaN
     */
    public ProjectionEngine withBudgetPerHour(double budgetPerHour) {
        Builder.checkBudget(budgetPerHour);
        return Double.compare(budgetPerHour, this.budgetPerHour) == 0 ? this
                : new ProjectionEngine(this, budgetPerHour, budgetPerCycle, cycle);
    }

    /**
     * Returns an engine that is this one but for a budget per cycle on top of the hourly one: the scale-outs
     * of one cycle may then add no more than the tighter of its budget per hour and this amount over its
     * cycle's hours, and a change deferred for the budget gives its reason per cycle when that is the tighter.
     * A predictor whose cost gate has a threshold per cycle gives its engine that threshold this way.
     *
     * @param budgetPerCycle a non-negative amount, or positive infinity for none
     * @return this engine when the budget is the same, otherwise a new engine
     * @throws IllegalArgumentException if {@code budgetPerCycle} is negative or NaN
     */
    public ProjectionEngine withBudgetPerCycle(double budgetPerCycle) {
        if (Double.isNaN(budgetPerCycle) || budgetPerCycle < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "budgetPerCycle must be >= 0, was %s", budgetPerCycle));
        }
        return Double.compare(budgetPerCycle, this.budgetPerCycle) == 0 ? this
                : new ProjectionEngine(this, budgetPerHour, budgetPerCycle, cycle);
    }

    /**
     * The scheduler cycle the budget is spent in (see {@link Builder#cycle(Duration)}).
     *
     * @return a positive duration
     */
    public Duration cycle() {
        return cycle;
    }

    /**
     * Returns an engine that is this one but for its cycle. A predictor gives its engine its own cycle this
     * way, so that the budget is charged with the changes its cost gate weighs in the same cycle.
     *
     * @param cycle a positive duration
     * @return this engine when the cycle is the same, otherwise a new engine
     * @throws IllegalArgumentException if {@code cycle} is zero or negative
     */
    public ProjectionEngine withCycle(Duration cycle) {
        Builder.checkCycle(cycle);
        return cycle.equals(this.cycle) ? this : new ProjectionEngine(this, budgetPerHour, budgetPerCycle, cycle);
    }

    /**
     * Projects one predicted fleet state, taking maintenance from an event feed.
     *
     * @param predicted the predicted fleet state
     * @param current the current fleet state
     * @param events the event feed; only maintenance events are used
     * @param state the stability state of the previous cycle, or {@link ProjectionState#empty()}
     * @return the projection
     * @throws IllegalArgumentException if {@code predicted} names a fleet other than {@code current}'s
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
     * @throws IllegalArgumentException if {@code predicted} is empty, or a predicted state names a fleet other
     *     than {@code current}'s
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
        for (int i = 0; i < predicted.size(); i++) {
            String fleetId = predicted.get(i).fleetId();
            if (fleetId != null && !fleetId.equals(current.fleetId())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "predicted[%d]: is for fleet \"%s\", not for the current fleet \"%s\"", i, fleetId,
                        current.fleetId()));
            }
        }
        Instant now = clock.instant();
        List<ForecastStep> steps = ForecastStep.of(predicted, defaultStepLength);
        Map<String, ServiceWork> works = requirements.works(steps, current, events, now);

        Map<String, Instant> lastChange = new HashMap<>(state.lastChangeAt());
        Map<String, Instant> eligibleSince = new HashMap<>(state.scaleInEligibleSince());
        scaleOut.plan(works.values(), now, steps);
        for (ServiceWork w : works.values()) {
            scaleIn.plan(w, now, lastChange, eligibleSince);
        }
        List<ProvisionalChange> changes = ranker.admit(works.values(), current.version(), now, lastChange,
                eligibleSince);

        ProvisionalFleetState document = writer.document(current, works.values(), changes, steps);
        List<ServiceDecision> decisions = works.values().stream().map(ServiceWork::decision).toList();
        return new Projection(document, decisions, new ProjectionState(lastChange, eligibleSince));
    }

    /** Builds a {@link ProjectionEngine}. */
    public static final class Builder {

        private SlaPolicies sla = SlaDefaults.policies();
        private @Nullable List<CapacityOffer> offers;
        private List<ExistingCapacity> idle = List.of();
        private double budgetPerHour = Double.POSITIVE_INFINITY;
        private int maxChangesPerCycle = 50;
        private Duration cycle = Duration.ofMinutes(5);
        private double scaleInBand = 0.1;
        private Duration defaultStepLength = Duration.ofHours(1);
        private double penaltyPerWeight = 0.01;
        private CapacityPlanner planner = CapacityPlanner.builder().build();
        private Clock clock = Clock.systemUTC();
        private @Nullable String catalogueSource;
        private @Nullable String slaPoliciesSource;

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
         * <p>This is the same budget as a cost gate's threshold per hour. For an engine run by a
         * {@code FleetPredictor}, leave it unset and give the threshold there: the predictor hands it to
         * the engine (see {@link ProjectionEngine#withBudgetPerHour(double)}).
         *
         * @param budgetPerHour a non-negative amount, or positive infinity
         * @return this builder
         */
        public Builder budgetPerHour(double budgetPerHour) {
            this.budgetPerHour = checkBudget(budgetPerHour);
            return this;
        }

        private static double checkBudget(double budgetPerHour) {
            if (Double.isNaN(budgetPerHour) || budgetPerHour < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "budgetPerHour must be >= 0, was %s", budgetPerHour));
            }
            return budgetPerHour;
        }

        /**
         * Sets how often the scheduler runs a cycle: the changes of a service with a scale-out launching
         * before now plus the cycle are due in this cycle, and only those services are charged against the
         * budget, whole, as the cost gate weighs them; the others are proposed without being charged, and
         * the gate weighs them in the cycle they fall due. Default: five minutes, the cost gate's default.
         *
         * <p>For an engine run by a {@code FleetPredictor}, the predictor gives the engine its cycle (see
         * {@link ProjectionEngine#withCycle(Duration)}).
         *
         * @param cycle a positive duration
         * @return this builder
         */
        public Builder cycle(Duration cycle) {
            this.cycle = checkCycle(cycle);
            return this;
        }

        private static Duration checkCycle(Duration cycle) {
            Objects.requireNonNull(cycle, "cycle");
            if (cycle.isZero() || cycle.isNegative()) {
                throw new IllegalArgumentException("cycle must be positive, was " + cycle);
            }
            return cycle;
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
