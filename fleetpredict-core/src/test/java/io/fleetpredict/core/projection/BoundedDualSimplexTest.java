package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fleetpredict.core.projection.BoundedDualSimplex.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.LongStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relaxation of branch and bound on its own: pivots worked by hand on a three-offer program (the
 * leaving row by relative violation, the entering column by the dual ratio test, the statuses at their
 * limits), and on seeded programs under seeded bound changes the optimum against Commons Math's simplex,
 * the duals as a proof of the bound, a warm start against a cold one, and each Gomory cut against the
 * cut its Javadoc defines (computed here from an LU factorisation of the basis) and against every integer
 * point of a box.
 */
class BoundedDualSimplexTest {

    private static final double EPS = CoverProblem.TOLERANCE;
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final Duration BOOT = Duration.ofMinutes(5);

    /**
     * a: 4 cores and 8 GiB at 0.20 an hour, b: 2 and 16 at 0.15, c: 8 and 4 at 0.25; none dominates another,
     * so the columns are a, b, c in that order. Against a need of 53.8 cores and 340.4 GiB the relaxation's
     * optimum is b = 20.9 and c = 1.5 (2 b + 8 c = 53.8 and 16 b + 4 c = 340.4), each times 1 - EPS, at
     * 3.51 (1 - EPS); its duals are 0.0283333 an hour per core and 0.00583333 per GiB (8 y1 + 4 y2 = 0.25,
     * 2 y1 + 16 y2 = 0.15), which price a at 0.16, 0.04 under its cost.
     */
    private static final List<CapacityOffer> THREE = List.of(
            CapacityOffer.onDemand("a", "general", "eu-west", ResourceVector.of(4, 8, 0, 0), 0.20, BOOT),
            CapacityOffer.onDemand("b", "memory", "eu-west", ResourceVector.of(2, 16, 0, 0), 0.15, BOOT),
            CapacityOffer.onDemand("c", "compute", "eu-west", ResourceVector.of(8, 4, 0, 0), 0.25, BOOT));
    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;
    /** The surpluses of the CPU and memory rows come after the three counts. */
    private static final int CPU_SURPLUS = 3;
    private static final int MEMORY_SURPLUS = 4;

    private static CoverProblem program(List<CapacityOffer> offers, ResourceVector need, int minNonSpot,
            double maxSpotShare, double slack) {
        OfferCatalogue c = new OfferCatalogue(offers);
        return CoverProblem.of(c, c.allowed(CapacityLimits.unconstrained()), need, minNonSpot, maxSpotShare, slack, 0);
    }

    private static CoverProblem handWorked() {
        CoverProblem p = program(THREE, ResourceVector.of(53.8, 340.4, 0, 0), 0, 1, 0);
        assertEquals(3, p.columns);
        return p;
    }

    @Test
    void solve_handWorkedProgram_pivotsByTheRatioTestToTheOptimumAndItsDuals() {
        CoverProblem p = handWorked();
        BoundedDualSimplex s = BoundedDualSimplex.of(p);
        // Both surpluses start at -(1 - EPS), equally short: the first row, the CPU's, leaves. In units of
        // the dearest cost (0.25) the costs are a 0.8, b 0.6, c 1 and the row's coefficients 4, 2 and 8 over
        // 53.8, so the ratios are 10.76, 16.14 and 6.725: c enters, at 53.8 / 8 = 6.725 units.
        assertEquals(Status.ITERATION_LIMIT, s.solve(INF, 1));
        assertTrue(s.basic(C));
        assertFalse(s.basic(A) || s.basic(B) || s.basic(CPU_SURPLUS));
        assertEquals(6.725 * (1 - EPS), s.count(C), 1e-12);
        assertEquals(0.25 * 6.725 * (1 - EPS), s.objective(), 1e-12);
        // The memory row is now short by 1 - 4 x 6.725 / 340.4; its ratios are a 17.02, b 7.9427 and the CPU
        // surplus 85.1: b enters, and the basis is optimal after this second pivot.
        assertEquals(Status.OPTIMAL, s.solve(INF, 1));
        assertTrue(s.basic(B) && s.basic(C));
        assertEquals(0, s.count(A));
        assertEquals(20.9 * (1 - EPS), s.count(B), 1e-9);
        assertEquals(1.5 * (1 - EPS), s.count(C), 1e-9);
        assertEquals(3.51 * (1 - EPS), s.objective(), 1e-12);
        assertEquals(s.objective(), s.solvedObjective());
        // the duals of the rows, each per row scaled by its need: 0.0283333 x 53.8 and 0.00583333 x 340.4
        double perGiB = 0.0875 / 15;
        double perCore = (0.25 - 4 * perGiB) / 8;
        assertEquals(perCore * 53.8, s.reducedCost(CPU_SURPLUS), 1e-12);
        assertEquals(perGiB * 340.4, s.reducedCost(MEMORY_SURPLUS), 1e-12);
        assertEquals(0.04, s.reducedCost(A), 1e-12);
        assertEquals(0, s.reducedCost(B), 1e-12);
        assertEquals(0, s.reducedCost(C), 1e-12);
        assertMatchesReference(p, rows(p, new double[0][]), s, Status.OPTIMAL, new double[3], infinite(3), "root");
    }

    @Test
    void solve_bothBasicCountsBranchedDown_theRelativelyFurthestLeavesFirst() {
        CoverProblem p = handWorked();
        BoundedDualSimplex s = branchedDown(p);
        // b is 0.9 above 20 (0.9 / 21 relative to its bound), c 0.5 above 1 (0.5 / 2): c leaves first, to its
        // upper bound. Its tableau row is c + 0.4 a + 5.673 s_memory - ... s_cpu = 1.5; a and the memory surplus
        // bring c down, at ratios 0.16 / 0.4 and 7.943 / 5.673 (reduced costs over the dearest cost): a enters,
        // by (1.5 - 1) / 0.4 = 1.25 (to within EPS terms).
        assertEquals(Status.ITERATION_LIMIT, s.solve(INF, 1));
        assertFalse(s.basic(C));
        assertTrue(s.nonbasicAtUpper(C));
        assertEquals(1, s.count(C));
        assertTrue(s.basic(A) && s.basic(B));
        assertEquals(1.25, s.count(A), 1e-6);
        assertEquals(20.4, s.count(B), 1e-6);
        // then b leaves to 20, and c comes back into the basis from its upper bound: a = 2.25, c = 0.6
        // (4 a + 8 c = 13.8, 8 a + 4 c = 20.4)
        assertEquals(Status.OPTIMAL, s.solve(INF, 1));
        assertTrue(s.nonbasicAtUpper(B));
        assertTrue(s.basic(A) && s.basic(C));
        assertEquals(2.25, s.count(A), 1e-6);
        assertEquals(20, s.count(B));
        assertEquals(0.6, s.count(C), 1e-6);
        assertEquals(3.6, s.objective(), 1e-7);
        assertMatchesReference(p, rows(p, new double[0][]), s, Status.OPTIMAL, new double[3],
                new double[] {INF, 20, 1}, "branched down");
    }

    /** The hand-worked program's optimum with b branched down to 20 and c to 1, not solved again yet. */
    private static BoundedDualSimplex branchedDown(CoverProblem p) {
        BoundedDualSimplex s = BoundedDualSimplex.of(p);
        assertEquals(Status.OPTIMAL, s.solve(INF, 10));
        s.setBounds(B, 0, 20);
        s.setBounds(C, 0, 1);
        return s;
    }

    @Test
    void solve_bothBasicCountsBranchedUp_theRelativelyFurthestLeavesFirst() {
        CoverProblem p = handWorked();
        BoundedDualSimplex s = BoundedDualSimplex.of(p);
        assertEquals(Status.OPTIMAL, s.solve(INF, 10));
        s.setBounds(B, 21, INF);
        s.setBounds(C, 2, INF);
        // b is 0.1 below 21 (0.1 / 22 relative), c 0.5 below 2 (0.5 / 3): c leaves first, to its lower bound,
        // and the CPU surplus enters (the only column that moves c up); then b leaves, the memory surplus
        // enters, and both counts sit at their lower bounds: 0.15 x 21 + 0.25 x 2 = 3.65.
        assertEquals(Status.ITERATION_LIMIT, s.solve(INF, 1));
        assertFalse(s.basic(C) || s.nonbasicAtUpper(C));
        assertEquals(2, s.count(C));
        assertTrue(s.basic(B) && s.basic(CPU_SURPLUS));
        assertEquals(20.775, s.count(B), 1e-6);
        assertEquals(Status.OPTIMAL, s.solve(INF, 1));
        assertTrue(s.basic(CPU_SURPLUS) && s.basic(MEMORY_SURPLUS));
        assertEquals(21, s.count(B));
        assertEquals(0, s.count(A));
        assertEquals(3.65, s.objective(), 1e-12);
        assertMatchesReference(p, rows(p, new double[0][]), s, Status.OPTIMAL, new double[] {0, 21, 2}, infinite(3),
                "branched up");
    }

    @Test
    void solve_tinyPrices_pivotTheSameWayToTheScaledOptimum() {
        // the costs are divided by the dearest before any tolerance applies: at 1e-15 of the prices the
        // ratios differ by less than the dual tolerance in absolute terms (a tie, which the larger pivot, the
        // CPU surplus, would win at the second pivot), but not relative to the dearest cost
        List<CapacityOffer> tiny = new ArrayList<>();
        for (CapacityOffer o : THREE) {
            tiny.add(CapacityOffer.onDemand(o.instanceType(), o.family(), o.region(), o.capacity(),
                    o.pricePerHour() * 1e-15, BOOT));
        }
        CoverProblem p = program(tiny, ResourceVector.of(53.8, 340.4, 0, 0), 0, 1, 0);
        BoundedDualSimplex s = BoundedDualSimplex.of(p);
        assertEquals(Status.ITERATION_LIMIT, s.solve(INF, 1));
        assertTrue(s.basic(C));
        assertEquals(Status.OPTIMAL, s.solve(INF, 1));
        assertTrue(s.basic(B) && s.basic(C));
        assertEquals(3.51e-15 * (1 - EPS), s.objective(), 1e-27);
        assertEquals(0.04e-15, s.reducedCost(A), 1e-27);
    }

    /**
     * Two columns whose ratios tie in the leaving row (one twice the other's cores at twice its price):
     * the larger pivot enters, whichever comes first.
     */
    @Test
    void solve_ratiosTie_theLargerPivotEnters() {
        CapacityOffer small = CapacityOffer.onDemand("small", "memory", "eu-west", ResourceVector.of(4, 16, 0, 0),
                0.20, BOOT);
        CapacityOffer large = CapacityOffer.onDemand("large", "compute", "eu-west", ResourceVector.of(8, 8, 0, 0),
                0.40, BOOT);
        for (List<CapacityOffer> offers : List.of(List.of(small, large), List.of(large, small))) {
            CoverProblem p = program(offers, ResourceVector.of(40, 40, 0, 0), 0, 1, 0);
            int largeColumn = offers.indexOf(large);
            BoundedDualSimplex s = BoundedDualSimplex.of(p);
            // both rows start equally short; in the first, the CPU row, small has 4 / 40 at 0.5 of the dearest
            // cost and large 8 / 40 at 1: both ratios are 5, and large, the larger pivot, enters, 5 units. Its
            // 40 GiB meet the memory row too: optimal after that pivot (10 small would cost as much).
            assertEquals(Status.OPTIMAL, s.solve(INF, 1), offers.toString());
            assertTrue(s.basic(largeColumn), offers.toString());
            assertFalse(s.basic(1 - largeColumn), offers.toString());
            assertEquals(5 * (1 - EPS), s.count(largeColumn), 1e-12);
            assertEquals(2 * (1 - EPS), s.objective(), 1e-12);
        }
    }

    /**
     * One on-demand and one spot offer of 4 cores, 40 cores needed, at most half of them spot, with 8 cores
     * of slack in the share (16 reused cores at one half). The share row, negated and over 40 cores, keeps
     * the tolerance of the integer check: (2 - 4 EPS) spot - (2 + 4 EPS) on-demand <= 8 (1 + EPS). With the
     * cores row, spot + on-demand = 10 (1 - EPS): spot = 7 + 7 EPS - 10 EPS^2, on-demand = 3 - 17 EPS + 10 EPS^2,
     * at 0.95 - 3.05 EPS an hour.
     */
    @Test
    void solve_spotShareWithSlack_keepsTheShareChecksTolerance() {
        CapacityOffer onDemand = CapacityOffer.onDemand("o", "general", "eu-west", ResourceVector.of(4, 16, 0, 0),
                0.20, BOOT);
        CapacityOffer spot = CapacityOffer.spot("s", "general", "eu-west", ResourceVector.of(4, 16, 0, 0), 0.05, 0,
                BOOT);
        CoverProblem p = program(List.of(onDemand, spot), ResourceVector.of(40, 0, 0, 0), 0, 0.5, 8);
        assertEquals(2, p.columns);
        BoundedDualSimplex s = BoundedDualSimplex.of(p);
        assertEquals(Status.OPTIMAL, s.solve(INF, 10));
        assertEquals(3 - 17 * EPS, s.count(0), 1e-13);
        assertEquals(7 + 7 * EPS, s.count(1), 1e-13);
        assertEquals(0.95 - 3.05 * EPS, s.objective(), 1e-14);
        assertMatchesReference(p, rows(p, new double[0][]), s, Status.OPTIMAL, new double[2], infinite(2), "share");
    }

    @Test
    void solve_cutoffAndPivotLimit_stopWhereTheBoundReachesTheCutoffAndAtTheLimit() {
        CoverProblem p = handWorked();
        // the bound after 0, 1 and 2 pivots: 0, 0.25 x 6.725 (1 - EPS), 3.51 (1 - EPS), the optimum
        double first = 0.25 * 6.725 * (1 - EPS);
        BoundedDualSimplex optimal = BoundedDualSimplex.of(p);
        assertEquals(Status.OPTIMAL, optimal.solve(INF, 2));
        double optimum = optimal.solvedObjective();
        assertEquals(3.51 * (1 - EPS), optimum, 1e-12);

        BoundedDualSimplex none = BoundedDualSimplex.of(p);
        assertEquals(Status.ITERATION_LIMIT, none.solve(INF, 0));
        assertEquals(0, none.count(C));
        assertEquals(Status.ITERATION_LIMIT, BoundedDualSimplex.of(p).solve(INF, 1));
        // an optimal basis needs no pivot to be recognised
        assertEquals(Status.OPTIMAL, optimal.solve(INF, 0));
        assertEquals(optimum, optimal.solvedObjective());

        // a cutoff of 0 is reached before any pivot
        BoundedDualSimplex atZero = BoundedDualSimplex.of(p);
        assertEquals(Status.CUTOFF, atZero.solve(0, 10));
        assertEquals(0, atZero.solvedObjective());
        assertEquals(0, atZero.count(C));
        // between the first and the second bound: stopped after the first pivot, with its bound
        BoundedDualSimplex afterOne = BoundedDualSimplex.of(p);
        assertEquals(Status.CUTOFF, afterOne.solve(1.0, 10));
        assertEquals(first, afterOne.solvedObjective(), 1e-12);
        assertTrue(afterOne.basic(C) && !afterOne.basic(B));
        // between the first bound and the optimum, the last pivot reaches it
        BoundedDualSimplex afterTwo = BoundedDualSimplex.of(p);
        assertEquals(Status.CUTOFF, afterTwo.solve(3.0, 10));
        assertEquals(optimum, afterTwo.solvedObjective());
        // a cutoff of exactly the optimum is reached; one just above it is not
        assertEquals(Status.CUTOFF, BoundedDualSimplex.of(p).solve(optimum, 10));
        BoundedDualSimplex above = BoundedDualSimplex.of(p);
        assertEquals(Status.OPTIMAL, above.solve(Math.nextUp(optimum), 10));
        assertEquals(optimum, above.solvedObjective());
        // a cutoff under the last bound a pivot limit left is reached on the next call, before any pivot
        BoundedDualSimplex limited = BoundedDualSimplex.of(p);
        assertEquals(Status.ITERATION_LIMIT, limited.solve(INF, 1));
        double reached = limited.objective();
        assertEquals(first, reached, 1e-12);
        assertEquals(Status.CUTOFF, limited.solve(reached, 0));
        assertEquals(reached, limited.solvedObjective());
        // a child of the optimum whose parent's bound already reaches the cutoff: abandoned before any pivot
        BoundedDualSimplex child = optimal.copy();
        child.setBounds(B, 0, 20);
        assertEquals(Status.CUTOFF, child.solve(optimum, 10));
        assertEquals(optimum, child.solvedObjective());
        assertTrue(child.basic(B));
        assertEquals(20.9 * (1 - EPS), child.count(B), 1e-9);
        // ten units of a bought by their lower bound cost 2: a bound of 2 before any pivot
        BoundedDualSimplex tenOfA = BoundedDualSimplex.of(p);
        tenOfA.setBounds(A, 10, INF);
        assertEquals(Status.CUTOFF, tenOfA.solve(1.0, 10));
        assertEquals(2.0, tenOfA.solvedObjective(), 1e-15);
        assertFalse(tenOfA.basic(A));
    }

    @Test
    void solve_boundsNoPointMeets_isInfeasibleWarmAndCold() {
        CoverProblem p = handWorked();
        BoundedDualSimplex warm = BoundedDualSimplex.of(p);
        assertEquals(Status.OPTIMAL, warm.solve(INF, 10));
        BoundedDualSimplex cold = BoundedDualSimplex.of(p);
        for (int j = 0; j < 3; j++) {
            // one of each gives 14 cores, short of 53.8
            warm.setBounds(j, 0, 1);
            cold.setBounds(j, 0, 1);
        }
        assertTrue(warm.boundsConsistent() && cold.boundsConsistent());
        assertEquals(Status.INFEASIBLE, warm.solve(INF, 100));
        assertEquals(Status.INFEASIBLE, cold.solve(INF, 100));
    }

    @Test
    void solve_columnsFixedAtZero_neverEnterAndTheRestCovers() {
        CoverProblem p = handWorked();
        BoundedDualSimplex s = BoundedDualSimplex.of(p);
        s.setBounds(A, 0, 0);
        s.setBounds(C, 0, 0);
        // b alone: 26.9 units for the cores (430.4 GiB, more than the memory asked), 0.15 x 26.9 = 4.035
        assertEquals(Status.OPTIMAL, s.solve(INF, 100));
        assertEquals(0, s.count(A));
        assertEquals(0, s.count(C));
        assertEquals(26.9 * (1 - EPS), s.count(B), 1e-9);
        assertEquals(4.035 * (1 - EPS), s.objective(), 1e-12);
        // fixed at one unit each, b covers the rest: 53.8 - 12 = 41.8 cores, 20.9 units
        BoundedDualSimplex one = BoundedDualSimplex.of(p);
        one.setBounds(A, 1, 1);
        one.setBounds(C, 1, 1);
        assertEquals(Status.OPTIMAL, one.solve(INF, 100));
        assertEquals(1, one.count(A));
        assertEquals(1, one.count(C));
        assertEquals(0.45 + 0.15 * 20.9, one.objective(), 1e-7);
    }

    @Test
    void setBounds_crossedAndUncrossed_boundsConsistentFollowsAndANonbasicCountFollowsItsBound() {
        CoverProblem p = handWorked();
        double[][] rows = rows(p, new double[0][]);
        BoundedDualSimplex crossedFirst = BoundedDualSimplex.of(p);
        crossedFirst.setBounds(C, 2, 1);
        assertFalse(crossedFirst.boundsConsistent());
        BoundedDualSimplex s = BoundedDualSimplex.of(p);
        assertTrue(s.boundsConsistent());
        s.setBounds(A, 1, 1);
        assertTrue(s.boundsConsistent(), "equal bounds are consistent");
        s.setBounds(B, 3, 2);
        assertFalse(s.boundsConsistent());
        s.setBounds(B, 2, 2);
        assertTrue(s.boundsConsistent(), "uncrossed again");
        s.setBounds(C, 2, 1);
        assertFalse(s.boundsConsistent());
        s.setBounds(C, 0, INF);
        assertTrue(s.boundsConsistent());
        // the nonbasic counts sit at their lower bounds, and each surplus follows: s = a x - b
        assertEquals(1, s.count(A));
        assertEquals(2, s.count(B));
        assertEquals(0, s.count(C));
        assertSurplusesMatchTheRows(p, rows, s, "cold");

        BoundedDualSimplex warm = branchedDown(p);
        assertEquals(Status.ITERATION_LIMIT, warm.solve(INF, 1));
        assertTrue(warm.nonbasicAtUpper(C));
        // lower the upper bound of a count that sits at it: it moves down with the bound
        warm.setBounds(C, 0, 0.5);
        assertTrue(warm.nonbasicAtUpper(C));
        assertEquals(0.5, warm.count(C));
        assertSurplusesMatchTheRows(p, rows, warm, "moved to its new upper bound");
        // raise its lower bound: it stays at its upper one
        warm.setBounds(C, 0.25, 0.5);
        assertEquals(0.5, warm.count(C));
        // an upper bound taken away: it cannot sit at infinity, it goes to its lower bound
        warm.setBounds(C, 0.25, INF);
        assertFalse(warm.nonbasicAtUpper(C));
        assertEquals(0.25, warm.count(C));
        assertSurplusesMatchTheRows(p, rows, warm, "moved to its lower bound");
        assertTrue(warm.boundsConsistent());
        // a basic count does not move with its bounds (a entered the first row, b is in the second)
        double a = warm.count(A);
        double b = warm.count(B);
        warm.setBounds(A, 0, 1);
        warm.setBounds(B, 0, 5);
        assertEquals(a, warm.count(A));
        assertEquals(b, warm.count(B));
        assertTrue(warm.basic(A) && warm.basic(B));
    }

    @Test
    void copy_solvedApart_leavesTheOriginalAsItWas() {
        CoverProblem p = handWorked();
        BoundedDualSimplex s = BoundedDualSimplex.of(p);
        BoundedDualSimplex c = s.copy();
        c.setBounds(B, 0, 3);
        assertEquals(Status.OPTIMAL, c.solve(INF, 10));
        assertEquals(0, s.count(B));
        assertEquals(0, s.objective());
        assertEquals(INF, s.upper[B]);
        assertEquals(Status.OPTIMAL, s.solve(INF, 10));
        assertEquals(3.51 * (1 - EPS), s.objective(), 1e-12);
        assertTrue(c.objective() > s.objective());
        // the counts alone, not the surpluses
        assertEquals("BoundedDualSimplex[values=" + Arrays.toString(new double[] {s.count(A), s.count(B), s.count(C)})
                + "]", s.toString());
    }

    // ---------------------------------------------------------------------------------------------
    // seeded programs

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 120);
    }

    /**
     * A seeded program, solved cold, then under four seeded bound changes of the kinds branch and bound
     * makes (a branch down or up on a count, a count fixed, an upper bound brought near the lower one), each
     * solved warm from the last basis and cold from the all-surplus basis with every bound set first: both
     * give Commons Math's optimum (or both its infeasibility), with duals that prove it. On the way the bound
     * of every intermediate basis is checked to rise pivot by pivot and never pass the optimum, and a cutoff
     * between two of them to stop the solve at the first basis that reaches it.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void solve_seededProgramsUnderBoundChanges_matchCommonsMathWarmAndCold(long seed) {
        Random rnd = new Random(seed);
        CoverProblem p = seededProgram(seed, 8, rnd);
        if (p.trivial() || p.columns == 0) {
            return;
        }
        int n = p.columns;
        double[][] rows = rows(p, new double[0][]);
        double[] lo = new double[n];
        double[] hi = infinite(n);
        BoundedDualSimplex warm = BoundedDualSimplex.of(p);
        Status status = warm.solve(INF, 10_000);
        String where = "seed " + seed;
        assertMatchesReference(p, rows, warm, status, lo, hi, where + " root");
        if (status != Status.OPTIMAL) {
            return;
        }
        assertBoundsRisePivotByPivot(p, rows, warm.solvedObjective(), where);
        for (int change = 0; change < 4; change++) {
            int j = rnd.nextInt(n);
            double v = warm.count(j);
            switch (rnd.nextInt(4)) {
                case 0 -> hi[j] = Math.min(hi[j], Math.floor(v));
                case 1 -> lo[j] = Math.max(lo[j], Math.floor(v) + 1);
                case 2 -> {
                    lo[j] = Math.max(lo[j], Math.floor(v));
                    hi[j] = lo[j];
                }
                default -> hi[j] = Math.min(hi[j], lo[j] + rnd.nextInt(3));
            }
            warm.setBounds(j, lo[j], hi[j]);
            if (lo[j] > hi[j]) {
                assertFalse(warm.boundsConsistent(), where);
                return;
            }
            assertTrue(warm.boundsConsistent(), where);
            assertSurplusesMatchTheRows(p, rows, warm, where + " after a bound change");
            BoundedDualSimplex cold = BoundedDualSimplex.of(p);
            for (int i = 0; i < n; i++) {
                cold.setBounds(i, lo[i], hi[i]);
            }
            assertSurplusesMatchTheRows(p, rows, cold, where + " cold, bounds set");
            Status warmStatus = warm.solve(INF, 10_000);
            Status coldStatus = cold.solve(INF, 10_000);
            String at = where + " change " + change;
            assertEquals(coldStatus, warmStatus, at);
            assertMatchesReference(p, rows, warm, warmStatus, lo, hi, at + " warm");
            assertMatchesReference(p, rows, cold, coldStatus, lo, hi, at + " cold");
            if (warmStatus != Status.OPTIMAL) {
                return;
            }
        }
    }

    /** A program from the seeded instances, with spare cores in the share (as idle capacity gives) half the time. */
    private static CoverProblem seededProgram(long seed, int maxOffers, Random rnd) {
        RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, maxOffers, false);
        ServiceDemand d = instance.demand();
        OfferCatalogue catalogue = new OfferCatalogue(instance.offers());
        double slack = rnd.nextBoolean() ? 0 : 4 * rnd.nextDouble();
        return CoverProblem.of(catalogue, catalogue.allowed(d.limits()), d.required(),
                d.limits().minOnDemandInstances(), d.limits().maxSpotShare(), slack, d.interruptionPenaltyPerHour());
    }

    /**
     * The bound after k pivots, k = 0, 1, ... up to the optimum: never lower than the one before, never above
     * the optimum, an iteration limit below the pivots the optimum takes and optimal at it; a cutoff halfway
     * between two different bounds stops the solve at the first of them that reaches it, with that bound.
     */
    private static void assertBoundsRisePivotByPivot(CoverProblem p, double[][] rows, double optimum, String where) {
        List<Double> bounds = new ArrayList<>();
        for (int k = 0; ; k++) {
            BoundedDualSimplex s = BoundedDualSimplex.of(p);
            Status status = s.solve(INF, k);
            bounds.add(s.objective());
            assertDualFeasible(p, rows, s, where + " after " + k + " pivots");
            if (status == Status.OPTIMAL) {
                assertEquals(optimum, s.objective(), where);
                break;
            }
            assertEquals(Status.ITERATION_LIMIT, status, where);
            assertTrue(k < 1000, where);
        }
        for (int k = 1; k < bounds.size(); k++) {
            assertTrue(bounds.get(k) >= bounds.get(k - 1) * (1 - 1e-12) - 1e-15, where + " bound fell at " + k);
            assertTrue(bounds.get(k) <= optimum * (1 + 1e-12), where + " bound above the optimum at " + k);
        }
        for (int k = 1; k < bounds.size(); k++) {
            double before = bounds.get(k - 1);
            double after = bounds.get(k);
            if (after > before * (1 + 1e-6) + 1e-12) {
                BoundedDualSimplex s = BoundedDualSimplex.of(p);
                assertEquals(Status.CUTOFF, s.solve((before + after) / 2, 10_000), where);
                assertEquals(after, s.solvedObjective(), 1e-12 * Math.max(1, after), where + " cutoff after " + k);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Gomory cuts

    /**
     * Two rounds of cuts, as the search's root makes them (the second from the relaxation with the first
     * round's rows added): each round equal to the mixed-integer cuts of the Javadoc's formula over the
     * same basis, computed here from an LU factorisation of the basis columns; every cut kept by every
     * integer point of a box that meets the rows, and violated by the fractional optimum it was made from;
     * the bound with the cuts between the bound without them and the cheapest integer point of the box.
     */
    @Test
    void gomoryCuts_seededRoots_areTheDocumentedCutsValidForEveryIntegerPointAndCutTheOptimumOff() {
        int compared = 0;
        int secondRound = 0;
        int raised = 0;
        for (long seed = 1; seed <= 160; seed++) {
            Random rnd = new Random(seed);
            CoverProblem p = seededProgram(seed, 4, rnd);
            if (p.trivial() || p.columns == 0) {
                continue;
            }
            BoundedDualSimplex root = BoundedDualSimplex.of(p);
            if (root.solve(INF, 10_000) != Status.OPTIMAL) {
                continue;
            }
            String where = "seed " + seed;
            double[][] cuts = root.gomoryCuts();
            compared += assertDocumentedCuts(p, rows(p, new double[0][]), root, cuts, where);
            double cheapest = assertKeptByEveryIntegerPoint(p, cuts, where);
            if (cuts.length == 0) {
                continue;
            }
            BoundedDualSimplex tighter = BoundedDualSimplex.of(p, cuts);
            assertEquals(Status.OPTIMAL, tighter.solve(INF, 10_000), where);
            assertTrue(tighter.objective() >= root.objective() * (1 - 1e-9), where + " bound fell");
            assertTrue(tighter.objective() <= cheapest * (1 + 1e-9), where + " bound above an integer point");
            raised += tighter.objective() > root.objective() * (1 + 1e-6) ? 1 : 0;
            double[][] second = tighter.gomoryCuts();
            if (second.length > 0) {
                secondRound++;
                compared += assertDocumentedCuts(p, rows(p, cuts), tighter, second, where + " second round");
                assertKeptByEveryIntegerPoint(p, second, where + " second round");
            }
        }
        assertTrue(compared > 150, "cuts compared: " + compared);
        assertTrue(secondRound > 20, "second rounds: " + secondRound);
        assertTrue(raised > 40, "roots raised: " + raised);
    }

    @Test
    void gomoryCuts_aNonbasicCountOffZero_givesNone() {
        int seen = 0;
        for (long seed = 1; seed <= 160; seed++) {
            Random rnd = new Random(seed);
            CoverProblem p = seededProgram(seed, 6, rnd);
            if (p.trivial() || p.columns == 0) {
                continue;
            }
            BoundedDualSimplex root = BoundedDualSimplex.of(p);
            if (root.solve(INF, 10_000) != Status.OPTIMAL || root.gomoryCuts().length == 0) {
                continue;
            }
            for (int j = 0; j < p.columns; j++) {
                if (root.basic(j)) {
                    continue;
                }
                BoundedDualSimplex raisedOne = root.copy();
                raisedOne.setBounds(j, 1, INF);
                if (raisedOne.solve(INF, 10_000) == Status.OPTIMAL && !raisedOne.basic(j)
                        && hasFractionalBasicCount(raisedOne, p.columns)) {
                    // the formula takes every nonbasic variable at zero: this basis is not one it is for
                    assertEquals(0, raisedOne.gomoryCuts().length, "seed " + seed + " column " + j);
                    seen++;
                }
                break;
            }
        }
        assertTrue(seen > 10, "bases seen: " + seen);
    }

    /**
     * 10 cores from x (4 cores at 0.20) and t (a sliver of a core at 1.0 a core): the optimum is x = 2.5.
     * With {@code a = sliver / 10}, t's coefficient in the row, its tableau row is x + 2.5 a t - 2.5 s = 2.5
     * (f0 = 0.5), whose cut is 5 a t (from t) + 5 (0.4 x + a t) (from the surplus) >= 1 + 5, that is
     * 2 x + sliver t >= 6: x rounded up to 3. Its coefficients span 2 / sliver: with a sliver of 1e-5 cores
     * five orders of magnitude and a third, and the cut is made; with 1e-6, six and a third, too many to
     * trust, and there is none; with 1e-13 the sliver's coefficient is below the cut's zero and the cut is
     * x >= 3 alone, less its safety margin.
     */
    @Test
    void gomoryCuts_coefficientsSpanningMoreThanSixOrders_giveNoCut() {
        CapacityOffer x = CapacityOffer.onDemand("x", "general", "eu-west", ResourceVector.of(4, 0, 0, 0), 0.20, BOOT);
        for (double sliver : new double[] {1e-5, 1e-6, 1e-13}) {
            CapacityOffer t = CapacityOffer.onDemand("t", "general", "eu-west", ResourceVector.of(sliver, 0, 0, 0),
                    sliver, BOOT);
            CoverProblem p = program(List.of(x, t), ResourceVector.of(10, 0, 0, 0), 0, 1, 0);
            assertEquals(2, p.columns);
            BoundedDualSimplex s = BoundedDualSimplex.of(p);
            assertEquals(Status.OPTIMAL, s.solve(INF, 10));
            assertEquals(2.5 * (1 - EPS), s.count(0), 1e-12);
            double[][] cuts = s.gomoryCuts();
            if (sliver == 1e-6) {
                assertEquals(0, cuts.length);
                continue;
            }
            assertEquals(1, cuts.length, "sliver " + sliver);
            assertEquals(1, cuts[0][0]);
            if (sliver == 1e-5) {
                assertEquals(5e-6, cuts[0][1], 1e-12);
            } else {
                assertEquals(0, cuts[0][1], "below the cut's zero, set to zero");
            }
            // lowered by its margin, 1e-7 of (6 + 2), and divided by 2 (to within EPS terms)
            assertEquals(3 - 4e-7, cuts[0][2], 1e-8, "sliver " + sliver);
        }
    }

    private static boolean hasFractionalBasicCount(BoundedDualSimplex s, int n) {
        for (int j = 0; j < n; j++) {
            double f = s.count(j) - Math.floor(s.count(j));
            if (s.basic(j) && f > 0.05 && f < 0.95) {
                return true;
            }
        }
        return false;
    }

    /**
     * The cuts of the basis by the Javadoc's formula: the tableau row {@code x_k + sum t_j v_j = beta} of each
     * basic count is {@code B^-1} times the rows {@code -a x + s = -b} over the nonbasic columns; a row whose
     * fraction {@code f0} lies within 0.01 of an integer gives none; the cut is {@code sum_{counts}
     * min(f_j / f0, (1 - f_j) / (1 - f0)) v_j + sum_{surpluses} max(t_j / f0, -t_j / (1 - f0)) v_j >= 1} with
     * each surplus written out as its row, scaled so that its largest coefficient is 1. A cut whose
     * coefficients span more than 1e6, or whose right-hand side is not positive, may be left out; the
     * right-hand side may be lowered by its safety margin (1e-7 of its size) but never raised. Returns the
     * number of cuts compared.
     */
    private static int assertDocumentedCuts(CoverProblem p, double[][] rows, BoundedDualSimplex s, double[][] cuts,
            String where) {
        int n = p.columns;
        int m = rows.length;
        int width = n + m;
        int[] basic = new int[m];
        int found = 0;
        for (int j = 0; j < width; j++) {
            if (s.basic(j)) {
                basic[found++] = j;
            } else {
                assertEquals(0, s.count(j), where + ": the formula wants every nonbasic at zero");
            }
        }
        assertEquals(m, found, where + ": basic columns");
        RealMatrix full = new Array2DRowRealMatrix(m, width);
        double[] minusB = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                full.setEntry(i, j, -rows[i][j]);
            }
            full.setEntry(i, n + i, 1);
            minusB[i] = -rows[i][n];
        }
        RealMatrix basis = new Array2DRowRealMatrix(m, m);
        for (int r = 0; r < m; r++) {
            basis.setColumn(r, full.getColumn(basic[r]));
        }
        DecompositionSolver lu = new LUDecomposition(basis).getSolver();
        RealMatrix tableau = lu.solve(full);
        double[] beta = lu.solve(new ArrayRealVector(minusB)).toArray();
        List<double[]> expected = new ArrayList<>();
        List<double[]> optional = new ArrayList<>();
        for (int r = 0; r < m; r++) {
            int k = basic[r];
            assertEquals(beta[r], s.count(k), 1e-9 * (1 + Math.abs(beta[r])), where + ": basic value of " + k);
            if (k >= n) {
                continue;
            }
            double f0 = beta[r] - Math.floor(beta[r]);
            if (f0 < 0.01 || f0 > 0.99) {
                continue;
            }
            double[] cut = new double[n + 1];
            double rhs = 1;
            for (int j = 0; j < width; j++) {
                if (s.basic(j)) {
                    continue;
                }
                double t = tableau.getEntry(r, j);
                if (j < n) {
                    double f = t - Math.floor(t);
                    cut[j] += Math.min(f / f0, (1 - f) / (1 - f0));
                } else {
                    double g = Math.max(t / f0, -t / (1 - f0));
                    for (int i = 0; i < n; i++) {
                        cut[i] += g * rows[j - n][i];
                    }
                    rhs += g * rows[j - n][n];
                }
            }
            double largest = 0;
            double smallest = INF;
            for (int i = 0; i < n; i++) {
                double c = Math.abs(cut[i]);
                if (c > 1e-12) {
                    largest = Math.max(largest, c);
                    smallest = Math.min(smallest, c);
                }
            }
            if (largest == 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                cut[i] /= largest;
            }
            cut[n] = rhs / largest;
            boolean doubtful = largest > 1e5 * smallest || rhs <= 1e-8 * largest;
            (doubtful ? optional : expected).add(cut);
        }
        List<double[]> unmatched = new ArrayList<>(expected);
        for (double[] cut : cuts) {
            assertEquals(n + 1, cut.length, where);
            double largest = 0;
            for (int i = 0; i < n; i++) {
                largest = Math.max(largest, Math.abs(cut[i]));
            }
            assertEquals(1, largest, 1e-15, where + ": a cut scaled to a largest coefficient of 1");
            double[] match = matching(cut, unmatched, n);
            if (match != null) {
                unmatched.remove(match);
            } else {
                match = matching(cut, optional, n);
                if (match == null) {
                    fail(where + ": cut " + Arrays.toString(cut) + " is none of " + expected.size()
                            + " documented cuts");
                }
            }
            assertTrue(cut[n] <= match[n] + 1e-9 * (1 + Math.abs(match[n])),
                    where + ": right-hand side raised, " + cut[n] + " over " + match[n]);
            assertTrue(cut[n] >= match[n] - 1e-6 * (1 + Math.abs(match[n])),
                    where + ": right-hand side lowered by more than its margin, " + cut[n] + " under " + match[n]);
            // the optimum the cut was made from breaks it
            double atOptimum = 0;
            for (int i = 0; i < n; i++) {
                atOptimum += cut[i] * s.count(i);
            }
            assertTrue(atOptimum < cut[n] - 1e-6, where + ": the optimum meets cut " + Arrays.toString(cut));
        }
        assertEquals(0, unmatched.size(), () -> where + ": documented cuts missing: "
                + unmatched.stream().map(Arrays::toString).toList());
        return cuts.length;
    }

    private static double @Nullable [] matching(double[] cut, List<double[]> candidates, int n) {
        for (double[] c : candidates) {
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = Math.abs(c[i] - cut[i]) <= 1e-7;
            }
            if (same) {
                return c;
            }
        }
        return null;
    }

    /**
     * Every integer point of {0..9}^n that meets the relaxation's rows keeps every cut; returns the cost of
     * the cheapest such point (infinite if none), an upper bound of the integer optimum.
     */
    private static double assertKeptByEveryIntegerPoint(CoverProblem p, double[][] cuts, String where) {
        int n = p.columns;
        double[][] rows = rows(p, new double[0][]);
        int[] x = new int[n];
        double cheapest = INF;
        int points = 1;
        for (int j = 0; j < n; j++) {
            points *= 10;
        }
        for (int code = 0; code < points; code++) {
            int rest = code;
            for (int j = 0; j < n; j++) {
                x[j] = rest % 10;
                rest /= 10;
            }
            if (!meetsRows(rows, x, n)) {
                continue;
            }
            cheapest = Math.min(cheapest, p.cost(x));
            for (double[] cut : cuts) {
                double lhs = 0;
                for (int i = 0; i < n; i++) {
                    lhs += cut[i] * x[i];
                }
                if (lhs < cut[n] - 1e-12 * (1 + Math.abs(cut[n]))) {
                    fail(where + ": integer point " + Arrays.toString(x) + " breaks cut " + Arrays.toString(cut));
                }
            }
        }
        return cheapest;
    }

    private static boolean meetsRows(double[][] rows, int[] x, int n) {
        for (double[] row : rows) {
            double lhs = 0;
            for (int j = 0; j < n; j++) {
                lhs += row[j] * x[j];
            }
            if (lhs < row[n]) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // the reference: the relaxation's rows, Commons Math's optimum and the dual proof

    private static double[] infinite(int n) {
        double[] hi = new double[n];
        Arrays.fill(hi, INF);
        return hi;
    }

    /**
     * The relaxation's rows {@code a x >= b} as the class's Javadoc states them, in its order, each with its
     * right-hand side last: a row per needed resource, its coefficients the capacities over the need capped
     * at 1 and its right-hand side {@code 1 - TOLERANCE}; the on-demand base; the spot share with the
     * tolerance of the integer check, negated, over the larger of 1, the needed cores and the spare cores;
     * then the cuts.
     */
    static double[][] rows(CoverProblem p, double[][] cuts) {
        int n = p.columns;
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (p.need[r] > 0) {
                double[] row = new double[n + 1];
                for (int j = 0; j < n; j++) {
                    row[j] = Math.min(1, p.capacity[j][r] / p.need[r]);
                }
                row[n] = 1 - EPS;
                rows.add(row);
            }
        }
        if (p.minNonSpot > 0) {
            double[] row = new double[n + 1];
            for (int j = 0; j < n; j++) {
                row[j] = p.spot[j] ? 0 : 1;
            }
            row[n] = p.minNonSpot;
            rows.add(row);
        }
        boolean anySpot = false;
        for (boolean spot : p.spot) {
            anySpot |= spot;
        }
        if (anySpot && p.maxSpotShare < 1) {
            double scale = Math.max(1, Math.max(p.need[0], p.spotSlackCores));
            double[] row = new double[n + 1];
            for (int j = 0; j < n; j++) {
                double cpu = p.capacity[j][0];
                double uses = p.spot[j] ? (1 - p.maxSpotShare) * cpu : -p.maxSpotShare * cpu;
                row[j] = -(uses - EPS * cpu) / scale;
            }
            row[n] = -p.spotSlackCores * (1 + EPS) / scale;
            rows.add(row);
        }
        rows.addAll(Arrays.asList(cuts));
        return rows.toArray(new double[0][]);
    }

    /** Commons Math's optimum of the rows under the bounds, or empty if no point meets them. */
    private static OptionalDouble commonsMathOptimum(CoverProblem p, double[][] rows, double[] lo, double[] hi) {
        int n = p.columns;
        List<LinearConstraint> constraints = new ArrayList<>();
        for (double[] row : rows) {
            constraints.add(new LinearConstraint(Arrays.copyOf(row, n), Relationship.GEQ, row[n]));
        }
        for (int j = 0; j < n; j++) {
            double[] unit = new double[n];
            unit[j] = 1;
            if (lo[j] > 0) {
                constraints.add(new LinearConstraint(unit, Relationship.GEQ, lo[j]));
            }
            if (hi[j] != INF) {
                constraints.add(new LinearConstraint(unit, Relationship.LEQ, hi[j]));
            }
        }
        try {
            return OptionalDouble.of(new SimplexSolver(1e-9, 10, 1e-12).optimize(new MaxIter(10_000),
                    new LinearObjectiveFunction(p.cost, 0), new LinearConstraintSet(constraints), GoalType.MINIMIZE,
                    new NonNegativeConstraint(true)).getValue());
        } catch (NoFeasibleSolutionException e) {
            return OptionalDouble.empty();
        }
    }

    /**
     * The status and, when optimal, the objective agree with Commons Math; an optimal basis meets every row
     * and bound, its surpluses are its rows' excesses, and its duals prove its objective.
     */
    private static void assertMatchesReference(CoverProblem p, double[][] rows, BoundedDualSimplex s, Status status,
            double[] lo, double[] hi, String where) {
        OptionalDouble reference = commonsMathOptimum(p, rows, lo, hi);
        if (reference.isEmpty()) {
            assertEquals(Status.INFEASIBLE, status, where);
            return;
        }
        assertEquals(Status.OPTIMAL, status, where);
        double optimum = reference.getAsDouble();
        assertEquals(optimum, s.objective(), 1e-9 * Math.max(1, optimum), where);
        assertEquals(s.objective(), s.solvedObjective(), where);
        int n = p.columns;
        for (int j = 0; j < n; j++) {
            double x = s.count(j);
            assertTrue(x >= lo[j] - 1e-9 * (1 + lo[j]) && x <= hi[j] + 1e-9 * (1 + hi[j]),
                    where + ": count " + j + " = " + x + " outside [" + lo[j] + ", " + hi[j] + "]");
        }
        for (int i = 0; i < rows.length; i++) {
            assertTrue(s.count(n + i) >= -1e-9 * (1 + Math.abs(rows[i][n])), where + ": row " + i + " unmet");
        }
        assertSurplusesMatchTheRows(p, rows, s, where);
        assertDualFeasible(p, rows, s, where);
    }

    /** Each surplus equals its row's excess {@code a x - b} at the current counts. */
    private static void assertSurplusesMatchTheRows(CoverProblem p, double[][] rows, BoundedDualSimplex s,
            String where) {
        int n = p.columns;
        for (int i = 0; i < rows.length; i++) {
            double excess = -rows[i][n];
            double size = Math.abs(rows[i][n]);
            for (int j = 0; j < n; j++) {
                excess += rows[i][j] * s.count(j);
                size += Math.abs(rows[i][j] * s.count(j));
            }
            assertEquals(excess, s.count(n + i), 1e-9 * (1 + size), where + ": surplus of row " + i);
        }
    }

    /**
     * The duals of the basis prove its objective a lower bound: each row's dual (its surplus' reduced cost)
     * is at least zero, each count's reduced cost is its cost less the duals times its column, of the sign
     * its place asks for (zero if basic, at least zero at its lower bound, at most zero at its upper one,
     * either if both bounds are equal),
     * and {@code y b + sum_j d_j (l_j or u_j)}, what every point within the bounds costs at least, equals the
     * objective.
     */
    private static void assertDualFeasible(CoverProblem p, double[][] rows, BoundedDualSimplex s, String where) {
        int n = p.columns;
        int m = rows.length;
        double bound = 0;
        double size = 0;
        for (int i = 0; i < m; i++) {
            double y = s.reducedCost(n + i);
            assertTrue(y >= -1e-9, where + ": dual of row " + i + " = " + y);
            if (s.basic(n + i)) {
                assertEquals(0, y, 1e-9, where + ": basic surplus " + i);
            }
            bound += y * rows[i][n];
            size += Math.abs(y * rows[i][n]);
        }
        for (int j = 0; j < n; j++) {
            double d = p.cost[j];
            double priced = 0;
            for (int i = 0; i < m; i++) {
                d -= s.reducedCost(n + i) * rows[i][j];
                priced += Math.abs(s.reducedCost(n + i) * rows[i][j]);
            }
            double tolerance = 1e-9 * (p.cost[j] + priced);
            assertEquals(d, s.reducedCost(j), tolerance, where + ": reduced cost of " + j);
            if (s.basic(j)) {
                assertEquals(0, d, tolerance, where + ": basic count " + j);
                assertFalse(s.nonbasicAtUpper(j), where);
            } else if (s.lower[j] == s.upper[j]) {
                // a fixed count: either sign, it cannot move
                assertEquals(s.lower[j], s.count(j), where);
                bound += d * s.lower[j];
                size += Math.abs(d * s.lower[j]);
            } else if (s.nonbasicAtUpper(j)) {
                assertTrue(d <= tolerance, where + ": count " + j + " at its upper bound, reduced cost " + d);
                assertEquals(s.upper[j], s.count(j), where);
                bound += d * s.upper[j];
                size += Math.abs(d * s.upper[j]);
            } else {
                assertTrue(d >= -tolerance, where + ": count " + j + " at its lower bound, reduced cost " + d);
                assertEquals(s.lower[j], s.count(j), where);
                bound += d * s.lower[j];
                size += Math.abs(d * s.lower[j]);
            }
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += p.cost[j] * s.count(j);
        }
        assertEquals(sum, s.objective(), 1e-12 * (1 + Math.abs(sum)), where + ": objective");
        assertEquals(bound, s.objective(), 1e-9 * (1 + size), where + ": the duals' bound");
    }
}
