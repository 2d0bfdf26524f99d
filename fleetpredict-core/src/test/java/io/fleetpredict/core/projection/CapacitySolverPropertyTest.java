package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random-instance properties of the capacity solvers: the exact method matches exhaustive enumeration,
 * the greedy method stays within a stated gap of it, and no plan of either ever breaks a limit.
 */
class CapacitySolverPropertyTest {

    /** Largest relative excess of the greedy cost over the optimum that the tests accept. */
    static final double GREEDY_MAX_GAP = 0.10;
    /** Largest mean relative excess of the greedy cost over the optimum that the tests accept. */
    static final double GREEDY_MEAN_GAP = 0.01;

    /**
     * Small instances compared with the brute-force optimum: 300, unless the system property
     * {@code fleetpredict.solverInstances} says fewer (the mutation profile runs a fast sample of every
     * comparison below, scaled alike, once per mutant).
     */
    static final int INSTANCES = Integer.getInteger("fleetpredict.solverInstances", 300);

    private static final CapacityPlanner EXACT = CapacityPlanner.builder()
            .strategy(CapacityPlanner.Strategy.EXACT).nodeLimit(1_000_000).build();
    private static final CapacityPlanner FAST = CapacityPlanner.builder()
            .strategy(CapacityPlanner.Strategy.FAST).build();
    private static final CapacityPlanner AUTO = CapacityPlanner.builder().exactOfferLimit(4).build();

    static LongStream exactnessSeeds() {
        return LongStream.rangeClosed(1, INSTANCES);
    }

    static LongStream invariantSeeds() {
        return LongStream.range(10_000, 10_000 + INSTANCES * 10L / 3);
    }

    @ParameterizedTest
    @MethodSource("exactnessSeeds")
    void branchAndBound_smallRandomInstance_equalsBruteForceOptimum(long seed) {
        RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, 4, false);
        OptionalDouble optimum = BruteForceCapacity.optimum(instance.demand(), instance.offers());
        ServicePlan plan = EXACT.plan(List.of(instance.demand()), instance.offers()).services().get(0);
        if (optimum.isEmpty()) {
            assertInstanceOf(ServicePlan.Infeasible.class, plan, () -> "brute force found no plan, got " + plan);
            return;
        }
        ServicePlan.Planned planned = assertInstanceOf(ServicePlan.Planned.class, plan,
                () -> "brute force optimum " + optimum.getAsDouble());
        assertEquals(optimum.getAsDouble(), planned.expectedCostPerHour(), 1e-9 * Math.max(1e-9, optimum.getAsDouble()),
                () -> "seed " + seed + " " + instance + " -> " + planned);
        assertTrue(planned.provenOptimal() || planned.method() == SolverMethod.EXISTING_ONLY);
    }

    @Test
    void greedyCover_smallRandomInstances_staysWithinStatedGapOfOptimum() {
        double maxGap = 0;
        double sumGap = 0;
        int compared = 0;
        int exactHits = 0;
        for (long s = 1; s <= INSTANCES; s++) {
            long seed = s;
            RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, 4, false);
            OptionalDouble optimum = BruteForceCapacity.optimum(instance.demand(), instance.offers());
            ServicePlan plan = FAST.plan(List.of(instance.demand()), instance.offers()).services().get(0);
            if (optimum.isEmpty()) {
                assertInstanceOf(ServicePlan.Infeasible.class, plan);
                continue;
            }
            ServicePlan.Planned planned = assertInstanceOf(ServicePlan.Planned.class, plan, () -> "seed " + seed);
            assertFalse(planned.provenOptimal() && planned.method() == SolverMethod.GREEDY_COVER);
            double gap = optimum.getAsDouble() == 0 ? 0 : planned.expectedCostPerHour() / optimum.getAsDouble() - 1;
            assertTrue(gap >= -1e-9, () -> "greedy beat the optimum on seed " + seed);
            maxGap = Math.max(maxGap, gap);
            sumGap += gap;
            compared++;
            if (gap <= 1e-9) {
                exactHits++;
            }
        }
        double meanGap = sumGap / compared;
        System.out.printf(Locale.ROOT, "greedy cover over %d feasible instances: max gap %.4f, mean gap %.5f,"
                + " optimal on %d%n", compared, maxGap, meanGap, exactHits);
        assertTrue(compared >= INSTANCES * 2 / 3, "too few feasible instances: " + compared);
        assertTrue(maxGap <= GREEDY_MAX_GAP, "max gap " + maxGap);
        assertTrue(meanGap <= GREEDY_MEAN_GAP, "mean gap " + meanGap);
    }

    @ParameterizedTest
    @MethodSource("invariantSeeds")
    void everySolver_randomInstance_respectsEveryLimit(long seed) {
        RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, 8, true);
        for (CapacityPlanner planner : List.of(FAST, AUTO)) {
            ServicePlan plan = planner.plan(List.of(instance.demand()), instance.offers(), instance.existing())
                    .services().get(0);
            if (plan instanceof ServicePlan.Planned planned) {
                assertRespectsLimits(instance, planned);
            }
        }
        ServicePlan fast = FAST.plan(List.of(instance.demand()), instance.offers(), instance.existing())
                .services().get(0);
        ServicePlan auto = AUTO.plan(List.of(instance.demand()), instance.offers(), instance.existing())
                .services().get(0);
        assertEquals(fast.getClass(), auto.getClass(), () -> "feasibility differs: " + fast + " vs " + auto);
    }

    static LongStream largeSeeds() {
        return LongStream.range(20_000, 20_000 + INSTANCES / 3);
    }

    @ParameterizedTest
    @MethodSource("largeSeeds")
    void greedyCover_manyOffersOnShortlist_respectsEveryLimitAndNeverBeatsExact(long seed) {
        RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, 40, true);
        ServicePlan fast = FAST.plan(List.of(instance.demand()), instance.offers(), instance.existing())
                .services().get(0);
        if (fast instanceof ServicePlan.Planned planned) {
            assertRespectsLimits(instance, planned);
        }
        ServicePlan exact = EXACT.plan(List.of(instance.demand()), instance.offers(), instance.existing())
                .services().get(0);
        assertEquals(exact.getClass(), fast.getClass(), () -> "feasibility differs: " + exact + " vs " + fast);
        if (exact instanceof ServicePlan.Planned e && e.provenOptimal()) {
            double greedyCost = ((ServicePlan.Planned) fast).expectedCostPerHour();
            assertTrue(greedyCost >= e.expectedCostPerHour() * (1 - 1e-9), () -> "greedy below optimum " + seed);
        }
    }

    static void assertRespectsLimits(RandomCapacityInstances.Instance instance, ServicePlan.Planned plan) {
        ServiceDemand demand = instance.demand();
        CapacityLimits limits = demand.limits();
        double cpu = 0;
        double mem = 0;
        double bw = 0;
        double storage = 0;
        double spotCpu = 0;
        int nonInterruptible = 0;
        double cost = 0;
        for (PlanLine line : plan.lines()) {
            assertTrue(line.count() > 0);
            ResourceVector c = line.capacity();
            cpu += c.cpuCores();
            mem += c.memoryGiB();
            bw += c.bandwidthGbps();
            storage += c.storageGiB();
            cost += line.expectedCostPerHour();
            if (line instanceof PlanLine.Purchase p) {
                assertTrue(instance.offers().contains(p.offer()));
                assertTrue(limits.allows(p.offer().family(), p.offer().region()), () -> "family/region " + p);
                double unitCost = BruteForceCapacity.expectedCost(p.offer(), demand.interruptionPenaltyPerHour());
                assertEquals(p.count() * unitCost, p.expectedCostPerHour(), 1e-12 * p.expectedCostPerHour());
            } else if (line instanceof PlanLine.Reuse r) {
                assertTrue(instance.existing().contains(r.source()));
                assertTrue(limits.allows(r.source().family(), r.source().region()), () -> "family/region " + r);
                assertTrue(r.count() <= r.source().count());
            }
            if (line.interruptible()) {
                spotCpu += c.cpuCores();
            } else {
                nonInterruptible += line.count();
            }
        }
        double tol = BruteForceCapacity.TOLERANCE;
        ResourceVector need = demand.required();
        String where = plan.toString();
        assertTrue(cpu >= need.cpuCores() * (1 - tol), () -> "cpu " + where);
        assertTrue(mem >= need.memoryGiB() * (1 - tol), () -> "memory " + where);
        assertTrue(bw >= need.bandwidthGbps() * (1 - tol), () -> "bandwidth " + where);
        assertTrue(storage >= need.storageGiB() * (1 - tol), () -> "storage " + where);
        assertTrue(spotCpu <= limits.maxSpotShare() * cpu + tol * cpu, () -> "spot share " + where);
        assertTrue(nonInterruptible >= limits.minOnDemandInstances(), () -> "on-demand base " + where);
        assertEquals(cost, plan.expectedCostPerHour(), 1e-9 * Math.max(1, cost));
    }
}
