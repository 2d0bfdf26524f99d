package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The warm-started relaxation against commons-math's simplex, and the gaps the planner reports against
 * optima found independently: by exhaustive enumeration on small instances, by the exact search on
 * larger ones. A reported gap must be a proof: no plan may be cheaper than cost times one minus the gap.
 */
class ProvenGapTest {

    private static final CapacityPlanner EXACT = CapacityPlanner.builder()
            .strategy(CapacityPlanner.Strategy.EXACT).nodeLimit(1_000_000).build();
    private static final CapacityPlanner FAST = CapacityPlanner.builder()
            .strategy(CapacityPlanner.Strategy.FAST).build();
    /** Branch and bound for every program, stopped at a 5% gap. */
    private static final CapacityPlanner WITHIN_5_PERCENT = CapacityPlanner.builder().exactOfferLimit(0)
            .relativeGap(0.05).nodeLimit(1_000_000).build();
    /** Out of time at once: every program gets the rounded relaxation. */
    private static final CapacityPlanner OUT_OF_TIME = CapacityPlanner.builder().timeLimit(Duration.ofNanos(1))
            .build();

    static LongStream seeds() {
        return LongStream.range(1, 151);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void dualSimplex_rootAndWarmStartedChild_equalCommonsMathOptimum(long seed) {
        RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, 12, false);
        ServiceDemand d = instance.demand();
        OfferCatalogue catalogue = new OfferCatalogue(instance.offers());
        CoverProblem p = CoverProblem.of(catalogue, catalogue.allowed(d.limits()), d.required(),
                d.limits().minOnDemandInstances(), d.limits().maxSpotShare(), 0, d.interruptionPenaltyPerHour());
        if (p.trivial() || p.columns == 0) {
            return;
        }
        BoundedDualSimplex root = BoundedDualSimplex.of(p);
        BoundedDualSimplex.Status status = root.solve(Double.POSITIVE_INFINITY, 10_000);
        double[] lo = new double[p.columns];
        double[] hi = new double[p.columns];
        java.util.Arrays.fill(hi, Double.POSITIVE_INFINITY);
        assertMatchesReference(p, status, root, lo, hi, "root of seed " + seed);
        if (status != BoundedDualSimplex.Status.OPTIMAL) {
            return;
        }
        // branch on two columns as branch and bound would, and re-solve from the parent's basis
        Random rnd = new Random(seed);
        BoundedDualSimplex child = root.copy();
        for (int k = 0; k < 2; k++) {
            int j = rnd.nextInt(p.columns);
            double v = child.count(j);
            if (rnd.nextBoolean()) {
                hi[j] = Math.min(hi[j], Math.floor(v));
            } else {
                lo[j] = Math.max(lo[j], Math.floor(v) + 1);
            }
            if (lo[j] > hi[j]) {
                return;
            }
            child.setBounds(j, lo[j], hi[j]);
            BoundedDualSimplex.Status childStatus = child.solve(Double.POSITIVE_INFINITY, 10_000);
            assertMatchesReference(p, childStatus, child, lo, hi, "child " + k + " of seed " + seed);
            if (childStatus != BoundedDualSimplex.Status.OPTIMAL) {
                return;
            }
        }
    }

    /**
     * Every Gomory cut of the root holds for every integer plan within half again the brute-force
     * optimum (enumerated), and the root with the cuts stays a lower bound of that optimum while rising
     * above the plain root's bound.
     */
    @Test
    void gomoryCuts_smallInstances_keepEveryPlanAndRaiseTheRootBound() {
        int cutsSeen = 0;
        int raised = 0;
        for (long seed = 1; seed <= 200; seed++) {
            RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, 4, false);
            ServiceDemand d = instance.demand();
            OptionalDouble optimum = BruteForceCapacity.optimum(d, instance.offers());
            OfferCatalogue catalogue = new OfferCatalogue(instance.offers());
            CoverProblem p = CoverProblem.of(catalogue, catalogue.allowed(d.limits()), d.required(),
                    d.limits().minOnDemandInstances(), d.limits().maxSpotShare(), 0, d.interruptionPenaltyPerHour());
            if (optimum.isEmpty() || p.trivial() || p.columns == 0) {
                continue;
            }
            BoundedDualSimplex root = BoundedDualSimplex.of(p);
            if (root.solve(Double.POSITIVE_INFINITY, 10_000) != BoundedDualSimplex.Status.OPTIMAL) {
                continue;
            }
            double[][] cuts = root.gomoryCuts();
            cutsSeen += cuts.length;
            int[] x = new int[p.columns];
            assertPlansKept(p, cuts, x, 0, 0, 1.5 * optimum.getAsDouble(), seed);
            BoundedDualSimplex cut = BoundedDualSimplex.of(p, cuts);
            assertEquals(BoundedDualSimplex.Status.OPTIMAL, cut.solve(Double.POSITIVE_INFINITY, 10_000));
            long s = seed;
            assertTrue(cut.objective() >= root.objective() * (1 - 1e-9), () -> "seed " + s + " bound fell");
            assertTrue(cut.objective() <= optimum.getAsDouble() * (1 + 1e-9),
                    () -> "seed " + s + ": cut bound " + cut.objective() + " above the optimum " + optimum);
            raised += cut.objective() > root.objective() * (1 + 1e-6) ? 1 : 0;
        }
        assertTrue(cutsSeen > 100, "cuts found: " + cutsSeen);
        assertTrue(raised > 50, "roots raised: " + raised);
    }

    /** Enumerates count vectors of cost at most {@code limit} and checks each plan against every cut. */
    private static void assertPlansKept(CoverProblem p, double[][] cuts, int[] x, int j, double cost, double limit,
            long seed) {
        if (j == p.columns) {
            if (p.feasible(x)) {
                for (double[] cut : cuts) {
                    double lhs = 0;
                    for (int i = 0; i < p.columns; i++) {
                        lhs += cut[i] * x[i];
                    }
                    double rhs = cut[p.columns];
                    double sum = lhs;
                    assertTrue(sum >= rhs - 1e-12 * (1 + Math.abs(rhs)), () -> "seed " + seed + ": plan "
                            + java.util.Arrays.toString(x) + " breaks a cut, " + sum + " < " + rhs);
                }
            }
            return;
        }
        for (int units = 0; cost + units * p.cost[j] <= limit; units++) {
            x[j] = units;
            assertPlansKept(p, cuts, x, j + 1, cost + units * p.cost[j], limit, seed);
        }
        x[j] = 0;
    }

    /**
     * The relaxation written out again and solved by commons-math: coverage rows with coefficients capped
     * at the need, the on-demand base, the spot share with the integer check's tolerance, and the bounds.
     */
    private static void assertMatchesReference(CoverProblem p, BoundedDualSimplex.Status status,
            BoundedDualSimplex solved, double[] lo, double[] hi, String where) {
        int n = p.columns;
        List<LinearConstraint> rows = new ArrayList<>();
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (p.need[r] > 0) {
                double[] a = new double[n];
                for (int j = 0; j < n; j++) {
                    a[j] = Math.min(1, p.capacity[j][r] / p.need[r]);
                }
                rows.add(new LinearConstraint(a, Relationship.GEQ, 1 - 1e-9));
            }
        }
        if (p.minNonSpot > 0) {
            double[] a = new double[n];
            for (int j = 0; j < n; j++) {
                a[j] = p.spot[j] ? 0 : 1;
            }
            rows.add(new LinearConstraint(a, Relationship.GEQ, p.minNonSpot));
        }
        boolean anySpot = false;
        for (boolean s : p.spot) {
            anySpot |= s;
        }
        if (anySpot && p.maxSpotShare < 1) {
            double[] a = new double[n];
            for (int j = 0; j < n; j++) {
                double cpu = p.capacity[j][0];
                a[j] = (p.spot[j] ? (1 - p.maxSpotShare) * cpu : -p.maxSpotShare * cpu) - 1e-9 * cpu;
            }
            rows.add(new LinearConstraint(a, Relationship.LEQ, p.spotSlackCores * (1 + 1e-9)));
        }
        for (int j = 0; j < n; j++) {
            double[] unit = new double[n];
            unit[j] = 1;
            if (lo[j] > 0) {
                rows.add(new LinearConstraint(unit, Relationship.GEQ, lo[j]));
            }
            if (hi[j] != Double.POSITIVE_INFINITY) {
                rows.add(new LinearConstraint(unit, Relationship.LEQ, hi[j]));
            }
        }
        double reference;
        try {
            reference = new SimplexSolver(1e-9, 10, 1e-12).optimize(new MaxIter(10_000),
                    new LinearObjectiveFunction(p.cost, 0), new LinearConstraintSet(rows), GoalType.MINIMIZE,
                    new NonNegativeConstraint(true)).getValue();
        } catch (NoFeasibleSolutionException e) {
            assertEquals(BoundedDualSimplex.Status.INFEASIBLE, status, where);
            return;
        }
        assertEquals(BoundedDualSimplex.Status.OPTIMAL, status, where);
        assertEquals(reference, solved.objective(), 1e-9 * Math.max(1, reference), where);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void provenGap_smallInstance_boundsTheBruteForceOptimum(long seed) {
        RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, 4, false);
        OptionalDouble optimum = BruteForceCapacity.optimum(instance.demand(), instance.offers());
        if (optimum.isEmpty()) {
            return;
        }
        for (CapacityPlanner planner : List.of(FAST, WITHIN_5_PERCENT, OUT_OF_TIME)) {
            ServicePlan.Planned plan = assertInstanceOf(ServicePlan.Planned.class,
                    planner.plan(List.of(instance.demand()), instance.offers()).services().get(0));
            double cost = plan.expectedCostPerHour();
            double bound = cost * (1 - plan.provenGap());
            assertTrue(bound <= optimum.getAsDouble() * (1 + 1e-9) + 1e-12,
                    () -> "seed " + seed + ": bound " + bound + " above the optimum " + optimum + " for " + plan);
            assertTrue(cost >= optimum.getAsDouble() * (1 - 1e-9), () -> "seed " + seed + " beat the optimum");
        }
        ServicePlan.Planned within = (ServicePlan.Planned) WITHIN_5_PERCENT
                .plan(List.of(instance.demand()), instance.offers()).services().get(0);
        assertTrue(within.provenGap() <= 0.05 + 1e-12, () -> "seed " + seed + " " + within);
        // the gap is a fraction of the plan's cost, so the plan is within 1 / (1 - 0.05) of the optimum
        assertTrue(within.expectedCostPerHour() <= optimum.getAsDouble() / (1 - 0.05) * (1 + 1e-9),
                () -> "seed " + seed + " " + within + " against the optimum " + optimum);
    }

    static LongStream largeSeeds() {
        return LongStream.range(20_000, 20_040);
    }

    @ParameterizedTest
    @MethodSource("largeSeeds")
    void defaultPlanner_manyOffers_provenWithinOnePercentOfExactOptimum(long seed) {
        RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, 40, true);
        ServicePlan exact = EXACT.plan(List.of(instance.demand()), instance.offers(), instance.existing())
                .services().get(0);
        ServicePlan auto = CapacityPlanner.builder().build()
                .plan(List.of(instance.demand()), instance.offers(), instance.existing()).services().get(0);
        assertEquals(exact.getClass(), auto.getClass(), () -> "feasibility differs: " + exact + " vs " + auto);
        if (!(exact instanceof ServicePlan.Planned e) || !e.provenOptimal()) {
            return;
        }
        ServicePlan.Planned a = (ServicePlan.Planned) auto;
        CapacitySolverPropertyTest.assertRespectsLimits(instance, a);
        assertTrue(a.provenGap() <= 0.01 + 1e-12, () -> "gap " + a.provenGap());
        assertTrue(a.expectedCostPerHour() <= e.expectedCostPerHour() * 1.01 * (1 + 1e-9), () -> a + " vs " + e);
        assertTrue(a.expectedCostPerHour() * (1 - a.provenGap()) <= e.expectedCostPerHour() * (1 + 1e-9),
                () -> "bound above the optimum: " + a + " vs " + e);
        assertEquals(0, e.provenGap());
    }

    @Test
    void timeLimit_expired_everyServiceGetsTheRoundedRelaxationWithItsGap() {
        List<ServiceDemand> demands = new ArrayList<>();
        List<CapacityOffer> offers = new ArrayList<>();
        Random rnd = new Random(7);
        for (int i = 0; i < 30; i++) {
            offers.add(RandomCapacityInstances.offer(rnd, "type" + i));
        }
        for (int i = 0; i < 40; i++) {
            demands.add(ServiceDemand.of("svc" + i, ResourceVector.of(100 * rnd.nextDouble(), 400 * rnd.nextDouble(),
                    20 * rnd.nextDouble(), 2000 * rnd.nextDouble()),
                    CapacityLimits.of(rnd.nextDouble(), rnd.nextInt(3), Set.of(), Set.of()), 2 * rnd.nextDouble()));
        }
        CapacityPlan limited = OUT_OF_TIME.plan(demands, offers);
        CapacityPlan exact = EXACT.plan(demands, offers);
        assertEquals(40, limited.planned().size());
        for (int i = 0; i < demands.size(); i++) {
            ServicePlan.Planned fallback = limited.planned().get(i);
            ServicePlan.Planned best = exact.planned().get(i);
            assertEquals(SolverMethod.GREEDY_COVER, fallback.method());
            CapacitySolverPropertyTest.assertRespectsLimits(
                    new RandomCapacityInstances.Instance(demands.get(i), offers, List.of()), fallback);
            assertTrue(fallback.expectedCostPerHour() >= best.expectedCostPerHour() * (1 - 1e-9));
            if (best.provenOptimal()) {
                assertTrue(fallback.expectedCostPerHour() * (1 - fallback.provenGap())
                        <= best.expectedCostPerHour() * (1 + 1e-9), () -> fallback + " vs " + best);
            }
        }
    }

    @Test
    void plan_sameProgramForTwoServices_solvedOnceWithEachServicesName() {
        CapacityOffer general = CapacityOffer.onDemand("g.large", "general", "eu-west",
                ResourceVector.of(4, 16, 1, 100), 0.20, Duration.ofMinutes(6));
        CapacityOffer memory = CapacityOffer.onDemand("r.large", "memory", "eu-west",
                ResourceVector.of(4, 32, 1, 100), 0.15, Duration.ofMinutes(6));
        ResourceVector need = ResourceVector.of(10, 40, 0, 0);
        ServiceDemand a = ServiceDemand.of("a", need, CapacityLimits.unconstrained(), 0);
        ServiceDemand b = ServiceDemand.of("b", need, CapacityLimits.unconstrained(), 0);
        ServiceDemand generalOnly = ServiceDemand.of("c", need,
                CapacityLimits.of(1, 0, Set.of("general"), Set.of()), 0);
        CapacityPlan plan = CapacityPlanner.builder().build().plan(List.of(a, b, generalOnly), List.of(general, memory));
        ServicePlan.Planned pa = plan.planned().get(0);
        ServicePlan.Planned pb = plan.planned().get(1);
        ServicePlan.Planned pc = plan.planned().get(2);
        assertEquals(List.of("a", "b", "c"), List.of(pa.service(), pb.service(), pc.service()));
        assertEquals(List.of(new PlanLine.Purchase(memory, 3, 0.15 * 3)), pa.lines());
        assertEquals(pa.lines(), pb.lines());
        assertEquals(List.of(new PlanLine.Purchase(general, 3, 0.20 * 3)), pc.lines());
    }

    @Test
    void plan_offersChangeBetweenPlans_usesTheNewOffers() {
        CapacityPlanner planner = CapacityPlanner.builder().build();
        CapacityOffer dear = CapacityOffer.onDemand("g.large", "general", "eu-west",
                ResourceVector.of(4, 16, 1, 100), 0.20, Duration.ofMinutes(6));
        CapacityOffer cheap = CapacityOffer.onDemand("g.large", "general", "eu-west",
                ResourceVector.of(4, 16, 1, 100), 0.10, Duration.ofMinutes(6));
        ServiceDemand d = ServiceDemand.of("web", ResourceVector.of(8, 0, 0, 0), CapacityLimits.unconstrained(), 0);
        assertEquals(0.40, planner.plan(List.of(d), List.of(dear)).totalExpectedCostPerHour(), 1e-12);
        assertEquals(0.20, planner.plan(List.of(d), List.of(cheap)).totalExpectedCostPerHour(), 1e-12);
        assertEquals(0.40, planner.plan(List.of(d), List.of(dear)).totalExpectedCostPerHour(), 1e-12);
    }

    @Test
    void coverProblem_dominatedOffers_areLeftOutAndTheFirstOfEqualsKept() {
        ResourceVector four = ResourceVector.of(4, 16, 1, 100);
        CapacityOffer a = CapacityOffer.onDemand("a", "general", "eu-west", four, 0.20, Duration.ofMinutes(6));
        CapacityOffer same = CapacityOffer.onDemand("b", "general", "eu-west", four, 0.20, Duration.ofMinutes(6));
        CapacityOffer smaller = CapacityOffer.onDemand("c", "general", "eu-west", ResourceVector.of(2, 8, 1, 100),
                0.20, Duration.ofMinutes(6));
        CapacityOffer spot = CapacityOffer.spot("d", "general", "eu-west", four, 0.05, 0.1, Duration.ofMinutes(6));
        OfferCatalogue catalogue = new OfferCatalogue(List.of(a, same, smaller, spot));
        CoverProblem p = CoverProblem.of(catalogue, catalogue.allowed(CapacityLimits.unconstrained()),
                ResourceVector.of(8, 32, 0, 0), 0, 1, 0, 0);
        // the spot offer is cheaper, but an on-demand offer is never dominated by a spot one
        assertEquals(List.of(0, 3), java.util.Arrays.stream(p.offerIds).boxed().toList());
        CoverProblem noSpot = CoverProblem.of(catalogue, catalogue.allowed(CapacityLimits.unconstrained()),
                ResourceVector.of(8, 32, 0, 0), 0, 0, 0, 0);
        assertEquals(List.of(0), java.util.Arrays.stream(noSpot.offerIds).boxed().toList());
        // with only storage needed, the three on-demand offers provide the same at the same price: one stays
        CoverProblem storage = CoverProblem.of(catalogue, catalogue.allowed(CapacityLimits.unconstrained()),
                ResourceVector.of(0, 0, 0, 300), 0, 0, 0, 0);
        assertEquals(List.of(0), java.util.Arrays.stream(storage.offerIds).boxed().toList());
    }

    @Test
    void builder_badGapOrTimeLimit_isRejectedWithNamedParameter() {
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> CapacityPlanner.builder().relativeGap(1.5));
        assertTrue(gap.getMessage().contains("relativeGap") && gap.getMessage().contains("1.5"), gap.getMessage());
        IllegalArgumentException time = assertThrows(IllegalArgumentException.class,
                () -> CapacityPlanner.builder().timeLimit(Duration.ZERO));
        assertTrue(time.getMessage().contains("timeLimit"), time.getMessage());
        IllegalArgumentException planned = assertThrows(IllegalArgumentException.class,
                () -> new ServicePlan.Planned("web", List.of(), 1, SolverMethod.GREEDY_COVER, false, 2));
        assertTrue(planned.getMessage().contains("provenGap"), planned.getMessage());
    }
}
