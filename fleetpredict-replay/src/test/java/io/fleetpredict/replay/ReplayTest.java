package io.fleetpredict.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.FleetPredictException;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplayTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** A policy that answers from a script, one value per scored step, and remembers the steps it saw. */
    private static ProvisioningPolicy scripted(int... desired) {
        return new ProvisioningPolicy() {
            @Override
            public String name() {
                return "scripted";
            }

            @Override
            public FleetSizer start(ReplayContext context) {
                return view -> desired[view.step() - context.firstStep()];
            }
        };
    }

    private static Replay replay(double[] values, double perInstance, Duration boot, double price, int warmUpSteps) {
        return Replay.builder().trace(TimeSeries.of(T0, MINUTE, values)).perInstance(perInstance).bootTime(boot)
                .pricePerHour(price).warmUp(MINUTE.multipliedBy(warmUpSteps)).build();
    }

    /** A policy whose replay fails at its first step with the given exception. */
    private static ProvisioningPolicy failing(RuntimeException e) {
        return new ProvisioningPolicy() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public FleetSizer start(ReplayContext context) {
                return view -> {
                    throw e;
                };
            }
        };
    }

    @Test
    void runAll_failingPolicies_throwTheFirstOnesOwnException() {
        // Whichever thread replays them, the caller gets the first failing policy's exception itself, not a
        // copy made by the pool with the class name in front of its message, nor a later policy's.
        Replay r = replay(new double[] {1, 1, 15, 25, 5, 20}, 10, Duration.ofMinutes(2), 6, 2);
        for (int round = 0; round < 20; round++) {
            List<IllegalStateException> errors = new ArrayList<>();
            List<ProvisioningPolicy> policies = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                if (i % 4 == 1) {
                    IllegalStateException e = new IllegalStateException("policy " + i + " failed");
                    errors.add(e);
                    policies.add(failing(e));
                } else {
                    policies.add(scripted(2, 2, 2, 2));
                }
            }
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> r.runAll(policies));
            assertSame(errors.get(0), thrown, thrown.getMessage());
        }
    }

    @Test
    void run_staticHeadroomPastTheLargestFleet_throwsNamingThePolicyStepAndCountInsteadOfCuttingItDown() {
        // 20 million requests a step at 1 each: 201 times that is 4.02 billion, past the 2^31-1 an int holds.
        Replay r = replay(new double[] {2e7, 2e7, 2e7, 1, 1}, 1, MINUTE, 1, 3);
        ProvisioningPolicy policy = Policies.staticCapacity(99, 200);
        FleetPredictException e = assertThrows(FleetPredictException.class, () -> r.run(policy));
        assertEquals("static(p99,headroom=200) needs 4020000000 instances at step 3 (2024-01-01T00:03:00Z);"
                + " no fleet has more than 2147483647", e.getMessage());
        OversizedFleet fleet = ((OversizedFleetException) e).fleet();
        assertEquals(new OversizedFleet("static(p99,headroom=200)", 3, T0.plus(MINUTE.multipliedBy(3)), 4.02e9), fleet);
        // A headroom that fits is scored as before.
        assertEquals(2e7 * 1.5 * 2 / 60, r.run(Policies.staticCapacity(99, 0.5)).scores().cost(), 1e-3);
    }

    @Test
    void run_reactiveTargetPastTheLargestFleet_throwsAtTheStepAfterTheBurst() {
        // A billion requests at a target of 0.3 needs 3,333,333,334 instances, decided at the next step.
        Replay r = replay(new double[] {1, 1, 1, 1e9, 1, 1}, 1, MINUTE, 1, 1);
        OversizedFleetException e = assertThrows(OversizedFleetException.class, () -> r.run(Policies.reactive(0.3)));
        assertEquals(new OversizedFleet("reactive(target=0.3)", 4, T0.plus(MINUTE.multipliedBy(4)), 3333333334.0),
                e.fleet());
        assertEquals(1e9, r.run(Policies.reactive(1)).activeInstances()[3], "a target of 1 still fits");
    }

    @Test
    void runEach_oversizedPolicy_reportsEveryStepOfItsReplay_soAProgressDisplayReachesItsTotal() {
        Replay r = replay(new double[] {1, 1, 1, 1e9, 1, 1, 1, 1}, 1, MINUTE, 1, 1);
        List<ProvisioningPolicy> policies = List.of(Policies.reactive(0.3), Policies.reactive(1));
        java.util.concurrent.atomic.AtomicLong reported = new java.util.concurrent.atomic.AtomicLong();
        List<ReplayOutcome> outcomes = r.runEach(policies, reported::addAndGet);
        assertTrue(outcomes.get(0) instanceof OversizedFleet, outcomes.toString());
        assertEquals(r.steps(policies.get(0)) + r.steps(policies.get(1)), reported.get());
    }

    @Test
    void runEach_oversizedPolicy_answeredInItsPlace_theOthersScored() {
        Replay r = replay(new double[] {2e7, 2e7, 2e7, 1, 1}, 1, MINUTE, 1, 3);
        List<ProvisioningPolicy> policies = List.of(Policies.staticCapacity(99, 0), Policies.staticCapacity(99, 200),
                Policies.reactive(0.7));
        List<ReplayOutcome> outcomes = r.runEach(policies, ReplayProgress.NONE);
        assertEquals(3, outcomes.size());
        assertTrue(outcomes.get(0) instanceof ReplayResult, outcomes.toString());
        assertEquals(new OversizedFleet("static(p99,headroom=200)", 3, T0.plus(MINUTE.multipliedBy(3)), 4.02e9),
                outcomes.get(1));
        assertTrue(outcomes.get(2) instanceof ReplayResult, outcomes.toString());
        assertEquals(List.of("static(p99,headroom=0)", "static(p99,headroom=200)", "reactive(target=0.7)"),
                outcomes.stream().map(ReplayOutcome::policy).toList());
        // runAll has no place for it: the whole call fails with the oversized policy's exception.
        assertThrows(OversizedFleetException.class, () -> r.runAll(policies));
        // Any other failure is still thrown, not answered.
        IllegalStateException other = new IllegalStateException("broken");
        assertSame(other, assertThrows(IllegalStateException.class,
                () -> r.runEach(List.of(Policies.staticCapacity(99, 200), failing(other)), ReplayProgress.NONE)));
    }

    @Test
    void run_tinyTrace_scoresComputedByHand() {
        // Two warm-up steps, then demand 15, 25, 5, 20 against 2 instances of 10 requests per step.
        Replay r = replay(new double[] {1, 1, 15, 25, 5, 20}, 10, Duration.ofMinutes(2), 6, 2);
        Scores s = r.run(scripted(2, 2, 2, 2)).scores();
        // 2 instances x 4 minutes at 6 per hour = 0.8; only the 25 exceeds 20; 5 of 65 requests unserved;
        // utilisation (15/20 + 1 + 5/20 + 1) / 4 = 0.75; the first step's fleet is taken as running.
        assertEquals(0.8, s.cost(), 1e-12);
        assertEquals(1, s.violationMinutes(), 1e-12);
        assertEquals(0.25, s.violationShare(), 1e-12);
        assertEquals(5.0 / 65, s.unservedShare(), 1e-12);
        assertEquals(0.75, s.meanUtilisation(), 1e-12);
        assertEquals(0, s.scalingActions());
        assertEquals(8.0 / 60, s.instanceHours(), 1e-12);
    }

    @Test
    void run_launch_readyExactlyBootTimeLater() {
        Replay r = replay(new double[] {0, 0, 0, 0, 0, 0, 0, 0}, 10, Duration.ofMinutes(3), 1, 1);
        ReplayResult result = r.run(scripted(1, 3, 3, 3, 3, 3, 3));
        // Launched at scored step 1 with a 3-minute boot: ready from scored step 4, billed from step 1.
        assertArrayEquals(new double[] {1, 1, 1, 1, 3, 3, 3}, result.readyCapacity(), 0);
        assertArrayEquals(new int[] {1, 3, 3, 3, 3, 3, 3}, result.activeInstances());
        assertEquals(1, result.scores().scalingActions());
    }

    @Test
    void run_bootInsideAStep_capacityPartOfTheStep() {
        // 90 s boot on 1-minute steps: launched at step 1, ready half-way through step 2.
        Replay r = replay(new double[] {0, 10, 25, 25, 25}, 10, Duration.ofSeconds(90), 1, 1);
        ReplayResult result = r.run(scripted(1, 3, 3, 3));
        assertArrayEquals(new double[] {1, 1, 2, 3}, result.readyCapacity(), 1e-12);
        // Step 1 (25 > 10) fully and the first half of step 2 in violation; the second half has 30.
        assertEquals(1.5, result.scores().violationMinutes(), 1e-12);
    }

    @Test
    void run_release_bootingInstancesGoFirst() {
        Replay r = replay(new double[] {0, 0, 0, 0, 0, 0}, 10, Duration.ofMinutes(3), 1, 1);
        ReplayResult result = r.run(scripted(2, 5, 3, 3, 3));
        // Two of the three booting instances are released: ready stays 2 until the third one is up.
        assertArrayEquals(new double[] {2, 2, 2, 2, 3}, result.readyCapacity(), 0);
        assertArrayEquals(new int[] {2, 5, 3, 3, 3}, result.activeInstances());
        assertEquals(2, result.scores().scalingActions());
    }

    @Test
    void view_currentOrFutureDemand_isRefused() {
        Replay r = replay(new double[] {1, 2, 3, 4}, 10, MINUTE, 1, 1);
        ProvisioningPolicy peeking = new ProvisioningPolicy() {
            @Override
            public String name() {
                return "peeking";
            }

            @Override
            public FleetSizer start(ReplayContext context) {
                return view -> (int) view.demand(view.step());
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.run(peeking));
        assertTrue(e.getMessage().contains("outside the past"), e.getMessage());
    }

    @Test
    void run_negativeAnswer_isAnError() {
        Replay r = replay(new double[] {1, 2, 3}, 10, MINUTE, 1, 1);
        assertThrows(IllegalStateException.class, () -> r.run(scripted(1, -1)));
    }

    @Test
    void builder_warmUpCoveringTheTrace_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> replay(new double[] {1, 2, 3}, 10, MINUTE, 1, 3));
        assertTrue(e.getMessage().contains("warmUp"), e.getMessage());
    }

    @Test
    void staticCapacity_percentileOfWarmUpPlusHeadroom() {
        double[] v = new double[110];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1;
        }
        Replay r = replay(v, 10, MINUTE, 1, 100);
        // Nearest-rank 99th percentile of 1..100 is 99; times 1.5 is 148.5; over 10 per instance, 15 instances.
        ReplayResult result = r.run(Policies.staticCapacity(99, 0.5));
        assertEquals(15, result.activeInstances()[0]);
        assertEquals(15, result.activeInstances()[9]);
    }

    @Test
    void reactive_handCases() {
        // Per instance 10 at target 0.5 serves 5: 45 needs 9 instances; scale-out is immediate.
        double[] v = new double[40];
        v[0] = 45;
        v[1] = 95;
        for (int i = 2; i < 40; i++) {
            v[i] = 5;
        }
        Replay r = replay(v, 10, MINUTE, 1, 1);
        int[] active = r.run(Policies.reactive(0.5)).activeInstances();
        assertEquals(9, active[0]);
        assertEquals(19, active[1]);
        // Load 5 wants 1 instance; the policy waits 15 one-minute periods below target (from step 2), then
        // removes 10% of 19 (1 instance), then one more each 5-minute cooldown.
        assertEquals(19, active[15]);
        assertEquals(18, active[16]);
        assertEquals(18, active[20]);
        assertEquals(17, active[21]);
    }

    @Test
    void reactiveAwsAlarm_scalesOutOnlyAfterThreeStepsAboveTarget() {
        // Per instance 10 at target 0.5 serves 5: load 5 wants 1 instance, load 50 wants 10.
        double[] v = {5, 5, 5, 5, 5, 50, 50, 5, 5, 50, 50, 50, 5, 5};
        int[] aws = replay(v, 10, MINUTE, 1, 5).run(Policies.reactiveAwsAlarm(0.5)).activeInstances();
        int[] last = replay(v, 10, MINUTE, 1, 5).run(Policies.reactive(0.5)).activeInstances();
        // Steps 5.. see the load of the step before; two steps above target (5, 6) are not an alarm.
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 10, 10}, aws);
        assertEquals(10, last[1]);
        assertTrue(Policies.reactiveAwsAlarm(0.5).name().contains("scale-out-alarm=3min"));
    }

    /** A daily cycle with noise, 10-minute steps. */
    private static double[] daily(int days, long seed) {
        Random random = new Random(seed);
        double[] v = new double[days * 144];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1000 + 600 * Math.sin(2 * Math.PI * i / 144) + 60 * random.nextGaussian();
        }
        return v;
    }

    /** A two-hour news event for the whole fleet with no declared impact. */
    static FleetEvent event(String id, Instant start, int hours) {
        return new FleetEvent(id, EventType.NEWS, id, start, start.plus(Duration.ofHours(hours)), List.of(), null);
    }

    /** Records every answer of a policy. */
    static List<Integer> answers(Replay r, ProvisioningPolicy inner) {
        List<Integer> out = new ArrayList<>();
        r.run(new ProvisioningPolicy() {
            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public FleetSizer start(ReplayContext context) {
                FleetSizer p = inner.start(context);
                return view -> {
                    int d = p.desiredInstances(view);
                    out.add(d);
                    return d;
                };
            }
        });
        return out;
    }

    @Test
    void policies_poisonedFuture_decideAsOnTheTrueTrace() {
        double[] truth = daily(6, 7);
        double[] poisoned = truth.clone();
        int cut = 5 * 144 + 37;
        for (int i = cut; i < poisoned.length; i++) {
            poisoned[i] = 1e7;
        }
        Duration step = Duration.ofMinutes(10);
        Replay a = Replay.builder().trace(TimeSeries.of(T0, step, truth)).perInstance(100).bootTime(Duration.ofMinutes(5))
                .pricePerHour(1).warmUp(Duration.ofDays(4)).build();
        Replay b = Replay.builder().trace(TimeSeries.of(T0, step, poisoned)).perInstance(100).bootTime(Duration.ofMinutes(5))
                .pricePerHour(1).warmUp(Duration.ofDays(4)).build();
        int decisions = cut - 4 * 144 + 1; // the decision at the cut's own step sees only earlier steps
        for (ProvisioningPolicy p : List.of(Policies.reactive(0.7), Policies.staticCapacity(99, 0.2),
                Policies.reactiveAwsAlarm(0.6))) {
            List<Integer> x = answers(a, p);
            List<Integer> y = answers(b, p);
            assertEquals(x.subList(0, decisions), y.subList(0, decisions), p.name());
            assertTrue(!x.subList(decisions, x.size()).equals(y.subList(decisions, y.size()))
                    || p.name().startsWith("static"), p.name() + " never reacted to the poisoned future");
        }
    }

    @Test
    void cost_equalsSimulatedCloudAccruedCost() {
        SimulatedCloud catalogue = SimulatedCloud.builder().build();
        Offer offer = catalogue.offers().stream()
                .filter(o -> o.instanceType().equals("m.large") && o.region().equals("us-east")).findFirst().orElseThrow();
        int[] script = {3, 3, 5, 8, 8, 6, 2, 2, 7, 7, 7, 1, 4, 4, 0, 2};
        double[] demand = new double[script.length + 1];
        Replay r = Replay.builder().trace(TimeSeries.of(T0, MINUTE, demand)).perInstance(10).offer(offer)
                .warmUp(MINUTE).build();
        Scores scores = r.run(scripted(script)).scores();

        MutableClock clock = MutableClock.at(T0.plus(MINUTE));
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        Deque<String> newestFirst = new ArrayDeque<>();
        for (int s = 0; s < script.length; s++) {
            clock.set(T0.plus(MINUTE.multipliedBy(s + 1)));
            int diff = script[s] - newestFirst.size();
            if (diff > 0) {
                for (Instance i : cloud.provision(new ProvisionRequest("p" + s, "m.large", "us-east",
                        PurchaseOption.ON_DEMAND, diff, Map.of())).instances()) {
                    newestFirst.push(i.id());
                }
            } else if (diff < 0) {
                List<String> ids = new ArrayList<>();
                for (int k = 0; k < -diff; k++) {
                    ids.add(newestFirst.pop());
                }
                cloud.release(ReleaseRequest.of("r" + s, ids));
            }
        }
        clock.set(T0.plus(MINUTE.multipliedBy(script.length + 1)));
        assertEquals(cloud.accruedCost(), scores.cost(), 1e-9);
        assertEquals(offer.bootTime(), r.bootTime());
    }

    @Test
    void run_bootInsideAStep_eachPartOfTheStepScoredWithItsOwnCapacity() {
        // 90 s boot on 1-minute steps, 10 requests per instance, 6 per hour: two instances launched at step 2
        // serve from half-way through step 3.
        Replay r = replay(new double[] {0, 10, 25, 25, 25}, 10, Duration.ofSeconds(90), 6, 1);
        ReplayResult result = r.run(scripted(1, 3, 3, 3));
        Scores s = result.scores();
        // Step 1: 10 on 10, served exactly. Step 2: 25 on 10, short the whole minute by 15. Step 3: short by 15 for
        // its first half (7.5 unserved), then 25 on 30. Step 4: 25 on 30.
        assertEquals(1.5, s.violationMinutes(), 1e-12);
        assertEquals(1.5 / 4, s.violationShare(), 1e-12);
        assertEquals(22.5 / 85, s.unservedShare(), 1e-12);
        // Utilisation 1, 1, then half a minute at 1 and half at 25/30, then 25/30: 3.75 over 4 minutes.
        assertEquals(3.75 / 4, s.meanUtilisation(), 1e-12);
        // 1 + 3 + 3 + 3 instance-minutes, boot billed: a sixth of an hour at 6.
        assertEquals(1.0, s.cost(), 1e-12);
        assertEquals(10.0 / 60, s.instanceHours(), 1e-12);
        assertEquals(1, s.scalingActions());
        assertArrayEquals(new double[] {1, 1, 2, 3}, result.readyCapacity(), 1e-12);
    }

    @Test
    void run_releaseBeyondTheBootingInstances_takesReadyOnes() {
        // 2-minute boot. Step 2 launches two; step 3 asks for 1 of the 4 paid for: the two booting go, then one
        // of the two ready. Step 4's promotion finds nothing left of that launch.
        Replay r = replay(new double[] {0, 20, 20, 15, 5, 5}, 10, Duration.ofMinutes(2), 6, 1);
        ReplayResult result = r.run(scripted(2, 4, 1, 1, 1));
        assertArrayEquals(new double[] {2, 2, 1, 1, 1}, result.readyCapacity(), 0);
        assertArrayEquals(new int[] {2, 4, 1, 1, 1}, result.activeInstances());
        Scores s = result.scores();
        // Only step 3 is short: 15 on 10.
        assertEquals(1, s.violationMinutes(), 1e-12);
        assertEquals(5.0 / 65, s.unservedShare(), 1e-12);
        assertEquals((1 + 1 + 1 + 0.5 + 0.5) / 5, s.meanUtilisation(), 1e-12);
        assertEquals(9 * 6 / 60.0, s.cost(), 1e-12);
        assertEquals(2, s.scalingActions());
    }

    @Test
    void run_withoutWarmUp_bootInsideAStep_launchAtTheFirstStepsIsScored() {
        // No warm-up: the steps k before a launch reach back to the trace's start.
        Replay r = replay(new double[] {10, 15, 15, 15}, 10, Duration.ofSeconds(90), 6, 0);
        ReplayResult result = r.run(scripted(1, 2, 2, 2));
        assertArrayEquals(new double[] {1, 1, 1.5, 2}, result.readyCapacity(), 1e-12);
        // Short by 5 at steps 1 and the first half of 2.
        assertEquals(1.5, result.scores().violationMinutes(), 1e-12);
        assertEquals(7.5 / 55, result.scores().unservedShare(), 1e-12);
    }

    @Test
    void run_bootWithinABillionthOfAStepOfWholeSteps_isWholeSteps() {
        // Two minutes less a nanosecond on 1-minute steps: ready two steps after launch, with no sliver of a
        // step scored apart.
        Replay r = replay(new double[] {0, 0, 0, 0, 0}, 10, Duration.ofMinutes(2).minusNanos(1), 6, 1);
        assertArrayEquals(new double[] {1, 1, 1, 2}, r.run(scripted(1, 2, 2, 2)).readyCapacity(), 0);
    }

    @Test
    void run_bootWithinABillionthOfAStep_servesFromTheStepOfItsLaunch() {
        // A boot of a nanosecond on 1-minute steps rounds to no step at all: two launched at step 2 serve from
        // step 2, and a release at step 3 takes one of the three then ready. Before, a boot of under a billionth
        // of a step was never promoted: the launched instances were paid for and never served, and releasing
        // one took it from the ready ones, which could go below zero.
        Replay r = replay(new double[] {0, 10, 30, 20, 20}, 10, Duration.ofNanos(1), 6, 1);
        ReplayResult result = r.run(scripted(1, 3, 2, 2));
        assertArrayEquals(new double[] {1, 3, 2, 2}, result.readyCapacity(), 0);
        assertArrayEquals(new int[] {1, 3, 2, 2}, result.activeInstances());
        assertEquals(0, result.scores().violationMinutes());
        ReplayResult released = r.run(scripted(1, 3, 0, 0));
        assertArrayEquals(new double[] {1, 3, 0, 0}, released.readyCapacity(), 0);
    }

    @Test
    void run_oversizedAfterABatchOfStepsWasReported_reportsOnlyTheRest() {
        // 4,096 steps are reported at once; the burst at step 4,500 needs 3.3 billion instances at step 4,501.
        double[] v = new double[5000];
        java.util.Arrays.fill(v, 1);
        v[4500] = 1e9;
        Replay r = replay(v, 1, MINUTE, 1, 1);
        java.util.concurrent.atomic.AtomicLong reported = new java.util.concurrent.atomic.AtomicLong();
        List<Long> reports = new ArrayList<>();
        assertThrows(OversizedFleetException.class, () -> r.run(Policies.reactive(0.3), steps -> {
            reported.addAndGet(steps);
            reports.add((long) steps);
        }));
        assertEquals(List.of(4096L, 4999L - 4096), reports);
        assertEquals(r.steps(Policies.reactive(0.3)), reported.get());
    }

    @Test
    void runAll_resultsInTheOrderGiven_asEachRunAlone() {
        Replay r = replay(new double[] {1, 1, 15, 25, 5, 20}, 10, Duration.ofMinutes(2), 6, 2);
        assertEquals(10.0, r.perInstance());
        assertEquals(6.0, r.pricePerHour());
        List<ProvisioningPolicy> policies = List.of(scripted(2, 2, 2, 2), scripted(1, 3, 3, 1), Policies.reactive(0.5));
        List<ReplayResult> all = r.runAll(policies);
        assertEquals(3, all.size());
        for (int i = 0; i < policies.size(); i++) {
            assertEquals(r.run(policies.get(i)).scores(), all.get(i).scores());
            assertArrayEquals(r.run(policies.get(i)).activeInstances(), all.get(i).activeInstances());
        }
    }

    @Test
    void run_fiveMinuteSteps_violationInMinutesAndCostInHours() {
        // One instance of 20 a step at 6 per hour: step 1 is short by 10 for its five minutes.
        Duration step = Duration.ofMinutes(5);
        Replay r = Replay.builder().trace(TimeSeries.of(T0, step, new double[] {0, 30, 10})).perInstance(20)
                .bootTime(step).pricePerHour(6).warmUp(step).build();
        Scores s = r.run(scripted(1, 1)).scores();
        assertEquals(5, s.violationMinutes(), 1e-12);
        assertEquals(0.5, s.violationShare(), 1e-12);
        assertEquals(10.0 / 40, s.unservedShare(), 1e-12);
        assertEquals((1 + 0.5) / 2, s.meanUtilisation(), 1e-12);
        assertEquals(10.0 / 60, s.instanceHours(), 1e-12);
        assertEquals(1.0, s.cost(), 1e-12);
    }

    @Test
    void view_showsTheReadyAndPaidForInstancesAndTheTimeOfTheStep() {
        // 2-minute boot: two launched at step 2 are paid for at once and ready at step 4.
        Replay r = replay(new double[] {0, 0, 0, 0, 0, 0}, 10, Duration.ofMinutes(2), 1, 1);
        List<String> seen = new ArrayList<>();
        r.run(new ProvisioningPolicy() {
            @Override
            public String name() {
                return "watching";
            }

            @Override
            public FleetSizer start(ReplayContext context) {
                return view -> {
                    seen.add(view.step() + " " + view.time() + " " + view.ready() + "/" + view.active());
                    return view.step() == 1 ? 1 : 3;
                };
            }
        });
        assertEquals(List.of("1 2024-01-01T00:01:00Z 0/0", "2 2024-01-01T00:02:00Z 1/1", "3 2024-01-01T00:03:00Z 1/3",
                "4 2024-01-01T00:04:00Z 3/3", "5 2024-01-01T00:05:00Z 3/3"), seen);
    }

    @Test
    void run_progress_reportedInBatchesOf4096Steps_neverAnEmptyOne() {
        for (int scored : new int[] {4096, 4106}) {
            double[] v = new double[scored + 1];
            Replay r = replay(v, 1, MINUTE, 1, 1);
            List<Integer> reports = new ArrayList<>();
            r.run(scripted(new int[scored]), reports::add);
            assertEquals(scored == 4096 ? List.of(4096) : List.of(4096, 10), reports);
        }
    }
}
