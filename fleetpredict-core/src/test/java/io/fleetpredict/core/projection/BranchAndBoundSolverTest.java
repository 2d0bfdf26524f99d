package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exact search's steps, each for what it promises: the open nodes' order, the pseudo-costs and the
 * branching score worked by hand, reduced-cost fixing worked by hand and checked against every plan of
 * small seeded programs, and the answers at a node limit, whose proven bounds must hold against the
 * optimum found by enumeration.
 */
class BranchAndBoundSolverTest {

    /**
     * CPU only, 10 cores needed, three on-demand offers: a (4 cores, 0.20), b (2 cores, 0.15) and c (8 cores,
     * 0.50). The coverage row is 0.4 a + 0.2 b + 0.8 c >= 1 - 1e-9; per unit of it a costs 0.5, c 0.625, b
     * 0.75, so the root relaxation is a = 2.5, bound 0.5 (times 1 - 1e-9), with the row's dual 0.5: reduced
     * costs b 0.15 - 0.2 x 0.5 = 0.05 and c 0.50 - 0.8 x 0.5 = 0.10. The integer optimum is a = 2, b = 1,
     * cost 0.55; the other plans below 0.7 are a = 3 (0.60) and a = 1, b = 3 or b = 1, c = 1 (0.65).
     */
    private static CoverProblem handProgram() {
        List<CapacityOffer> offers = List.of(
                CapacityOffer.onDemand("a", "general", "eu-west", ResourceVector.of(4, 16, 1, 100), 0.20,
                        Duration.ofMinutes(5)),
                CapacityOffer.onDemand("b", "general", "eu-west", ResourceVector.of(2, 8, 1, 100), 0.15,
                        Duration.ofMinutes(5)),
                CapacityOffer.onDemand("c", "general", "eu-west", ResourceVector.of(8, 32, 1, 100), 0.50,
                        Duration.ofMinutes(5)));
        OfferCatalogue catalogue = new OfferCatalogue(offers);
        CoverProblem p = CoverProblem.of(catalogue, catalogue.allowed(CapacityLimits.unconstrained()),
                ResourceVector.of(10, 0, 0, 0), 0, 1, 0, 0);
        assertEquals(3, p.columns, "no offer dominates another when only cores count");
        return p;
    }

    private static BoundedDualSimplex solvedRoot(CoverProblem p) {
        BoundedDualSimplex root = BoundedDualSimplex.of(p);
        assertEquals(BoundedDualSimplex.Status.OPTIMAL, root.solve(Double.POSITIVE_INFINITY, 10_000));
        return root;
    }

    // ---- the open nodes ----

    @Test
    void openNodes_polledLowestBoundFirstAndDeeperFirstAmongEqualBounds() {
        BoundedDualSimplex any = solvedRoot(handProgram());
        BranchAndBoundSolver.OpenNodes queue = new BranchAndBoundSolver.OpenNodes();
        record Node(BoundedDualSimplex relaxation, double bound, int depth, int branch, double move) {
        }
        List<Node> added = new ArrayList<>();
        Random rnd = new Random(11);
        // more than the queue's first 64 places, with many equal bounds and equal depths among them
        for (int i = 0; i < 300; i++) {
            Node node = new Node(any.copy(), rnd.nextInt(12) * 0.25, rnd.nextInt(9), i + 1, i / 1000.0);
            added.add(node);
            queue.add(node.relaxation(), node.bound(), node.depth(), node.branch(), node.move());
            assertEquals(i + 1, queue.size());
        }
        List<Node> expected = new ArrayList<>(added);
        expected.sort(Comparator.comparingDouble(Node::bound).thenComparing(Node::depth, Comparator.reverseOrder()));
        for (int i = 0; i < expected.size(); i++) {
            Node next = expected.get(i);
            assertFalse(queue.isEmpty());
            // every node still queued is listed by bound(i), and the lowest of them is at the top
            double lowest = Double.POSITIVE_INFINITY;
            for (int k = 0; k < queue.size(); k++) {
                lowest = Math.min(lowest, queue.bound(k));
            }
            assertEquals(next.bound(), lowest, "poll " + i);
            assertEquals(next.bound(), queue.lowestBound(), "poll " + i);
            assertEquals(next.depth(), queue.lowestDepth(), "poll " + i);
            BoundedDualSimplex polled = queue.poll();
            Node got = added.get(queue.polledBranch - 1);
            assertSame(got.relaxation(), polled, "the branch and move polled are the node's own");
            assertEquals(got.move(), queue.polledMove);
            assertEquals(next.bound(), got.bound(), "poll " + i);
            assertEquals(next.depth(), got.depth(), "poll " + i);
            assertEquals(expected.size() - i - 1, queue.size());
        }
        assertTrue(queue.isEmpty());
    }

    @Test
    void openNodes_listsEveryQueuedBoundAndClearEmptiesIt() {
        BoundedDualSimplex any = solvedRoot(handProgram());
        BranchAndBoundSolver.OpenNodes queue = new BranchAndBoundSolver.OpenNodes();
        double[] bounds = {3, 1, 4, 1.5, 9, 2.6, 5};
        for (int i = 0; i < bounds.length; i++) {
            queue.add(any.copy(), bounds[i], 1, -(i + 1), 0.5);
        }
        queue.poll();
        double[] left = new double[queue.size()];
        for (int k = 0; k < left.length; k++) {
            left[k] = queue.bound(k);
        }
        Arrays.sort(left);
        assertEquals(Arrays.toString(new double[] {1.5, 2.6, 3, 4, 5, 9}), Arrays.toString(left));
        assertEquals(-2, queue.polledBranch, "the node of bound 1 was the second added, down branch");
        queue.clear();
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.size());
        queue.add(any, 7, 0, 0, 0);
        assertSame(any, queue.poll());
        assertEquals(0, queue.polledBranch);
    }

    // ---- pseudo-costs and the branching score ----

    @Test
    void pseudoCosts_beforeAnyBranch_scoreIsTheProductOfTheFractionsTimesTheUnitCost() {
        BranchAndBoundSolver.PseudoCosts costs = new BranchAndBoundSolver.PseudoCosts(new double[] {0.2, 0.5});
        // down 0.25 x 0.2 = 0.05, up 0.75 x 0.2 = 0.15
        assertEquals(0.05 * 0.15, costs.score(0, 0.25), 1e-15);
        // down 0.5 x 0.5, up 0.5 x 0.5
        assertEquals(0.0625, costs.score(1, 0.5), 1e-15);
        // a fraction of 0 would estimate no gain down: each estimate is at least a millionth of the unit cost
        assertEquals(1e-6 * 0.2 * 0.2, costs.score(0, 0), 1e-18);
        assertEquals(0.2 * 1e-6 * 0.2, costs.score(0, 1), 1e-18);
    }

    @Test
    void pseudoCosts_learnTheAverageGainPerUnitMovedOfEachDirection() {
        BranchAndBoundSolver.PseudoCosts costs = new BranchAndBoundSolver.PseudoCosts(new double[] {0.2, 0.5});
        // column 0 branched down twice: gains of 0.1 over a move of 0.5 (0.2 a unit) and 0.1 over 0.25 (0.4)
        costs.learn(-1, 0.5, 0.1);
        costs.learn(-1, 0.25, 0.1);
        // down average 0.3; up still the unit cost 0.2
        assertEquals(0.5 * 0.3 * (0.5 * 0.2), costs.score(0, 0.5), 1e-15);
        // column 0 branched up once: 0.06 over a move of 0.75, 0.08 a unit
        costs.learn(1, 0.75, 0.06);
        assertEquals(0.4 * 0.3 * (0.6 * 0.08), costs.score(0, 0.4), 1e-15);
        // column 1 untouched by what column 0 learnt
        assertEquals(0.0625, costs.score(1, 0.5), 1e-15);
        // column 1 branched up (branch +2) with a gain of 0: its up estimate falls to the floor
        costs.learn(2, 0.5, 0);
        assertEquals(0.5 * 0.5 * (1e-6 * 0.5), costs.score(1, 0.5), 1e-18);
    }

    @Test
    void pseudoCosts_theRootAMoveWithinToleranceAndABadGain_teachNothing() {
        BranchAndBoundSolver.PseudoCosts costs = new BranchAndBoundSolver.PseudoCosts(new double[] {0.2, 0.5});
        double before = costs.score(0, 0.5);
        costs.learn(0, 0.5, 1);
        costs.learn(-1, 1e-7, 1);
        costs.learn(-1, 0, 1);
        costs.learn(1, Double.NaN, 1);
        costs.learn(-1, 0.5, -0.01);
        costs.learn(1, 0.5, Double.NaN);
        costs.learn(1, 0.5, Double.POSITIVE_INFINITY);
        assertEquals(before, costs.score(0, 0.5));
        // just above the tolerance a move counts: 1e-5 gained over 2e-6 is 5 a unit
        costs.learn(-1, 2e-6, 1e-5);
        assertEquals(0.5 * 5 * (0.5 * 0.2), costs.score(0, 0.5), 1e-9);
    }

    // ---- the incumbent's caps ----

    @Test
    void cap_isTheWholeUnitsTheIncumbentPaysFor() {
        assertEquals(2.9999999999999996, 0.6 / 0.2, "the quotient as doubles falls short of 3");
        assertEquals(3, BranchAndBoundSolver.cap(0.6, 0.2));
        assertEquals(2, BranchAndBoundSolver.cap(0.59, 0.2));
        assertEquals(0, BranchAndBoundSolver.cap(0.19, 0.2));
        assertEquals(1, BranchAndBoundSolver.cap(0.2, 0.2));
        Random rnd = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            double unitCost = 0.001 + rnd.nextDouble() * 3;
            int units = rnd.nextInt(500);
            double incumbent = units * unitCost;
            assertEquals(units, BranchAndBoundSolver.cap(incumbent, unitCost), () -> units + " x " + unitCost);
            assertEquals(units, BranchAndBoundSolver.cap((units + 0.5) * unitCost, unitCost),
                    () -> "half a unit short of " + (units + 1) + " x " + unitCost);
        }
    }

    // ---- reduced-cost fixing ----

    @Test
    void fixByReducedCost_root_capsEachNonbasicCountAtTheUnitsTheRoomAllows() {
        CoverProblem p = handProgram();
        BoundedDualSimplex root = solvedRoot(p);
        double bound = root.objective();
        assertEquals(0.5, bound, 1e-9);
        assertEquals(2.5, root.count(0), 1e-8);
        assertTrue(root.basic(0));
        assertEquals(0.05, root.reducedCost(1), 1e-12);
        assertEquals(0.10, root.reducedCost(2), 1e-12);
        // an incumbent of 0.60: room 0.10, so b moves at most 2 units up and c 1; plans with b = 3 cost at
        // least 0.5 + 3 x 0.05 = 0.65, with c = 2 at least 0.5 + 2 x 0.1 = 0.7
        BoundedDualSimplex x = root.copy();
        double excluded = BranchAndBoundSolver.fixByReducedCost(x, bound, 0.60);
        assertEquals(0.65, excluded, 1e-9);
        assertBounds(x, 0, 0, Double.POSITIVE_INFINITY);
        assertBounds(x, 1, 0, 2);
        assertBounds(x, 2, 0, 1);
        // the optimum 0.55 as incumbent: room 0.05 is less than c's reduced cost, which fixes c at 0
        BoundedDualSimplex y = root.copy();
        assertEquals(0.60, BranchAndBoundSolver.fixByReducedCost(y, bound, 0.55), 1e-9);
        assertBounds(y, 1, 0, 1);
        assertBounds(y, 2, 0, 0);
        // the tightened relaxation still finds the optimum
        assertEquals(BoundedDualSimplex.Status.OPTIMAL, y.solve(Double.POSITIVE_INFINITY, 10_000));
        assertEquals(0, y.count(2), 1e-12);
    }

    @Test
    void fixByReducedCost_countAtItsUpperBound_raisesItsLowerBound() {
        CoverProblem p = handProgram();
        BoundedDualSimplex x = solvedRoot(p);
        // the down branch a <= 2: a = 2 and c = 0.25 (c's 0.625 a unit of the row beats b's 0.75), bound
        // 0.525, the row's dual 0.625; a's reduced cost 0.20 - 0.4 x 0.625 = -0.05 at its upper bound, b's
        // 0.15 - 0.2 x 0.625 = 0.025
        x.setBounds(0, 0, 2);
        assertEquals(BoundedDualSimplex.Status.OPTIMAL, x.solve(Double.POSITIVE_INFINITY, 10_000));
        double bound = x.objective();
        assertEquals(0.525, bound, 1e-9);
        assertTrue(x.nonbasicAtUpper(0));
        assertEquals(-0.05, x.reducedCost(0), 1e-12);
        assertEquals(0.025, x.reducedCost(1), 1e-12);
        assertTrue(x.basic(2));
        // incumbent 0.60: room 0.075, so a comes down at most 1 unit (a >= 1) and b goes up at most 3; a plan
        // with a = 0 costs at least 0.525 + 2 x 0.05 = 0.625, one with b = 4 at least 0.525 + 4 x 0.025
        assertEquals(0.625, BranchAndBoundSolver.fixByReducedCost(x, bound, 0.60), 1e-9);
        assertBounds(x, 0, 1, 2);
        assertBounds(x, 1, 0, 3);
        assertBounds(x, 2, 0, Double.POSITIVE_INFINITY);
        // with no incumbent there is no room to measure: nothing changes
        BoundedDualSimplex free = solvedRoot(p);
        assertEquals(Double.POSITIVE_INFINITY,
                BranchAndBoundSolver.fixByReducedCost(free, free.objective(), Double.POSITIVE_INFINITY));
        for (int j = 0; j < p.columns; j++) {
            assertBounds(free, j, 0, Double.POSITIVE_INFINITY);
        }
    }

    @Test
    void fixByReducedCost_roomForEveryUnitLeft_changesNothingAndExcludesNothing() {
        CoverProblem p = handProgram();
        BoundedDualSimplex x = solvedRoot(p);
        x.setBounds(1, 0, 2);
        x.setBounds(2, 0, 1);
        // room 0.10 allows b its 2 units and c its 1: the bounds already say as much
        assertEquals(Double.POSITIVE_INFINITY, BranchAndBoundSolver.fixByReducedCost(x, x.objective(), 0.60));
        assertBounds(x, 1, 0, 2);
        assertBounds(x, 2, 0, 1);
    }

    private static void assertBounds(BoundedDualSimplex x, int j, double lower, double upper) {
        assertEquals(lower, x.lower[j], 1e-12, "lower bound of column " + j);
        assertEquals(upper, x.upper[j], 1e-12, "upper bound of column " + j);
    }

    /**
     * On small seeded programs, at the root and at a child with an upper bound (where counts sit at their
     * upper bound), for the optimum and a looser incumbent as cutoff: every plan within the node's bounds
     * that costs less than the bound the fixing returns, so every plan cheaper than the cutoff, stays within
     * the tightened bounds, and the returned bound is above the cutoff.
     */
    @Test
    void fixByReducedCost_seededPrograms_neverExcludesAPlanCheaperThanWhatItReturns() {
        int fixed = 0;
        int fixedAtUpper = 0;
        for (long seed = 1; seed <= 120; seed++) {
            CoverProblem p = smallProgram(seed);
            if (p == null) {
                continue;
            }
            double optimum = optimum(p);
            if (!Double.isFinite(optimum)) {
                continue;
            }
            BoundedDualSimplex root = BoundedDualSimplex.of(p);
            if (root.solve(Double.POSITIVE_INFINITY, 10_000) != BoundedDualSimplex.Status.OPTIMAL) {
                continue;
            }
            List<BoundedDualSimplex> nodes = new ArrayList<>(List.of(root));
            for (int j = 0; j < p.columns; j++) {
                double v = root.count(j);
                if (Math.abs(v - Math.rint(v)) > 1e-6) {
                    BoundedDualSimplex down = root.copy();
                    down.setBounds(j, 0, Math.floor(v));
                    if (down.solve(Double.POSITIVE_INFINITY, 10_000) == BoundedDualSimplex.Status.OPTIMAL) {
                        nodes.add(down);
                    }
                    break;
                }
            }
            for (BoundedDualSimplex node : nodes) {
                for (double cutoff : new double[] {optimum, 1.25 * optimum}) {
                    if (node.objective() >= cutoff) {
                        continue;
                    }
                    BoundedDualSimplex x = node.copy();
                    double excluded = BranchAndBoundSolver.fixByReducedCost(x, node.objective(), cutoff);
                    boolean changed = false;
                    for (int j = 0; j < p.columns; j++) {
                        changed |= x.lower[j] != node.lower[j] || x.upper[j] != node.upper[j];
                        fixedAtUpper += x.lower[j] > node.lower[j] ? 1 : 0;
                    }
                    long s = seed;
                    assertEquals(changed, Double.isFinite(excluded), () -> "seed " + s);
                    fixed += changed ? 1 : 0;
                    assertTrue(excluded >= cutoff * (1 - 1e-9), () -> "seed " + s + ": " + excluded + " < " + cutoff);
                    double limit = Math.min(excluded, 2 * optimum) * (1 - 1e-9);
                    assertKept(p, node, x, new int[p.columns], 0, 0, limit, seed);
                }
            }
        }
        assertTrue(fixed > 60, "fixings seen: " + fixed);
        assertTrue(fixedAtUpper > 5, "lower bounds raised: " + fixedAtUpper);
    }

    /** Every plan within {@code before}'s bounds that costs less than {@code limit} is within {@code after}'s. */
    private static void assertKept(CoverProblem p, BoundedDualSimplex before, BoundedDualSimplex after, int[] x,
            int j, double cost, double limit, long seed) {
        if (j == p.columns) {
            if (p.feasible(x)) {
                for (int k = 0; k < p.columns; k++) {
                    int column = k;
                    assertTrue(x[k] >= after.lower[k] && x[k] <= after.upper[k], () -> "seed " + seed + ": plan "
                            + Arrays.toString(x) + " of cost " + p.cost(x) + " excluded by the bounds of column "
                            + column + ", [" + after.lower[column] + ", " + after.upper[column] + "]");
                }
            }
            return;
        }
        for (int units = (int) before.lower[j]; units <= before.upper[j] && cost + units * p.cost[j] < limit;
                units++) {
            x[j] = units;
            assertKept(p, before, after, x, j + 1, cost + units * p.cost[j], limit, seed);
        }
        x[j] = 0;
    }

    // ---- the search at a node limit ----

    private static final long FAR = Duration.ofMinutes(10).toNanos();

    private static CoverSolution solve(CoverProblem p, int nodes) {
        return new BranchAndBoundSolver(nodes, BranchAndBoundSolver.EXACT_GAP).solve(p, System.nanoTime() + FAR);
    }

    @Test
    void solve_hand_rootOnlyProvesTheRootBoundAndTheSearchTheOptimum() {
        CoverProblem p = handProgram();
        // the root rounded down (a = 2) and completed greedily is the optimum, a = 2 and b = 1, but one node
        // proves only the root's bound 0.5
        CoverSolution rootOnly = solve(p, 1);
        assertEquals(CoverSolution.Status.FEASIBLE, rootOnly.status());
        assertEquals("[2, 1, 0]", Arrays.toString(rootOnly.counts()));
        assertEquals(0.55, rootOnly.cost(), 1e-12);
        assertEquals(0.5, rootOnly.lowerBound(), 1e-9);
        assertEquals(BranchAndBoundSolver.rootBound(p), rootOnly.lowerBound(), 1e-12);
        // with a second node allowed the root gets its Gomory cut, here a + b + 2c >= 3 (valid: 2a + b + 4c >= 5
        // for every plan, and a + b + 2c <= 2 would give 2a + b + 4c <= 4), whose relaxation's optimum is
        // a = 2, b = 1: the root's bound reaches the incumbent and proves it with no branch
        double[][] cuts = solvedRoot(p).gomoryCuts();
        assertEquals(1, cuts.length);
        assertEquals("[1.0, 1.0, 2.0]", Arrays.toString(Arrays.stream(cuts[0], 0, 3).map(a -> a / cuts[0][0]).toArray()));
        assertEquals(3, cuts[0][3] / cuts[0][0], 1e-6);
        CoverSolution twoNodes = solve(p, 2);
        assertEquals(CoverSolution.Status.OPTIMAL, twoNodes.status());
        assertEquals("[2, 1, 0]", Arrays.toString(twoNodes.counts()));
        assertEquals(0.55, twoNodes.lowerBound(), 1e-12);
        CoverSolution exact = solve(p, 1_000);
        assertEquals(CoverSolution.Status.OPTIMAL, exact.status());
        assertEquals("[2, 1, 0]", Arrays.toString(exact.counts()));
        assertEquals(0.55, exact.lowerBound(), 1e-12);
    }

    /**
     * At every node limit the answer is a plan, its cost at least the optimum (by enumeration) and its
     * bound at most it and at least the root relaxation's; from two nodes on (one node solves the root
     * without its cuts) a larger limit never gives a dearer plan nor a lower bound (the search is the same,
     * stopped later); one node proves exactly the root's bound; a proven optimum is the enumerated one.
     */
    @Test
    void solve_seededProgramsAtEachNodeLimit_boundsHoldAndOnlyImprove() {
        int stoppedShort = 0;
        int raisedByNodes = 0;
        for (long seed = 1; seed <= 60; seed++) {
            CoverProblem p = smallProgram(seed);
            if (p == null) {
                continue;
            }
            double optimum = optimum(p);
            double root = BranchAndBoundSolver.rootBound(p);
            long s = seed;
            CoverSolution exact = solve(p, 1_000_000);
            if (!Double.isFinite(optimum)) {
                continue;
            }
            assertEquals(CoverSolution.Status.OPTIMAL, exact.status(), () -> "seed " + s);
            assertEquals(optimum, exact.cost(), 1e-9 * optimum, () -> "seed " + s);
            double lastCost = Double.POSITIVE_INFINITY;
            double lastBound = 0;
            for (int nodes = 1; nodes <= 24; nodes++) {
                CoverSolution limited = solve(p, nodes);
                int k = nodes;
                String where = "seed " + s + " at " + k + " nodes: " + limited;
                assertTrue(p.feasible(limited.counts()), where);
                assertEquals(p.cost(limited.counts()), limited.cost(), 1e-12, where);
                assertTrue(limited.cost() >= optimum * (1 - 1e-9), where);
                assertTrue(limited.lowerBound() <= optimum * (1 + 1e-9), () -> where + " above " + optimum);
                assertTrue(limited.lowerBound() >= root * (1 - 1e-9), () -> where + " below the root " + root);
                if (nodes > 2) {
                    // from two nodes on, the root has its cuts and a larger limit runs the same search longer
                    assertTrue(limited.cost() <= lastCost + 1e-12, where);
                    assertTrue(limited.lowerBound() >= lastBound - 1e-12, where);
                }
                if (nodes == 1 && limited.status() != CoverSolution.Status.OPTIMAL) {
                    assertEquals(root, limited.lowerBound(), 1e-12, where);
                }
                if (limited.status() == CoverSolution.Status.OPTIMAL) {
                    assertEquals(optimum, limited.cost(), 1e-9 * optimum, where);
                    assertEquals(limited.cost(), limited.lowerBound(), 1e-9 * optimum, where);
                } else {
                    assertTrue(limited.lowerBound() < limited.cost() * (1 - 1e-10), where);
                    stoppedShort++;
                }
                raisedByNodes += nodes > 2 && limited.lowerBound() > lastBound * (1 + 1e-9) ? 1 : 0;
                lastCost = limited.cost();
                lastBound = limited.lowerBound();
            }
            assertEquals(CoverSolution.Status.OPTIMAL, exact.status());
        }
        assertTrue(stoppedShort > 30, "answers stopped by the limit: " + stoppedShort);
        assertTrue(raisedByNodes > 30, "bounds raised by more nodes: " + raisedByNodes);
    }

    /**
     * A deadline already past is noticed at the first check, when 32 relaxations have been solved: the
     * answer is the one a limit of 32 nodes gives, plan, bound and status alike (on seeded programs of up to
     * 12 offers, some proven within 32 nodes and some not).
     */
    @Test
    void solve_deadlinePassed_stopsWhereALimitOf32NodesStops() {
        int unproven = 0;
        int proven = 0;
        BranchAndBoundSolver unlimited = new BranchAndBoundSolver(1_000_000, BranchAndBoundSolver.EXACT_GAP);
        for (long seed = 1; seed <= 80; seed++) {
            RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, 12, false);
            ServiceDemand d = instance.demand();
            OfferCatalogue catalogue = new OfferCatalogue(instance.offers());
            CoverProblem p = CoverProblem.of(catalogue, catalogue.allowed(d.limits()), d.required(),
                    d.limits().minOnDemandInstances(), d.limits().maxSpotShare(), 0, d.interruptionPenaltyPerHour());
            CoverSolution late = unlimited.solve(p, System.nanoTime() - 1);
            CoverSolution at32 = solve(p, 32);
            String where = "seed " + seed;
            assertEquals(at32.status(), late.status(), where);
            assertEquals(Arrays.toString(at32.counts()), Arrays.toString(late.counts()), where);
            assertEquals(at32.cost(), late.cost(), where);
            assertEquals(at32.lowerBound(), late.lowerBound(), where);
            unproven += late.status() == CoverSolution.Status.FEASIBLE ? 1 : 0;
            proven += late.status() == CoverSolution.Status.OPTIMAL ? 1 : 0;
        }
        assertTrue(unproven >= 5 && proven >= 20, unproven + " unproven, " + proven + " proven");
    }

    // ---- helpers: seeded programs and their optimum by enumeration ----

    /** The covering program of a small seeded instance, or null if it has nothing to buy or no offer. */
    static CoverProblem smallProgram(long seed) {
        RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, 5, false);
        ServiceDemand d = instance.demand();
        OfferCatalogue catalogue = new OfferCatalogue(instance.offers());
        CoverProblem p = CoverProblem.of(catalogue, catalogue.allowed(d.limits()), d.required(),
                d.limits().minOnDemandInstances(), d.limits().maxSpotShare(), 0, d.interruptionPenaltyPerHour());
        return p.trivial() || p.columns == 0 ? null : p;
    }

    /**
     * The cheapest plan's cost by enumerating every plan no dearer than a first one, the quick greedy
     * cover's or n units of every column; infinite if neither finds a plan.
     */
    static double optimum(CoverProblem p) {
        CoverSolution greedy = GreedyCoverSolver.quick(p);
        double[] best = {Double.POSITIVE_INFINITY};
        if (greedy.status() != CoverSolution.Status.INFEASIBLE && p.feasible(greedy.counts())) {
            best[0] = p.cost(greedy.counts());
        }
        for (int units = 1; units <= 60 && Double.isInfinite(best[0]); units++) {
            int[] all = new int[p.columns];
            Arrays.fill(all, units);
            if (p.feasible(all)) {
                best[0] = p.cost(all);
            }
        }
        if (Double.isInfinite(best[0])) {
            return best[0];
        }
        enumerate(p, new int[p.columns], 0, 0, best);
        return best[0];
    }

    private static void enumerate(CoverProblem p, int[] x, int j, double cost, double[] best) {
        if (j == p.columns) {
            if (p.feasible(x)) {
                best[0] = Math.min(best[0], p.cost(x));
            }
            return;
        }
        for (int units = 0; cost + units * p.cost[j] <= best[0]; units++) {
            x[j] = units;
            enumerate(p, x, j + 1, cost + units * p.cost[j], best);
        }
        x[j] = 0;
    }
}
