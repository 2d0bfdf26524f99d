package io.fleetpredict.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.projection.CapacityOffers;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.HardCaps;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.StoredFleet;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The library's loop in a replay: what the replay scores is what an embedded {@link FleetPredictor} does. */
class FleetLoopReplayTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(5);
    private static final Duration BOOT = Duration.ofMinutes(5);

    /** A daily cycle with noise at 5-minute steps, between about 3 and 17 instances of 100. */
    private static double[] daily(int days, long seed) {
        Random random = new Random(seed);
        double[] v = new double[days * 288];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0, 1000 + 700 * Math.sin(2 * Math.PI * i / 288) + 60 * random.nextGaussian());
        }
        return v;
    }

    private static Replay replay(double[] values, Duration warmUp) {
        return Replay.builder().trace(TimeSeries.of(T0, STEP, values)).perInstance(100).bootTime(BOOT)
                .pricePerHour(1).warmUp(warmUp).build();
    }

    /** The replay's loop wired by hand as the embedding guide does: one service, caps and thresholds out of the way. */
    private static FleetPredictor handDriven(MutableClock clock, SimulatedCloud cloud, ActivityMonitor monitor,
            SlaPolicies policies, Duration step) {
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(new FleetState(1, "replay", 1, T0,
                List.of(new ServiceState("web", "replay", List.of(), List.of())))));
        return FleetPredictor.builder("replay").monitor(monitor).cloud(cloud).store(store)
                .slaPolicies(policies)
                .projection(ProjectionEngine.builder().slaPolicies(policies)
                        .offers(CapacityOffers.fromCloud(cloud.offers())).clock(clock).build())
                .events(new EventFeed(1, List.of())).thresholds(1e12, 1e12).cycle(step)
                .caps(new HardCaps(FleetLoop.MAX_FLEET, FleetLoop.MAX_FLEET, Duration.ofHours(1), FleetLoop.MAX_FLEET, 1e12,
                        FleetLoop.MAX_FLEET))
                .mode(PreProvisioner.Mode.APPLY).clock(clock).build();
    }

    @Test
    void replay_decidesAsAHandDrivenPredictor() {
        double[] demand = daily(3, 11);
        Replay replay = replay(demand, Duration.ofDays(2));
        FleetLoop policy = Policies.fleetpredict(0.99, List.of());
        int[] replayed = replay.run(policy).activeInstances();

        // The same loop, wired by hand as the embedding guide does, called once per step.
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).catalogue(List.of(FleetLoop.offer(replay.pricePerHour(), replay.bootTime())))
                .defaultQuota(Integer.MAX_VALUE).defaultCapacity(Integer.MAX_VALUE).build();
        MetricKey cpu = MetricKey.of("cpu_cores", "web");
        ActivityMonitor monitor = ActivityMonitor.builder().step(STEP).latenessWindow(Duration.ZERO)
                .retention(STEP.multipliedBy(8)).clock(clock).metric(cpu, MetricKind.GAUGE_MEAN).build();
        SlaPolicies policies = policy.policies(BOOT);
        FleetPredictor loop = handDriven(clock, cloud, monitor, policies, STEP);
        int first = replay.firstStep();
        int[] byHand = new int[demand.length - first];
        for (int s = 0; s < demand.length; s++) {
            if (s > 0) {
                clock.set(T0.plus(STEP.multipliedBy(s - 1)));
                monitor.record(cpu, clock.instant(), demand[s - 1] / 100);
            }
            clock.set(T0.plus(STEP.multipliedBy(s)));
            loop.cycle();
            if (s >= first) {
                byHand[s - first] = cloud.describe(DescribeRequest.active()).instances().size();
            }
        }
        assertArrayEquals(byHand, replayed);
        assertTrue(Arrays.stream(replayed).max().orElseThrow() > Arrays.stream(replayed).min().orElseThrow(),
                "the loop both scales out and in over a day: " + Arrays.toString(replayed));
    }

    /**
     * How the simulated cloud keeps its instances does not change a replay: the loop's scores and traces on a
     * small replay, to the last digit, as the build before the cloud shared its instances' maps and skipped
     * sorting describes already in order reported them.
     */
    @Test
    void replay_smallTrace_scoresAsRecorded() {
        ReplayResult result = replay(daily(4, 11), Duration.ofDays(2)).run(Policies.fleetpredict(0.9, List.of()));
        assertEquals("Scores[cost=553.2499999999992, violationMinutes=250.0, violationShare=0.08680555555555555, "
                + "unservedShare=0.004991302315571497, meanUtilisation=0.8648868254041852, scalingActions=181, "
                + "instanceHours=553.2499999999992] 730639428 -1512359935", result.scores() + " "
                + Arrays.hashCode(result.activeInstances()) + " " + Arrays.hashCode(result.readyCapacity()));
    }

    /**
     * With a boot that ends inside a step, the loop's steps are scored on the instances the cloud reports: each
     * counts for the share of the step after it is ready, and the step is short until the number ready covers
     * its demand, which is the ceil(demand / 100)-th readiness in time. Computed here per instance from a loop
     * driven by hand, against the replay's piecewise tally.
     */
    @Test
    void replay_bootInsideAStep_scoredOnEachInstancesShareOfTheStep() {
        double[] demand = daily(3, 11);
        Duration boot = Duration.ofSeconds(150);
        Replay replay = Replay.builder().trace(TimeSeries.of(T0, STEP, demand)).perInstance(100).bootTime(boot)
                .pricePerHour(2).warmUp(Duration.ofDays(2)).build();
        FleetLoop policy = Policies.fleetpredict(0.9, List.of());
        ReplayResult result = replay.run(policy);
        // Each step bills the instances the cycle at its start left running, at 2 per hour.
        double instanceHours = Arrays.stream(result.activeInstances()).sum() * 5 / 60.0;
        assertEquals(instanceHours, result.scores().instanceHours(), 1e-9);
        assertEquals(2 * instanceHours, result.scores().cost(), 1e-9);

        FleetLoop.Stepper loop = policy.start(T0, STEP, 100, boot, 2);
        int first = replay.firstStep();
        double[] ready = new double[demand.length - first];
        double shortSteps = 0;
        int insideAStep = 0;
        for (int s = 0; s < demand.length; s++) {
            loop.step(s == 0 ? Double.NaN : demand[s - 1]);
            if (s < first) {
                continue;
            }
            Instant t = T0.plus(STEP.multipliedBy(s));
            Instant end = t.plus(STEP);
            List<Instant> servingFrom = new java.util.ArrayList<>();
            for (Instance i : loop.active()) {
                Instant from = i.readyAt().isAfter(t) ? i.readyAt() : t;
                if (from.isBefore(end)) {
                    servingFrom.add(from);
                    ready[s - first] += Duration.between(from, end).toNanos() / (double) STEP.toNanos();
                    insideAStep += from.isAfter(t) ? 1 : 0;
                }
            }
            servingFrom.sort(null);
            int needed = (int) Math.ceil(demand[s] / 100);
            if (needed > servingFrom.size()) {
                shortSteps += 1;
            } else if (needed > 0) {
                shortSteps += Duration.between(t, servingFrom.get(needed - 1)).toNanos() / (double) STEP.toNanos();
            }
        }
        assertTrue(insideAStep > 20, "instances ready inside a step: " + insideAStep);
        assertArrayEquals(ready, result.readyCapacity(), 1e-9);
        assertEquals(shortSteps * 5, result.scores().violationMinutes(), 1e-9);
        assertTrue(result.scores().violationMinutes() % 5 != 0, "some step is short for part of it only");
    }

    /**
     * With a boot of ten steps, longer than the eight steps of demand the replay's monitor keeps at the least
     * (it keeps the boot and two steps more), the replay decides as a loop driven by hand whose monitor keeps a
     * day, and each step counts the instances whose boot ended by its start: a launch serves ten steps after its
     * cycle, not before and not after. At one-minute steps, since the loop's pre-provisioner gives up on an
     * instance still booting after 15 minutes.
     */
    @Test
    void replay_bootOfTenSteps_readyExactlyWhenEachBootEnds() {
        Duration step = Duration.ofMinutes(1);
        int bootSteps = 10;
        Random random = new Random(11);
        double[] demand = new double[3 * 1440];
        for (int i = 0; i < demand.length; i++) {
            demand[i] = Math.max(0, 1000 + 700 * Math.sin(2 * Math.PI * i / 1440) + 60 * random.nextGaussian());
        }
        Duration boot = step.multipliedBy(bootSteps);
        Replay replay = Replay.builder().trace(TimeSeries.of(T0, step, demand)).perInstance(100).bootTime(boot)
                .pricePerHour(1).warmUp(Duration.ofDays(2)).build();
        FleetLoop policy = Policies.fleetpredict(0.99, List.of());
        ReplayResult result = replay.run(policy);

        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).catalogue(List.of(FleetLoop.offer(1, boot)))
                .defaultQuota(Integer.MAX_VALUE).defaultCapacity(Integer.MAX_VALUE).build();
        MetricKey cpu = MetricKey.of("cpu_cores", "web");
        ActivityMonitor monitor = ActivityMonitor.builder().step(step).latenessWindow(Duration.ZERO)
                .retention(Duration.ofDays(1)).clock(clock).metric(cpu, MetricKind.GAUGE_MEAN).build();
        SlaPolicies policies = policy.policies(boot);
        FleetPredictor loop = handDriven(clock, cloud, monitor, policies, step);
        int first = replay.firstStep();
        double[] ready = new double[demand.length - first];
        int[] active = new int[demand.length - first];
        int booting = 0;
        for (int s = 0; s < demand.length; s++) {
            if (s > 0) {
                clock.set(T0.plus(step.multipliedBy(s - 1)));
                monitor.record(cpu, clock.instant(), demand[s - 1] / 100);
            }
            Instant t = T0.plus(step.multipliedBy(s));
            clock.set(t);
            loop.cycle();
            if (s < first) {
                continue;
            }
            for (Instance i : cloud.describe(DescribeRequest.active()).instances()) {
                assertEquals(i.launchedAt().plus(boot), i.readyAt(), i.id());
                active[s - first]++;
                if (i.readyAt().isAfter(t)) {
                    booting++;
                } else {
                    ready[s - first]++;
                }
            }
        }
        assertTrue(booting > 100, "instances still booting at a step's start: " + booting);
        assertTrue(Arrays.stream(ready).sum() > 1000, "instances ready: " + Arrays.stream(ready).sum());
        assertArrayEquals(active, result.activeInstances());
        assertArrayEquals(ready, result.readyCapacity(), 1e-9);
    }

    @Test
    void replay_bootLongerThanTheMaximumProvisioningTime_instancesServeOnceBooted() {
        // A 25-minute boot, longer than the 15 minutes an instance may stay pending past its due time: booting
        // instances are not given up, so they serve from their ready time on, and none is released unready.
        Duration step = Duration.ofMinutes(5);
        Random random = new Random(5);
        double[] demand = new double[3 * 288];
        for (int i = 0; i < demand.length; i++) {
            demand[i] = Math.max(0, 1000 + 700 * Math.sin(2 * Math.PI * i / 288) + 60 * random.nextGaussian());
        }
        Replay replay = Replay.builder().trace(TimeSeries.of(T0, step, demand)).perInstance(100)
                .bootTime(Duration.ofMinutes(25)).pricePerHour(1).warmUp(Duration.ofDays(2)).build();
        ReplayResult result = replay.run(Policies.fleetpredict(0.99, List.of()));
        double[] ready = result.readyCapacity();
        int[] active = result.activeInstances();
        assertTrue(Arrays.stream(ready).min().orElseThrow() > 0, "ready capacity at every scored step");
        // With no instance released unready, those active at a step and launched at least a boot before it serve.
        assertTrue(Arrays.stream(ready).sum() > 0.8 * Arrays.stream(active).sum(),
                "ready " + Arrays.stream(ready).sum() + " of " + Arrays.stream(active).sum() + " active");
    }

    /** Between two cycles the simulated cloud bills every instance the first one left running, for the whole step. */
    @Test
    void stepper_accruedCost_growsByTheInstancesRunningOverEachStep() {
        double[] demand = daily(1, 11);
        FleetLoop.Stepper loop = Policies.fleetpredict(0.9, List.of()).start(T0, STEP, 100, BOOT, 2);
        double cost = 0;
        int running = 0;
        for (int s = 0; s < demand.length; s++) {
            loop.step(s == 0 ? Double.NaN : demand[s - 1]);
            cost += running * 2 * 5 / 60.0;
            assertEquals(cost, loop.accruedCost(), 1e-9, "step " + s);
            running = loop.active().size();
        }
        assertTrue(cost > 100, "the loop ran a fleet: " + cost);
    }

    @Test
    void loop_violationTarget_aboveZeroAndAtMostOneHalf() {
        assertThrows(IllegalArgumentException.class, () -> new FleetLoop(0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new FleetLoop(0.5000001, List.of()));
        assertEquals(0.5, new FleetLoop(0.5, List.of()).violationTarget());
        assertEquals("FleetLoop[violationTarget=0.001, events=1]",
                new FleetLoop(0.001, List.of(ReplayTest.event("launch", T0, 2))).toString());
    }


    /**
     * The replay's cloud forgets an instance once it ended longer ago than twice a cycle plus the intent grace,
     * so a long replay's memory follows the fleet; what is still active is always described.
     */
    @Test
    void stepper_endedInstances_forgottenAfterTheRetention() {
        double[] demand = daily(3, 11);
        FleetLoop.Stepper loop = Policies.fleetpredict(0.9, List.of()).start(T0, STEP, 100, BOOT, 1);
        Map<String, Instant> lastSeenActive = new HashMap<>();
        Set<String> active = Set.of();
        Instant now = T0;
        for (int s = 0; s < demand.length; s++) {
            loop.step(s == 0 ? Double.NaN : demand[s - 1]);
            now = T0.plus(STEP.multipliedBy(s));
            active = loop.active().stream().map(Instance::id).collect(Collectors.toSet());
            for (String id : active) {
                lastSeenActive.put(id, now);
            }
        }
        Duration retention = FleetLoop.Stepper.endedRetention(STEP);
        assertEquals(Duration.ofMinutes(30), retention);
        Set<String> described = loop.described().stream().map(Instance::id).collect(Collectors.toSet());
        // An instance last seen active at a step ended by the next one's cycle.
        Instant cutoff = now.minus(retention).minus(STEP);
        Set<String> longEnded = lastSeenActive.entrySet().stream().filter(e -> e.getValue().isBefore(cutoff))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertTrue(longEnded.size() > 50, "the loop replaced instances over three days: " + longEnded.size());
        assertTrue(described.containsAll(active), "every active instance is described");
        assertTrue(longEnded.stream().noneMatch(described::contains), "instances ended long ago are forgotten");
    }

    @Test
    void loop_poisonedFuture_decidesAsOnTheTrueTrace() {
        double[] truth = daily(3, 5);
        double[] poisoned = truth.clone();
        int cut = 2 * 288 + 100;
        for (int i = cut; i < poisoned.length; i++) {
            poisoned[i] = 1e6;
        }
        // A schedule known in advance, with events before, across and after the cut.
        Instant cutTime = T0.plus(STEP.multipliedBy(cut));
        List<FleetEvent> schedule = List.of(news("before", cutTime.minus(Duration.ofHours(3))),
                news("across", cutTime.minus(Duration.ofMinutes(30))), news("after", cutTime.plus(Duration.ofHours(2))));
        FleetLoop policy = Policies.fleetpredict(0.99, schedule);
        ReplayResult a = replay(truth, Duration.ofDays(2)).run(policy);
        ReplayResult b = replay(poisoned, Duration.ofDays(2)).run(policy);
        int decisions = cut - 2 * 288 + 1; // the cycle at the cut's own step sees only earlier steps
        assertArrayEquals(Arrays.copyOf(a.activeInstances(), decisions), Arrays.copyOf(b.activeInstances(), decisions));
        assertArrayEquals(Arrays.copyOf(a.readyCapacity(), decisions), Arrays.copyOf(b.readyCapacity(), decisions));
        assertFalse(Arrays.equals(a.activeInstances(), b.activeInstances()), "the loop never saw the poisoned future");
    }

    private static FleetEvent news(String id, Instant start) {
        return new FleetEvent(id, EventType.NEWS, id, start, start.plus(Duration.ofHours(1)), List.of(), null);
    }

    /**
     * Progress counts every step each replay walks, the loop's warm-up included, whatever the threads, and the
     * results are those of replays without a listener.
     */
    @Test
    void runAll_progress_reportsEveryStepWalked() {
        Replay replay = replay(daily(4, 7), Duration.ofDays(2));
        List<ReplayPolicy> policies = List.of(Policies.fleetpredict(0.99, List.of()), Policies.reactive(0.7),
                Policies.staticCapacity(99, 0.5), Policies.reactive(0.5));
        java.util.concurrent.atomic.AtomicLong steps = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        List<ReplayResult> results = replay.runAll(policies, s -> {
            assertTrue(s >= 1, "a report of " + s + " steps");
            steps.addAndGet(s);
            calls.incrementAndGet();
        });
        int n = replay.trace().size();
        int scored = n - replay.firstStep();
        assertEquals(n, replay.steps(policies.get(0)));
        assertEquals(scored, replay.steps(policies.get(1)));
        assertEquals(n + 3L * scored, steps.get());
        assertTrue(calls.get() >= n, "the loop reports each of its " + n + " cycles, " + calls.get() + " reports");
        for (int i = 0; i < policies.size(); i++) {
            assertEquals(replay.run(policies.get(i)).scores(), results.get(i).scores(), policies.get(i).name());
        }
    }

    /** Over many seeds the loop meets its target within the 1.5x the SLA allows, and a looser target costs less. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void loop_violationTarget_metAndLooserIsCheaper(long seed) {
        Replay replay = replay(daily(12, seed), Duration.ofDays(2));
        Scores tight = replay.run(Policies.fleetpredict(0.99, List.of())).scores();
        Scores loose = replay.run(Policies.fleetpredict(0.9, List.of())).scores();
        assertTrue(tight.violationShare() <= 0.015, "target 1%: " + tight);
        assertTrue(loose.violationShare() <= 0.15, "target 10%: " + loose);
        assertTrue(loose.cost() < tight.cost(), loose + " vs " + tight);
        assertTrue(tight.meanUtilisation() > 0.5, tight.toString());
    }

    @Test
    void fleetpredict_targetOutOfRange_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> Policies.fleetpredict(1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> Policies.fleetpredict(0.4, List.of()));
        assertEquals("fleetpredict", Policies.fleetpredict(0.999, List.of()).name());
    }
    /**
     * A one-step glitch needing more instances than the loop's fleet may hold in a replay is answered at once, as an
     * oversized fleet naming the step, the count and the limit, in the loop's place; the other policies are scored.
     * Before, the loop walked its simulated fleet towards the cap, for hours and gigabytes.
     */
    @Test
    void replay_glitchPastTheLoopsFleetCap_answeredAtOnceInTheLoopsPlace() {
        double[] demand = daily(3, 7);
        demand[700] = 100.0 * FleetLoop.MAX_FLEET + 1; // 10,000,001 instances of 100
        Replay replay = replay(demand, Duration.ofDays(2));
        FleetLoop loop = Policies.fleetpredict(0.99, List.of());

        OversizedFleetException e = assertThrows(OversizedFleetException.class, () -> replay.run(loop));
        List<ReplayOutcome> each = replay.runEach(List.of(loop, Policies.reactive(1)), ReplayProgress.NONE);

        OversizedFleet expected = new OversizedFleet("fleetpredict", 700, T0.plus(STEP.multipliedBy(700)), 10_000_001,
                10_000_000);
        assertEquals(expected, e.fleet());
        assertEquals("fleetpredict needs 10000001 instances at step 700 (2024-01-03T10:20:00Z); it can have at most"
                + " 10000000", e.getMessage());
        assertEquals(expected, each.get(0));
        assertTrue(each.get(1) instanceof ReplayResult, each.toString());
    }

    /**
     * The cap itself is allowed: the last step's demand, which no cycle of the loop ever reads, is the fleet's
     * whole cap here, and the replay is scored (that step a violation); one instance more is refused.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void replay_lastStepAtTheLoopsFleetCap_scoredAndOneMoreRefused(int more) {
        double[] demand = daily(3, 7);
        demand[demand.length - 1] = 100.0 * (FleetLoop.MAX_FLEET + more);
        Replay replay = replay(demand, Duration.ofDays(2));
        FleetLoop loop = Policies.fleetpredict(0.99, List.of());

        if (more == 0) {
            assertTrue(replay.run(loop).scores().violationMinutes() >= 5, "the last step is not served");
        } else {
            assertEquals(FleetLoop.MAX_FLEET + 1.0, assertThrows(OversizedFleetException.class, () -> replay.run(loop))
                    .fleet().instancesNeeded());
        }
    }

    /**
     * Demand of about a hundred-thousandth of an instance a day: a need above zero needs one instance. Rounded to
     * four decimals, the loop's need was 0, so it ran no instance and every scored step was short.
     */
    @Test
    void run_needUnderWhatFourDecimalsHold_servedByOneInstanceWithoutViolations() {
        double[] v = new double[40];
        for (int i = 0; i < v.length; i++) {
            v[i] = 100 + (i % 5) * 10;
        }
        Replay replay = Replay.builder().trace(TimeSeries.of(T0, Duration.ofDays(1), v)).perInstance(8_640_000)
                .bootTime(Duration.ofMinutes(3)).pricePerHour(1).warmUp(Duration.ofDays(7)).build();

        ReplayResult result = replay.run(Policies.fleetpredict(0.999, List.of()));

        assertEquals(0, result.scores().violationShare(), result.scores().toString());
        // One instance through every scored day, and no more: 33 days of 24 hours, at a price of 1 an hour.
        assertEquals(33 * 24, result.scores().instanceHours(), 1, result.scores().toString());
    }
}
