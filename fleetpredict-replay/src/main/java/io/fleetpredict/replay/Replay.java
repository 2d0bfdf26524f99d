package io.fleetpredict.replay;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Replays a demand trace against provisioning policies and scores each on cost and SLA violations.
 *
 * <p>The engine walks the trace one step at a time. At the start of each scored step it asks the
 * policy for the number of active instances it wants, showing it only the demand of earlier steps;
 * it launches or releases the difference, and scores the step. A launched instance bills from its
 * launch and serves from launch plus the boot time, which may fall inside a step: capacity is then
 * piecewise constant within that step. A boot time within a billionth of a step of a whole number of steps
 * is taken as that number, so one of under a billionth of a step serves from the step of its launch. Releases take booting instances first (newest first), then
 * ready ones, and stop billing at once. At the first scored step the fleet the policy asks for is
 * taken as already running, so no policy pays for a cold start.
 *
 * <p>For the reference policies the capacity and cost model lives in the engine on primitive arrays
 * rather than in calls to a {@link io.fleetpredict.cloud.CloudProvider}, so that a sweep of dozens of
 * replays over 125,000 steps runs in seconds; its accounting matches the simulated cloud's (a test drives
 * both with the same decisions). The library's own loop, {@link FleetLoop}, runs the real
 * {@code FleetPredictor} against the simulated cloud and is scored on what that cloud ran. Prices and
 * boot time come from an {@link Offer}.
 *
 * <p>Immutable and thread-safe; replays of different policies may run concurrently.
 */
public final class Replay {

    private final TimeSeries trace;
    private final double[] demand;
    private final double perInstance;
    private final Duration bootTime;
    private final double pricePerHour;
    private final int firstStep;

    private Replay(Builder b, TimeSeries trace, Duration bootTime) {
        this.trace = trace;
        this.demand = trace.values();
        this.perInstance = b.perInstance;
        this.bootTime = bootTime;
        this.pricePerHour = b.pricePerHour;
        Duration warmUp = b.warmUp == null ? DEFAULT_WARM_UP : b.warmUp;
        this.firstStep = wholeSteps(warmUp, b.warmUp != null, trace);
    }

    /**
     * The whole steps of {@code trace} a warm-up covers.
     *
     * @param given whether the caller gave it; the default is cut down to whole steps rather than refused
     * @throws InvalidWarmUpException if it covers the whole trace, or was given and ends inside a step
     */
    private static int wholeSteps(Duration warmUp, boolean given, TimeSeries trace) {
        Duration step = trace.step();
        // Divided as durations: a warm-up of centuries has more nanoseconds than a long holds.
        long warm = warmUp.dividedBy(step);
        if (warm >= trace.size()) {
            throw InvalidWarmUpException.coversTrace(warmUp, step, trace.size());
        }
        // A warm-up ending inside a step would make that step half history, half scored: cutting it either way
        // would score a span the caller did not ask for. The default is the exception, documented as cut down.
        Duration whole = step.multipliedBy(warm);
        if (given && !whole.equals(warmUp)) {
            throw InvalidWarmUpException.notWholeSteps(warmUp, step, trace.size(),
                    warm + 1 < trace.size() ? List.of(whole, whole.plus(step)) : List.of(whole));
        }
        return (int) warm;
    }

    /**
     * Starts building a replay.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the whole trace, warm-up included */
    public TimeSeries trace() {
        return trace;
    }

    /** @return the index of the first scored step */
    public int firstStep() {
        return firstStep;
    }

    /** @return the requests one instance serves per step */
    public double perInstance() {
        return perInstance;
    }

    /** @return the time from launch until an instance serves */
    public Duration bootTime() {
        return bootTime;
    }

    /** @return the price of one instance per hour */
    public double pricePerHour() {
        return pricePerHour;
    }

    /**
     * The scored demand: the trace after the warm-up.
     *
     * @return the series
     */
    public TimeSeries scoredDemand() {
        return trace.slice(firstStep, trace.size());
    }

    /**
     * Replays several policies, in parallel where cores allow, each on its own.
     *
     * @param policies the policies
     * @return one result per policy, in order
     * @throws OversizedFleetException if a policy needs more instances than any fleet can have, and no policy
     *     before it in the list failed otherwise
     */
    public List<ReplayResult> runAll(List<? extends ReplayPolicy> policies) {
        return runAll(policies, ReplayProgress.NONE);
    }

    /**
     * Replays several policies, in parallel where cores allow, each on its own, telling {@code progress}
     * of the steps walked as they are.
     *
     * @param policies the policies
     * @param progress told of the steps walked, from the replaying threads
     * @return one result per policy, in order
     * @throws RuntimeException the first failing policy's exception, in the list's order, as that policy's
     *     {@link #run(ReplayPolicy, ReplayProgress)} threw it; an {@link OversizedFleetException} among them
     */
    public List<ReplayResult> runAll(List<? extends ReplayPolicy> policies, ReplayProgress progress) {
        Objects.requireNonNull(progress, "progress");
        List<Object> outcomes = outcomes(policies, p -> progress);
        List<ReplayResult> results = new ArrayList<>(outcomes.size());
        for (Object o : outcomes) {
            if (o instanceof RuntimeException e) {
                throw e;
            }
            results.add((ReplayResult) o);
        }
        return results;
    }

    /**
     * Replays several policies as {@link #runAll(List, ReplayProgress)} does, answering for a policy that needs
     * more instances than any fleet can have where it needed them, so that the other policies of a sweep keep
     * their results.
     *
     * @param policies the policies
     * @param progress told of the steps walked, from the replaying threads
     * @return one outcome per policy, in order: a {@link ReplayResult} or an {@link OversizedFleet}
     * @throws RuntimeException the first policy's exception, in the list's order, that is not an
     *     {@link OversizedFleetException}, as that policy's {@link #run(ReplayPolicy, ReplayProgress)} threw it
     */
    public List<ReplayOutcome> runEach(List<? extends ReplayPolicy> policies, ReplayProgress progress) {
        Objects.requireNonNull(progress, "progress");
        return runEachReporting(policies, p -> progress);
    }

    /**
     * Replays several policies as {@link #runEach(List, ReplayProgress)} does, each policy's replay telling its
     * steps to the progress {@code progressOf} gives for it: a display can then tell apart policies whose steps
     * cost very different times (a step of the library's loop is a whole cycle, a reference policy's a few
     * microseconds), which one count of all steps cannot.
     *
     * @param policies the policies
     * @param progressOf the progress of each policy's replay, asked once per policy before it runs
     * @return one outcome per policy, in order: a {@link ReplayResult} or an {@link OversizedFleet}
     * @throws RuntimeException as {@link #runEach(List, ReplayProgress)} throws
     */
    public List<ReplayOutcome> runEachReporting(List<? extends ReplayPolicy> policies,
            Function<? super ReplayPolicy, ? extends ReplayProgress> progressOf) {
        Objects.requireNonNull(progressOf, "progressOf");
        List<Object> outcomes = outcomes(policies, progressOf);
        List<ReplayOutcome> out = new ArrayList<>(outcomes.size());
        for (Object o : outcomes) {
            if (o instanceof OversizedFleetException e) {
                out.add(e.fleet());
            } else if (o instanceof RuntimeException e) {
                throw e;
            } else {
                out.add((ReplayResult) o);
            }
        }
        return out;
    }

    /** Each policy's result or the exception its replay threw, in the list's order. */
    private List<Object> outcomes(List<? extends ReplayPolicy> policies,
            Function<? super ReplayPolicy, ? extends ReplayProgress> progressOf) {
        Objects.requireNonNull(policies, "policies");
        // Failures are carried back rather than thrown in the pool: a parallel stream rethrows a worker's
        // exception as a copy whose message starts with the original's class name, and whichever failed first.
        return policies.parallelStream().<Object>map(p -> {
            try {
                return run(p, Objects.requireNonNull(progressOf.apply(p), "progressOf answered null"));
            } catch (RuntimeException e) {
                return e;
            }
        }).collect(Collectors.toList());
    }

    /**
     * The steps a replay of the policy walks: the library's loop runs through the warm-up too, so it walks
     * the whole trace; a {@link ProvisioningPolicy} walks the scored steps only.
     *
     * @param policy the policy
     * @return the number of steps {@link #run(ReplayPolicy, ReplayProgress)} reports in all
     */
    public int steps(ReplayPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return policy instanceof FleetLoop ? demand.length : demand.length - firstStep;
    }

    /**
     * Replays one policy or the library's loop.
     *
     * @param policy the policy
     * @return its result
     * @throws OversizedFleetException if the policy needs more instances than any fleet can have, naming the
     *     step and the count
     */
    public ReplayResult run(ReplayPolicy policy) {
        return run(policy, ReplayProgress.NONE);
    }

    /**
     * Replays one policy or the library's loop, telling {@code progress} of the steps walked.
     *
     * @param policy the policy
     * @param progress told of the steps walked, {@link #steps(ReplayPolicy)} in all (when a policy needs more
     *     instances than any fleet can have, the steps it did not walk are reported before the exception)
     * @return its result
     * @throws OversizedFleetException if the policy needs more instances than any fleet can have, naming the
     *     step and the count
     */
    public ReplayResult run(ReplayPolicy policy, ReplayProgress progress) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(progress, "progress");
        java.util.concurrent.atomic.AtomicInteger walked = new java.util.concurrent.atomic.AtomicInteger();
        ReplayProgress counted = steps -> {
            walked.addAndGet(steps);
            progress.advanced(steps);
        };
        try {
            return policy instanceof FleetLoop loop ? loop.run(this, counted) : run((ProvisioningPolicy) policy, counted);
        } catch (OversizedFleetException e) {
            // The policy's outcome is settled: the steps it will not walk are reported, so a display reaches its total.
            int rest = steps(policy) - walked.get();
            if (rest > 0) {
                progress.advanced(rest);
            }
            throw e;
        }
    }

    /**
     * Replays one policy that answers a fleet size at each step.
     *
     * @param policy the policy
     * @return its result
     * @throws IllegalStateException if the policy asks for a negative number of instances
     * @throws OversizedFleetException if the policy needs more instances than any fleet can have, naming the
     *     step and the count (a reference policy with a large headroom or a small target can)
     * @throws IllegalArgumentException if the policy cannot run on this replay, such as a static policy on a
     *     replay without warm-up
     */
    public ReplayResult run(ProvisioningPolicy policy) {
        return run(policy, ReplayProgress.NONE);
    }

    private ReplayResult run(ProvisioningPolicy policy, ReplayProgress progress) {
        Objects.requireNonNull(policy, "policy");
        // The result carries the name: a missing one would otherwise surface only after the whole replay.
        String name = Objects.requireNonNull(policy.name(), "policy.name()");
        StepCounter counter = new StepCounter(progress, REFERENCE_BATCH);
        int n = demand.length;
        ReplayContext context = new ReplayContext(trace.start(), trace.step(), perInstance, bootTime, firstStep, n, this);
        FleetSizer sizer = Objects.requireNonNull(policy.start(context), () -> "policy " + name + " started no sizer");
        double stepMinutes = trace.step().toNanos() / 60e9;
        double stepHours = stepMinutes / 60;
        double boot = context.bootSteps();
        int k = (int) Math.floor(boot + 1e-9);
        double f = boot - k;
        boolean partial = f > 1e-9;
        // Steps after launch at whose start an instance is fully ready.
        int fullSteps = partial ? k + 1 : k;
        int[] booting = new int[n];
        int scored = n - firstStep;
        double[] readyTrace = new double[scored];
        int[] activeTrace = new int[scored];
        View view = new View(demand, trace.start(), trace.step());

        int ready = 0;
        int active = 0;
        int actions = 0;
        double instanceSteps = 0;
        Tally tally = new Tally(perInstance);
        for (int s = firstStep; s < n; s++) {
            int promoted = s - fullSteps;
            if (promoted >= firstStep) {
                ready += booting[promoted];
                booting[promoted] = 0;
            }
            view.at(s, ready, active);
            int desired = sizer.desiredInstances(view);
            if (desired < 0) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "policy %s asked for %d instances at step %d", name, desired, s));
            }
            if (s == firstStep) {
                ready = desired;
                active = desired;
            } else if (desired > active) {
                if (fullSteps == 0) {
                    // A boot rounded to no step serves from its launch, as one of k whole steps serves k steps on;
                    // left among the booting, it would never be promoted (the promotion at this step has passed).
                    ready += desired - active;
                } else {
                    booting[s] += desired - active;
                }
                active = desired;
                actions++;
            } else if (desired < active) {
                int release = active - desired;
                for (int t = s; t > s - fullSteps && t >= firstStep && release > 0; t--) {
                    int r = Math.min(release, booting[t]);
                    booting[t] -= r;
                    release -= r;
                }
                ready -= release;
                active = desired;
                actions++;
            }
            double d = demand[s];
            instanceSteps += active;
            activeTrace[s - firstStep] = active;
            if (partial) {
                // Instances launched k steps ago become ready a fraction f into this step.
                int late = s - k >= firstStep ? booting[s - k] : 0;
                readyTrace[s - firstStep] = ready + (1 - f) * late;
                tally.add(f, ready, d);
                tally.add(1 - f, ready + late, d);
            } else {
                readyTrace[s - firstStep] = ready;
                tally.add(1, ready, d);
            }
            tally.total += d;
            counter.step();
        }
        counter.flush();
        double instanceHours = instanceSteps * stepHours;
        Scores scores = tally.scores(instanceHours * pricePerHour, scored, stepMinutes, actions, instanceHours);
        return new ReplayResult(name, scores, trace.timeAt(firstStep), trace.step(), readyTrace, activeTrace);
    }

    /** Steps of a reference policy reported at once: such a replay walks thousands of steps a millisecond. */
    private static final int REFERENCE_BATCH = 4096;

    /** Counts a replay's steps and reports them to its progress in batches. */
    static final class StepCounter {
        private final ReplayProgress progress;
        private final int batch;
        private int pending;

        StepCounter(ReplayProgress progress, int batch) {
            this.progress = progress;
            this.batch = batch;
        }

        void step() {
            if (++pending == batch) {
                flush();
            }
        }

        void flush() {
            if (pending > 0) {
                progress.advanced(pending);
                pending = 0;
            }
        }
    }

    /** Sums of one replay's step scores; a part of a step of weight {@code w} has constant capacity. */
    static final class Tally {
        private final double perInstance;
        double violationSteps;
        double unserved;
        double total;
        double utilSum;
        double utilWeight;

        Tally(double perInstance) {
            this.perInstance = perInstance;
        }

        void add(double w, int readyInstances, double d) {
            double cap = readyInstances * perInstance;
            if (d > cap) {
                violationSteps += w;
                unserved += w * (d - cap);
            }
            if (cap > 0) {
                utilSum += w * Math.min(d, cap) / cap;
                utilWeight += w;
            }
        }

        Scores scores(double cost, int scored, double stepMinutes, int actions, double instanceHours) {
            return new Scores(cost, violationSteps * stepMinutes, Math.min(1, violationSteps / scored),
                    total > 0 ? Math.min(1, unserved / total) : 0, utilWeight > 0 ? Math.min(1, utilSum / utilWeight) : 0,
                    actions, instanceHours);
        }
    }

    /** The policy's window on the replay, moved forward by the engine; it hides the current and later steps. */
    private static final class View implements FleetView {
        private final double[] demand;
        private final Instant start;
        private final Duration step;
        private int now;
        private int ready;
        private int active;

        View(double[] demand, Instant start, Duration step) {
            this.demand = demand;
            this.start = start;
            this.step = step;
        }

        void at(int s, int readyNow, int activeNow) {
            this.now = s;
            this.ready = readyNow;
            this.active = activeNow;
        }

        @Override
        public int step() {
            return now;
        }

        @Override
        public Instant time() {
            return start.plus(step.multipliedBy(now));
        }

        @Override
        public double demand(int index) {
            if (index < 0 || index >= now) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "index %d is outside the past [0, %d): a policy sees only earlier steps", index, now));
            }
            return demand[index];
        }

        @Override
        public int ready() {
            return ready;
        }

        @Override
        public int active() {
            return active;
        }
    }

    /**
     * The largest fleet a policy can ask for, {@code Integer.MAX_VALUE} instances: a trace with a step whose
     * demand needs more is refused, since no policy could serve it and every step of it would score as a
     * violation. A policy whose knob asks for more at some step (a static headroom of 200 on a demand above
     * about 10.7 million instances) is an {@link OversizedFleet}: {@link #run(ReplayPolicy)} throws it as an
     * {@link OversizedFleetException}, {@link #runEach(List, ReplayProgress)} answers it in that policy's place.
     */
    public static final int MAX_INSTANCES = Integer.MAX_VALUE;

    /** The warm-up when none is set: a week, cut to the whole steps within it. */
    static final Duration DEFAULT_WARM_UP = Duration.ofDays(7);

    /** Builds a {@link Replay}; not thread-safe. */
    public static final class Builder {
        /** The longest boot time: the engine and the simulated cloud count it in nanoseconds, in a long. */
        private static final Duration LONGEST_BOOT = Duration.ofNanos(Long.MAX_VALUE);

        private @Nullable TimeSeries trace;
        private double perInstance = Double.NaN;
        private @Nullable Duration bootTime;
        private double pricePerHour = Double.NaN;
        private @Nullable Duration warmUp;

        private Builder() {
        }

        /**
         * The demand trace, in requests per step; required.
         *
         * @param value the trace, regular and without gaps, at least one step, no value negative
         * @return this builder
         * @throws IllegalArgumentException if the trace is empty or a value is negative
         */
        public Builder trace(TimeSeries value) {
            Objects.requireNonNull(value, "trace");
            if (value.size() == 0) {
                throw new IllegalArgumentException("trace is empty: a replay needs at least one step");
            }
            for (int i = 0; i < value.size(); i++) {
                if (value.get(i) < 0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "trace value at index %d (%s) is %s; demand cannot be negative", i, value.timeAt(i),
                            value.get(i)));
                }
            }
            this.trace = value;
            return this;
        }

        /**
         * The requests one instance serves in one step at full capacity; required.
         *
         * @param value finite and positive
         * @return this builder
         */
        public Builder perInstance(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "perInstance must be finite and positive, was %s", value));
            }
            this.perInstance = value;
            return this;
        }

        /**
         * The time from launch until an instance serves; defaults to the offer's.
         *
         * @param value positive, at most {@code Long.MAX_VALUE} nanoseconds (about 292 years); {@link #build()}
         *     refuses one that is not shorter than the trace's scored span
         * @return this builder
         */
        public Builder bootTime(Duration value) {
            Objects.requireNonNull(value, "bootTime");
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("bootTime must be positive, was " + value);
            }
            checkBootTime(value);
            this.bootTime = value;
            return this;
        }

        private static void checkBootTime(Duration value) {
            if (value.compareTo(LONGEST_BOOT) > 0) {
                throw new IllegalArgumentException("bootTime must be at most " + LONGEST_BOOT + ", was " + value);
            }
        }

        /**
         * The price of one instance per hour; defaults to the offer's on-demand price.
         *
         * @param value finite and positive
         * @return this builder
         */
        public Builder pricePerHour(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "pricePerHour must be finite and positive, was %s", value));
            }
            this.pricePerHour = value;
            return this;
        }

        /**
         * Takes the on-demand price and the boot time from an offer, unless set explicitly.
         *
         * @param offer the offer every instance is launched from
         * @return this builder
         */
        public Builder offer(Offer offer) {
            Objects.requireNonNull(offer, "offer");
            if (Double.isNaN(pricePerHour)) {
                pricePerHour = offer.pricePerHour(PurchaseOption.ON_DEMAND);
            }
            if (bootTime == null) {
                bootTime = offer.bootTime();
            }
            return this;
        }

        /**
         * The start of the trace used only as history, never scored. It must be a whole number of the trace's
         * steps, which {@link #build()} checks; unset, it is the whole steps within 7 days (916 steps of 11
         * minutes, 1,008 of 10).
         *
         * @param value not negative
         * @return this builder
         */
        public Builder warmUp(Duration value) {
            Objects.requireNonNull(value, "warmUp");
            if (value.isNegative()) {
                throw new IllegalArgumentException("warmUp must not be negative, was " + value);
            }
            this.warmUp = value;
            return this;
        }

        /**
         * Builds the replay.
         *
         * @return the replay
         * @throws IllegalStateException if the trace, perInstance, boot time or price is missing
         * @throws InvalidWarmUpException if the warm-up covers the whole trace or is not a whole number of its steps
         * @throws InvalidBootTimeException if the boot time, given or the offer's, is not shorter than the scored
         *     span (the steps after the warm-up): a launch at the first scored step would serve none of them
         * @throws IllegalArgumentException if a step's demand needs more than {@link #MAX_INSTANCES} instances of
         *     {@code perInstance}
         */
        public Replay build() {
            TimeSeries trace = this.trace;
            Duration bootTime = this.bootTime;
            if (trace == null) {
                throw new IllegalStateException("trace is required");
            }
            if (Double.isNaN(perInstance)) {
                throw new IllegalStateException("perInstance is required");
            }
            if (bootTime == null) {
                throw new IllegalStateException("bootTime is required (or an offer to take it from)");
            }
            checkBootTime(bootTime);
            if (Double.isNaN(pricePerHour)) {
                throw new IllegalStateException("pricePerHour is required (or an offer to take it from)");
            }
            for (int i = 0; i < trace.size(); i++) {
                // Also true when the quotient overflows to infinity (1e300 over 1e-300).
                if (trace.get(i) / perInstance > MAX_INSTANCES) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "trace value at index %d (%s) is %s: serving it takes more than %d instances of perInstance"
                                    + " %s; no fleet can", i, trace.timeAt(i), trace.get(i), MAX_INSTANCES, perInstance));
                }
            }
            Replay replay = new Replay(this, trace, bootTime);
            int scoredSteps = trace.size() - replay.firstStep;
            // Compared as durations: a boot time of centuries has more nanoseconds than a step count times a step.
            if (bootTime.compareTo(trace.step().multipliedBy(scoredSteps)) >= 0) {
                throw new InvalidBootTimeException(bootTime, trace.step(), scoredSteps);
            }
            return replay;
        }
    }
}
