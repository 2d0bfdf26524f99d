package io.fleetpredict.replay;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.projection.CapacityOffers;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.HardCaps;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.StoredFleet;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The library's own loop in a replay: a real {@link FleetPredictor} (monitor, near-term prediction,
 * projection, cost gate, pre-provisioning with launches and releases, feedback) over a
 * {@link SimulatedCloud} on a virtual clock. At the start of each step the clock moves there, the last
 * step's demand is recorded in the monitor, and {@link FleetPredictor#cycle()} runs, exactly as a
 * scheduler calling it every step would; the step is then scored on the instances the simulated cloud
 * reports ready, and the cost is the cloud's own accrual over the scored steps. The loop runs through the
 * warm-up as well, building its fleet and learning its errors, and pays only from the first scored step.
 *
 * <p>What is configured, all from the trace's replay settings and the SLA target, with no constant chosen
 * per trace: one offer with one core per instance at the replay's price and boot time; one service whose
 * CPU use is demand over what an instance serves; an SLA tier holding the target
 * ({@link TierPolicy#maxViolationShare()}), no lead time, no on-demand base, and a scale-in window and
 * cooldown of one boot time (releasing what a relaunch could not bring back in time is what a release
 * risks); caps and cost thresholds out of the way, since a replay measures the forecast, not the brakes. The
 * simulated cloud forgets an instance twice a cycle plus the loop's intent grace after it ended
 * ({@code Stepper.endedRetention}), later than the loop ever looks at it, so that a replay's memory follows
 * the fleet rather than every instance it launched, and its results are those of a cloud forgetting nothing.
 *
 * <p>Immutable and thread-safe; each run builds its own loop.
 */
public final class FleetLoop implements ReplayPolicy {

    /** The service the trace is the demand of. */
    public static final String SERVICE = "web";
    /** The fleet the loop manages. */
    public static final String FLEET = "replay";
    /**
     * The most instances the loop's fleet holds in a replay (its {@link HardCaps}; the caps on launches and releases
     * are as high, out of the way). A trace with a step whose demand needs more is answered at once as an
     * {@link OversizedFleet} of this policy: the loop could not follow it, and walking to the cap on the simulated
     * cloud would take hours and gigabytes before scoring a fleet held back by its brakes.
     */
    public static final int MAX_FLEET = 10_000_000;

    private final double violationTarget;
    private final List<FleetEvent> events;

    FleetLoop(double violationTarget, List<FleetEvent> events) {
        if (!(violationTarget > 0 && violationTarget <= 0.5)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the share of time demand may exceed ready capacity must be above 0 and at most 0.5, was %s",
                    violationTarget));
        }
        this.violationTarget = violationTarget;
        this.events = List.copyOf(Objects.requireNonNull(events, "events"));
    }

    @Override
    public String name() {
        return "fleetpredict";
    }

    /** @return the share of time demand may exceed ready capacity */
    public double violationTarget() {
        return violationTarget;
    }

    /** The SLA policies the loop runs with: one tier holding the target. */
    SlaPolicies policies(Duration bootTime) {
        TierPolicy tier = new TierPolicy(1, 0.99, 0, 0, 0, null, null, Duration.ZERO, bootTime, bootTime,
                violationTarget);
        return new SlaPolicies(1, "replay", Map.of("replay", tier), List.of());
    }

    /** The one offer: a core per instance at the replay's price and boot time. */
    static Offer offer(double pricePerHour, Duration bootTime) {
        return new Offer("replay.instance", "replay", "replay-1", 1, 1, 1, 0, pricePerHour, OptionalDouble.empty(), 0,
                bootTime);
    }

    ReplayResult run(Replay replay, ReplayProgress progress) {
        // Each step is a whole cycle of the loop, slow enough to report one by one.
        Replay.StepCounter counter = new Replay.StepCounter(progress, 1);
        TimeSeries trace = replay.trace();
        Duration step = trace.step();
        for (int s = 0; s < trace.size(); s++) {
            double needed = Math.ceil(trace.get(s) / replay.perInstance());
            if (needed > MAX_FLEET) {
                throw new OversizedFleetException(new OversizedFleet(name(), s, trace.timeAt(s), needed, MAX_FLEET));
            }
        }
        Stepper loop = start(trace.start(), step, replay.perInstance(), replay.bootTime(), replay.pricePerHour());
        double[] demand = trace.values();
        int first = replay.firstStep();
        int scored = demand.length - first;
        double[] readyTrace = new double[scored];
        int[] activeTrace = new int[scored];
        Replay.Tally tally = new Replay.Tally(replay.perInstance());
        double costBefore = 0;
        int actions = 0;
        int lastActive = -1;
        for (int s = 0; s < demand.length; s++) {
            loop.step(s == 0 ? Double.NaN : demand[s - 1]);
            counter.step();
            if (s < first) {
                continue;
            }
            if (s == first) {
                costBefore = loop.cloud.accruedCost();
            }
            Instant t = trace.timeAt(s);
            List<Instance> active = loop.active();
            Instant end = t.plus(step);
            // Capacity within the step changes only when a booting instance becomes ready.
            List<Instant> readyAt = new ArrayList<>();
            int readyNow = 0;
            for (Instance i : active) {
                if (!i.readyAt().isAfter(t)) {
                    readyNow++;
                } else if (i.readyAt().isBefore(end)) {
                    readyAt.add(i.readyAt());
                }
            }
            readyAt.sort(null);
            double stepNanos = step.toNanos();
            Instant from = t;
            int ready = readyNow;
            double meanReady = 0;
            for (Instant r : readyAt) {
                double w = Duration.between(from, r).toNanos() / stepNanos;
                tally.add(w, ready, demand[s]);
                meanReady += w * ready;
                ready++;
                from = r;
            }
            double w = Duration.between(from, end).toNanos() / stepNanos;
            tally.add(w, ready, demand[s]);
            meanReady += w * ready;
            tally.total += demand[s];
            readyTrace[s - first] = meanReady;
            activeTrace[s - first] = active.size();
            if (lastActive >= 0 && active.size() != lastActive) {
                actions++;
            }
            lastActive = active.size();
        }
        loop.clock.set(trace.end());
        double cost = loop.cloud.accruedCost() - costBefore;
        double stepMinutes = step.toNanos() / 60e9;
        Scores scores = tally.scores(cost, scored, stepMinutes, actions, cost / replay.pricePerHour());
        return new ReplayResult(name(), scores, trace.timeAt(first), step, readyTrace, activeTrace);
    }

    /**
     * Starts this loop on a virtual clock, to be stepped by the caller as a replay steps it.
     *
     * @param start the start of the first step
     * @param step the time between steps, the loop's cycle
     * @param perInstance the requests one instance serves per step
     * @param bootTime launch to ready
     * @param pricePerHour the price of one instance per hour
     * @return the loop, before its first cycle
     */
    public Stepper start(Instant start, Duration step, double perInstance, Duration bootTime, double pricePerHour) {
        return new Stepper(this, start, step, perInstance, bootTime, pricePerHour);
    }

    /**
     * One loop on a virtual clock: a {@link FleetPredictor} over a {@link SimulatedCloud}, moved one step at a
     * time. What {@link Replay} does with a {@link FleetLoop}, and what the loop's benchmark times.
     *
     * <p>Not thread-safe.
     */
    public static final class Stepper {
        private final MutableClock clock;
        private final SimulatedCloud cloud;
        private final ActivityMonitor monitor;
        private final FleetPredictor loop;
        private final MetricKey cpu = MetricKey.of("cpu_cores", SERVICE);
        private final Duration step;
        private final double perInstance;
        private Instant next;

        private Stepper(FleetLoop policy, Instant start, Duration step, double perInstance, Duration bootTime,
                double pricePerHour) {
            this.step = step;
            this.perInstance = perInstance;
            this.next = start;
            this.clock = MutableClock.at(start);
            this.cloud = SimulatedCloud.builder().clock(clock).catalogue(List.of(offer(pricePerHour, bootTime)))
                    .defaultQuota(Integer.MAX_VALUE).defaultCapacity(Integer.MAX_VALUE)
                    .endedRetention(endedRetention(step)).build();
            int bootSteps = (int) Math.ceil(bootTime.toNanos() / (double) step.toNanos());
            this.monitor = ActivityMonitor.builder().step(step).latenessWindow(Duration.ZERO)
                    .retention(step.multipliedBy(Math.max(8, bootSteps + 2))).clock(clock)
                    .metric(cpu, MetricKind.GAUGE_MEAN).build();
            SlaPolicies policies = policy.policies(bootTime);
            FleetStateStore store = FleetStateStores.inMemory();
            store.create(StoredFleet.of(new FleetState(1, FLEET, 1, start,
                    List.of(new ServiceState(SERVICE, "replay", List.of(), List.of())))));
            ProjectionEngine engine = ProjectionEngine.builder().slaPolicies(policies)
                    .offers(CapacityOffers.fromCloud(cloud.offers())).clock(clock).build();
            // No time limit on a call: the cloud answers in this thread on the virtual clock, and a limit in
            // real time would make a replay's outcome depend on the machine's speed (and hand every call to a
            // thread of its own).
            GuardedCloud guarded = GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).build();
            this.loop = FleetPredictor.builder(FLEET).monitor(monitor).cloud(guarded).store(store)
                    .slaPolicies(policies).projection(engine).events(new EventFeed(1, policy.events))
                    .thresholds(1e12, 1e12).cycle(step).caps(new HardCaps(MAX_FLEET, MAX_FLEET, Duration.ofHours(1),
                            MAX_FLEET, 1e12, MAX_FLEET))
                    .mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        }

        /**
         * How long the simulated cloud still describes an ended instance: twice the longest the loop can take to
         * look at it. The loop reconciles once a cycle: an instance that ended is seen at the next cycle (the
         * instances of settled launches are described by id), and the instances of a launch whose intent was
         * left open are looked up by its key at the first cycle after the intent's grace (the pre-provisioner's
         * {@link PreProvisioner#DEFAULT_INTENT_GRACE}, which {@link FleetPredictor} runs with), so no instance
         * is looked at later than a cycle plus the grace after it ended. Within that the loop sees every end as
         * the cloud reports it, exactly as with a cloud that forgets nothing, and the replay's results are
         * those of one; beyond it the cloud forgets, and a replay's memory follows the fleet, not every
         * instance it ever launched.
         */
        static Duration endedRetention(Duration cycle) {
            return cycle.plus(PreProvisioner.DEFAULT_INTENT_GRACE).multipliedBy(2);
        }

        /**
         * Moves to the start of the next step and runs a cycle there: the demand of the step just ended
         * arrives while that step is open, and its bucket closes as the clock moves on.
         *
         * @param lastDemand the requests of the step just ended, or NaN at the first step
         * @return the cycle's report
         */
        public CycleReport step(double lastDemand) {
            if (!Double.isNaN(lastDemand)) {
                clock.set(next.minus(step));
                monitor.record(cpu, next.minus(step), lastDemand / perInstance);
            }
            clock.set(next);
            next = next.plus(step);
            return loop.cycle();
        }

        /** @return the instances the simulated cloud runs for the loop now, booting or ready */
        public List<Instance> active() {
            return cloud.describe(DescribeRequest.active()).instances();
        }

        /** The instances the simulated cloud still describes, active or ended within its retention. */
        List<Instance> described() {
            return cloud.describe(DescribeRequest.all()).instances();
        }

        /** @return what the simulated cloud has billed so far */
        public double accruedCost() {
            return cloud.accruedCost();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FleetLoop[violationTarget=%s, events=%d]", violationTarget, events.size());
    }
}
