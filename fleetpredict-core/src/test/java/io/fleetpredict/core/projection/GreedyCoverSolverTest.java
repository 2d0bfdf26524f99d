package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The greedy heuristic on its own, step by step, on programs small enough to work by hand: the need each
 * move covers, the batch it adds, the spot offer bundled with on-demand companions, the cheapest single
 * offer cover, redundant units dropped dearest first, the local search's swap, and the shortlist above 16
 * offers. The planner's tests see only the exact optimum that starts from this heuristic; these see the
 * heuristic itself.
 */
class GreedyCoverSolverTest {

    private static final double EPS = 1e-12;

    static CapacityOffer onDemand(String type, double cpu, double mem, double price) {
        return CapacityOffer.onDemand(type, "general", "eu-west", ResourceVector.of(cpu, mem, 0, 0), price,
                Duration.ZERO);
    }

    /** A spot offer without interruptions, so its expected cost is its price. */
    static CapacityOffer spot(String type, double cpu, double mem, double price) {
        return CapacityOffer.spot(type, "general", "eu-west", ResourceVector.of(cpu, mem, 0, 0), price, 0,
                Duration.ZERO);
    }

    /** The program over the offers, in their order; the cases are written so that no offer dominates another. */
    static CoverProblem program(ResourceVector need, int base, double share, double slack, CapacityOffer... offers) {
        OfferCatalogue c = new OfferCatalogue(List.of(offers));
        CoverProblem p = CoverProblem.of(c, c.allowed(CapacityLimits.unconstrained()), need, base, share, slack, 0);
        assertEquals(offers.length, p.columns, "an offer is dominated: the case is written wrong");
        return p;
    }

    /** The greedy moves from an empty plan, which must cover the program. */
    private static GreedyCoverSolver.State repairedFromNothing(CoverProblem p) {
        GreedyCoverSolver.State s = new GreedyCoverSolver.State(p);
        assertTrue(GreedyCoverSolver.repair(p, s, -1, false), () -> "no cover of " + p);
        return s;
    }

    /** The program of a seeded instance's service, with the given slack in the spot share. */
    private static CoverProblem program(RandomCapacityInstances.Instance instance, double slack) {
        ServiceDemand d = instance.demand();
        OfferCatalogue catalogue = new OfferCatalogue(instance.offers());
        return CoverProblem.of(catalogue, catalogue.allowed(d.limits()), d.required(),
                d.limits().minOnDemandInstances(), d.limits().maxSpotShare(), slack, d.interruptionPenaltyPerHour());
    }

    private static GreedyCoverSolver.State state(CoverProblem p, int... counts) {
        GreedyCoverSolver.State s = new GreedyCoverSolver.State(p);
        for (int j = 0; j < counts.length; j++) {
            s.add(p, j, counts[j]);
        }
        return s;
    }

    @Test
    void gain_coveredFractionsOfWhatIsMissing_workedByHand() {
        // 8 cores and 32 GiB, a base of 2, half the cores may be spot: A on demand 4 cores 8 GiB, S spot 4 and 16
        CoverProblem p = program(ResourceVector.of(8, 32, 0, 0), 2, 0.5, 0,
                onDemand("A", 4, 8, 0.2), spot("S", 4, 16, 0.05));
        double[] missing = {8, 32, 0, 0};
        // one A: 4/8 of the cores, 8/32 of the memory, 1/2 of the base, and its 4 cores free 0.5 x 4 = 2 of an
        // excess of 3 in the spot share
        assertEquals(0.5 + 0.25 + 0.5 + 2.0 / 3, GreedyCoverSolver.gain(p, missing, 2, 3, 0, 1, -1, 0), EPS);
        // three A: each fraction is capped at what is missing (12 of 8 cores, 3 of a base of 2, 6 of 3)
        assertEquals(1 + 0.75 + 1 + 1, GreedyCoverSolver.gain(p, missing, 2, 3, 0, 3, -1, 0), EPS);
        // one S covers half of each resource, nothing of the base, and adds to the share's excess
        assertEquals(0.5 + 0.5, GreedyCoverSolver.gain(p, missing, 2, 0, 1, 1, -1, 0), EPS);
        assertEquals(0.5 + 0.5, GreedyCoverSolver.gain(p, missing, 0, 1, 1, 1, -1, 0), EPS);
        // one S with two A (column 0) as companions: 12 cores, 32 GiB, the base, and a net share freed of
        // 2 x 2 - 2 = 2 against an excess of 1
        assertEquals(1 + 1 + 1 + 1, GreedyCoverSolver.gain(p, missing, 2, 1, 1, 1, 0, 2), EPS);
        assertEquals(1 + 1 + 0.5, GreedyCoverSolver.gain(p, missing, 4, 0, 1, 1, 0, 2), EPS);
        // a resource no longer missing counts for nothing (and divides nothing by zero)
        assertEquals(0.5, GreedyCoverSolver.gain(p, new double[] {8, 0, 0, 0}, 0, 0, 0, 1, -1, 0), EPS);
        assertEquals(2.0 / 5, GreedyCoverSolver.gain(p, new double[4], 0, 5, 0, 1, -1, 0), EPS);
        assertEquals(0, GreedyCoverSolver.gain(p, new double[4], 0, 0, 0, 1, -1, 0), EPS);
    }

    @Test
    void batch_halfOfWhatTheOfferStillHasToCover_atLeastOne() {
        CoverProblem p = program(ResourceVector.of(100, 32, 0, 0), 0, 1, 0,
                onDemand("A", 4, 8, 0.2), onDemand("C", 2, 0, 0.05));
        // A: 100 cores are 25 units, 32 GiB 4 units: half of the fewer
        assertEquals(2, GreedyCoverSolver.batch(p, 0, new double[] {100, 32, 0, 0}));
        assertEquals(12, GreedyCoverSolver.batch(p, 0, new double[] {100, 0, 0, 0}));
        assertEquals(12, GreedyCoverSolver.batch(p, 0, new double[] {0, 200, 0, 0}));
        // C has no memory: only the cores count, 50 units
        assertEquals(25, GreedyCoverSolver.batch(p, 1, new double[] {100, 32, 0, 0}));
        // less than two units' worth, nothing it provides missing, or nothing missing at all: one unit
        assertEquals(1, GreedyCoverSolver.batch(p, 0, new double[] {3, 0, 0, 0}));
        assertEquals(1, GreedyCoverSolver.batch(p, 1, new double[] {0, 32, 0, 0}));
        assertEquals(1, GreedyCoverSolver.batch(p, 0, new double[4]));
        // and never more than 2^20 at once
        assertEquals(1 << 20, GreedyCoverSolver.batch(p, 1, new double[] {1e12, 0, 0, 0}));
    }

    @Test
    void repair_oneOffer_coversExactlyInBatchesThatNeverOvershoot() {
        CoverProblem p = program(ResourceVector.of(100, 0, 0, 0), 0, 1, 0, onDemand("A", 4, 0, 0.2));
        GreedyCoverSolver.State s = repairedFromNothing(p);
        assertArrayEquals(new int[] {25}, s.counts);
        assertEquals(25 * 0.2, s.cost, EPS);
        assertEquals(100, s.provided[0], 0);
        // eight million units: halving what is left (at most 2^20 a step) takes a few dozen steps, far
        // below the step guard of a million
        CoverProblem huge = program(ResourceVector.of(16e6, 0, 0, 0), 0, 1, 0, onDemand("B", 2, 0, 0.1));
        assertArrayEquals(new int[] {8_000_000}, repairedFromNothing(huge).counts);
    }

    @Test
    void repair_excludedOffer_isNeverAdded_andNoProgressIsReported() {
        CoverProblem p = program(ResourceVector.of(10, 0, 0, 0), 0, 1, 0,
                onDemand("A", 4, 0, 0.2), onDemand("B", 10, 0, 0.45));
        GreedyCoverSolver.State s = new GreedyCoverSolver.State(p);
        assertTrue(GreedyCoverSolver.repair(p, s, 0, false));
        assertArrayEquals(new int[] {0, 1}, s.counts);
        GreedyCoverSolver.State t = new GreedyCoverSolver.State(p);
        assertTrue(GreedyCoverSolver.repair(p, t, 1, false));
        assertArrayEquals(new int[] {3, 0}, t.counts);
        // memory is needed and no offer has any: once the cores are covered, no move covers anything more
        CoverProblem noMemory = program(ResourceVector.of(10, 8, 0, 0), 0, 1, 0,
                onDemand("A", 4, 0, 0.2), onDemand("B", 10, 0, 0.45));
        assertFalse(GreedyCoverSolver.repair(noMemory, new GreedyCoverSolver.State(noMemory), -1, false));
        assertEquals(CoverSolution.Status.INFEASIBLE, new GreedyCoverSolver().solve(noMemory, 0).status());
        assertEquals(CoverSolution.Status.INFEASIBLE, GreedyCoverSolver.quick(noMemory).status());
        assertEquals(CoverSolution.Status.INFEASIBLE, GreedyCoverSolver.complete(noMemory, new int[2]).status());
    }

    @Test
    void repair_spotBreakingTheShare_isBundledWithJustEnoughCheapestCores() {
        // 8 cores, at most half spot: S alone breaks the share; with one A its 4 spot cores are half of 8
        CoverProblem p = program(ResourceVector.of(8, 0, 0, 0), 0, 0.5, 0,
                onDemand("A", 4, 0, 0.40), spot("S", 4, 0, 0.10));
        // A alone covers half the need for 0.40 (1.25 per unit of cost); S with A all of it for 0.50 (2)
        GreedyCoverSolver.State s = repairedFromNothing(p);
        assertArrayEquals(new int[] {1, 1}, s.counts);
        assertEquals(4, s.spotCores, 0);
        assertEquals(4, s.nonSpotCores, 0);
        assertEquals(1, s.nonSpotCount);
        assertEquals(0.5, s.cost, EPS);
        assertTrue(p.feasible(s.counts));
        // without A, S has no companion and can not be added
        assertFalse(GreedyCoverSolver.repair(p, new GreedyCoverSolver.State(p), 0, false));
        assertFalse(GreedyCoverSolver.repair(p, new GreedyCoverSolver.State(p), 0, true));
        // two spot units already held break the share by 0.5 x 8 = 4: two units of A restore it (each frees 2
        // for 0.40, where S with the three A it would then need frees 4 for 1.30)
        GreedyCoverSolver.State held = state(p, 0, 2);
        assertEquals(4, held.shareExcess(p), EPS);
        assertTrue(GreedyCoverSolver.repair(p, held, -1, false));
        assertArrayEquals(new int[] {2, 2}, held.counts);
        // completing from there drops the spot units, dearest first A being needed for the share
        CoverSolution completed = GreedyCoverSolver.complete(p, new int[] {0, 2});
        assertArrayEquals(new int[] {2, 0}, completed.counts());
        assertEquals(0.8, completed.cost(), EPS);
        assertEquals(0.5, new GreedyCoverSolver().solve(p, 0).cost(), EPS);
    }

    @Test
    void state_shareExcessAndSatisfied_atTheirLimits() {
        CoverProblem p = program(ResourceVector.of(8, 0, 0, 0), 1, 0.25, 1,
                onDemand("A", 4, 0, 0.40), spot("S", 4, 0, 0.10));
        GreedyCoverSolver.State s = state(p, 1, 2);
        // 0.75 x 8 spot cores - 0.25 x 4 on-demand cores - 1 core of slack
        assertEquals(4, s.shareExcess(p), EPS);
        assertFalse(s.satisfied(p));
        GreedyCoverSolver.State copy = s.copy();
        copy.add(p, 0, 4);
        // 6 - 0.25 x 20 - 1 = 0: at the limit
        assertEquals(0, copy.shareExcess(p), EPS);
        assertTrue(copy.satisfied(p));
        assertTrue(p.feasible(copy.counts));
        // the copy is its own: the original is unchanged
        assertArrayEquals(new int[] {1, 2}, s.counts);
        assertEquals(12, s.provided[0], 0);
        assertEquals(0.6, s.cost, EPS);
        GreedyCoverSolver.State again = s.copy();
        assertArrayEquals(s.counts, again.counts);
        assertArrayEquals(s.provided, again.provided, 0);
        assertEquals(s.nonSpotCount, again.nonSpotCount);
        assertEquals(s.spotCores, again.spotCores, 0);
        assertEquals(s.nonSpotCores, again.nonSpotCores, 0);
        assertEquals(s.cost, again.cost, 0);
        assertTrue(state(p, 2, 0).satisfied(p));
        assertFalse(state(p, 1, 0).satisfied(p), "4 of 8 cores");
        // a base of two, any share of spot: the cores are covered by one of each, the base only by two A
        CoverProblem base = program(ResourceVector.of(8, 0, 0, 0), 2, 1, 0,
                onDemand("A", 4, 0, 0.40), spot("S", 4, 0, 0.10));
        assertFalse(state(base, 1, 1).satisfied(base));
        assertTrue(state(base, 2, 0).satisfied(base));
        assertEquals(0, state(base, 0, 5).shareExcess(base), 0);
    }

    @Test
    void quickAndSolve_aSingleOfferCover_beatsTheGreedyCover() {
        // 10 cores: per core A is cheaper, and the greedy buys three of it (12 cores, 0.54); one B covers
        // the need alone for 0.50
        CoverProblem p = program(ResourceVector.of(10, 0, 0, 0), 0, 1, 0,
                onDemand("A", 4, 0, 0.18), onDemand("B", 10, 0, 0.50));
        CoverSolution greedy = GreedyCoverSolver.complete(p, new int[2]);
        assertArrayEquals(new int[] {3, 0}, greedy.counts());
        assertEquals(0.54, greedy.cost(), EPS);
        CoverSolution quick = GreedyCoverSolver.quick(p);
        assertArrayEquals(new int[] {0, 1}, quick.counts());
        assertEquals(CoverSolution.Status.FEASIBLE, quick.status());
        assertEquals(0.5, quick.cost(), EPS);
        assertArrayEquals(new int[] {0, 1}, new GreedyCoverSolver().solve(p, 0).counts());
        // singly: A needs ceil(10 / 4) = 3 units, B one; a base of 3 makes it three of each
        assertArrayEquals(new int[] {3, 0}, GreedyCoverSolver.singleColumn(p, 0).counts);
        assertArrayEquals(new int[] {0, 1}, GreedyCoverSolver.singleColumn(p, 1).counts);
        assertArrayEquals(new int[] {0, 1}, GreedyCoverSolver.bestSingleColumn(p).counts);
        CoverProblem base = program(ResourceVector.of(10, 0, 0, 0), 3, 1, 0,
                onDemand("A", 4, 0, 0.18), onDemand("B", 10, 0, 0.50));
        assertArrayEquals(new int[] {0, 3}, GreedyCoverSolver.singleColumn(base, 1).counts);
        assertArrayEquals(new int[] {3, 0}, GreedyCoverSolver.bestSingleColumn(base).counts);
    }

    @Test
    void singleColumn_exactMultiple_noUnitMore_andAnOfferShortOfANeededResourceCoversNothing() {
        CoverProblem p = program(ResourceVector.of(12, 16, 0, 0), 0, 0.5, 0,
                onDemand("A", 4, 8, 0.2), onDemand("C", 8, 0, 0.25), spot("S", 4, 16, 0.05));
        // 12 cores are exactly 3 units of A (and 16 GiB 2): not 4
        assertArrayEquals(new int[] {3, 0, 0}, GreedyCoverSolver.singleColumn(p, 0).counts);
        assertNull(GreedyCoverSolver.singleColumn(p, 1), "C has no memory");
        // S is spot: never a single-offer cover
        assertArrayEquals(new int[] {3, 0, 0}, GreedyCoverSolver.bestSingleColumn(p).counts);
        // a need no number of units below 2^30 covers
        CoverProblem huge = program(ResourceVector.of(4e9, 0, 0, 0), 0, 1, 0, onDemand("A", 1, 0, 0.2));
        assertNull(GreedyCoverSolver.singleColumn(huge, 0));
        CoverProblem large = program(ResourceVector.of(1e8, 0, 0, 0), 0, 1, 0, onDemand("A", 1, 0, 0.2));
        assertArrayEquals(new int[] {100_000_000}, GreedyCoverSolver.singleColumn(large, 0).counts);
    }

    @Test
    void removals_oneTwoThenDoublingAndAll() {
        assertArrayEquals(new int[] {1}, GreedyCoverSolver.removals(1));
        assertArrayEquals(new int[] {1, 2}, GreedyCoverSolver.removals(2));
        assertArrayEquals(new int[] {1, 2, 3}, GreedyCoverSolver.removals(3));
        assertArrayEquals(new int[] {1, 2, 4}, GreedyCoverSolver.removals(4));
        assertArrayEquals(new int[] {1, 2, 4, 5}, GreedyCoverSolver.removals(5));
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 25}, GreedyCoverSolver.removals(25));
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 32}, GreedyCoverSolver.removals(32));
    }

    @Test
    void bestNeighbour_swapsAnOfferForACheaperOne_andImproveStopsAtTheLocalOptimum() {
        CoverProblem p = program(ResourceVector.of(10, 0, 0, 0), 0, 1, 0,
                onDemand("A", 4, 0, 0.2), onDemand("B", 10, 0, 0.45));
        // three A (0.60): removing one and covering again without A gives 2 A + B, whose A are then
        // redundant: one B (0.45)
        GreedyCoverSolver.State three = state(p, 3, 0);
        GreedyCoverSolver.State next = GreedyCoverSolver.bestNeighbour(p, three);
        assertArrayEquals(new int[] {0, 1}, next.counts);
        assertEquals(0.45, next.cost, EPS);
        assertArrayEquals(new int[] {3, 0}, three.counts, "the move works on a copy");
        assertNull(GreedyCoverSolver.bestNeighbour(p, next));
        assertArrayEquals(new int[] {0, 1}, GreedyCoverSolver.improve(p, three, 200).counts);
        assertArrayEquals(new int[] {3, 0}, GreedyCoverSolver.improve(p, three, 0).counts);
        // a redundant unit is the first move: one B and one A drop A
        assertArrayEquals(new int[] {0, 1}, GreedyCoverSolver.bestNeighbour(p, state(p, 1, 1)).counts);
        // complete keeps a feasible start but drops its redundant units, dearest first: B before A
        assertArrayEquals(new int[] {3, 0}, GreedyCoverSolver.complete(p, new int[] {3, 1}).counts());
        assertArrayEquals(new int[] {0, 1}, GreedyCoverSolver.complete(p, new int[] {1, 1}).counts());
        assertArrayEquals(new int[] {3, 0}, GreedyCoverSolver.complete(p, new int[] {1, 0}).counts());
    }

    @Test
    void spotOnly_shareRoomSpentByShareWhenCostGetsStuck_thenLocalSearchFindsTheOptimum() {
        // 32 GiB from spot only, 4 cores of slack in the share (half): X (4 cores, 12 GiB, 0.06) uses 2 of it a
        // unit, Y (1 core, 8 GiB, 0.08) 0.5. By cost the greedy takes X twice and is stuck 8 GiB short with
        // no room; by share used it takes four Y (0.32); the optimum is one X and three Y (36 GiB, 3.5 of
        // the room, 0.30)
        CoverProblem p = program(ResourceVector.of(0, 32, 0, 0), 0, 0.5, 4,
                spot("X", 4, 12, 0.06), spot("Y", 1, 8, 0.08));
        assertFalse(GreedyCoverSolver.repair(p, new GreedyCoverSolver.State(p), -1, false));
        GreedyCoverSolver.State byShare = new GreedyCoverSolver.State(p);
        assertTrue(GreedyCoverSolver.repair(p, byShare, -1, true));
        assertArrayEquals(new int[] {0, 4}, byShare.counts);
        assertArrayEquals(new int[] {0, 4}, GreedyCoverSolver.greedyCover(p).counts);
        assertArrayEquals(new int[] {0, 4}, GreedyCoverSolver.quick(p).counts());
        assertArrayEquals(new int[] {0, 4}, GreedyCoverSolver.complete(p, new int[2]).counts());
        // from one of each, covering by cost finds room for the last 12 GiB in three more Y
        assertArrayEquals(new int[] {1, 3}, GreedyCoverSolver.complete(p, new int[] {1, 1}).counts());
        CoverSolution solved = new GreedyCoverSolver().solve(p, 0);
        assertArrayEquals(new int[] {1, 3}, solved.counts());
        assertEquals(0.30, solved.cost(), EPS);
        assertNull(GreedyCoverSolver.bestSingleColumn(p));
    }

    @Test
    void repair_spotBatchLargerThanTheShareRoom_buysWhatFitsBeforeBundling() {
        // 96 GiB (six units of any offer), half of the cores may be spot, 2 cores of slack. S (2 spot cores,
        // 0.05) uses 1 of the share a unit; A (8 cores, 0.50) frees 4, B (1 core, 0.21) 0.5.
        CoverProblem p = program(ResourceVector.of(0, 96, 0, 0), 0, 0.5, 2,
                onDemand("A", 8, 16, 0.50), onDemand("B", 1, 16, 0.21), spot("S", 2, 16, 0.05));
        // S's batch is 3 units but the room takes 2: they are bought alone (3.33 per unit of cost). Then two S
        // with one A (1.25) beat B alone (1.19), and a last S fits in the room A made: 0.75, the optimum
        // (bundling the whole first batch with two B instead ends at three S and three B, 0.78)
        GreedyCoverSolver.State s = repairedFromNothing(p);
        assertArrayEquals(new int[] {1, 0, 5}, s.counts);
        assertEquals(0.75, s.cost, EPS);
        assertEquals(-1, s.shareExcess(p), EPS);
        assertEquals(0.75, new GreedyCoverSolver().solve(p, 0).cost(), EPS);
        // a spot offer of 4 cores uses 2 of the share a unit: 4 cores of slack take 2 of its batch of 3; two more
        // come with one A (1.25), and the last 16 GiB from B alone (4.76) rather than S with A (1.82): 0.91,
        // again the optimum
        CoverProblem wider = program(ResourceVector.of(0, 96, 0, 0), 0, 0.5, 4,
                onDemand("A", 8, 16, 0.50), onDemand("B", 1, 16, 0.21), spot("S", 4, 16, 0.05));
        GreedyCoverSolver.State w = repairedFromNothing(wider);
        assertArrayEquals(new int[] {1, 1, 4}, w.counts);
        assertEquals(0.91, w.cost, EPS);
    }

    @Test
    void solve_aboveSixteenOffers_shortlistWithoutAPlan_fallsBackToEveryOffer() {
        // 16 GiB from spot only, 1 core of slack under a share of half: only the dearest offer, with one
        // core, fits. The shortlist (the 6 cheapest per GiB, the 12 cheapest per need covered, no on-demand
        // offer) leaves it out.
        CapacityOffer[] offers = new CapacityOffer[18];
        for (int i = 0; i < 17; i++) {
            offers[i] = spot("s" + i, 40 - i, 16, 0.10 + 0.01 * i);
        }
        offers[17] = spot("one-core", 1, 16, 1.0);
        CoverProblem p = program(ResourceVector.of(0, 16, 0, 0), 0, 0.5, 1, offers);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, GreedyCoverSolver.shortlist(p));
        CoverSolution solved = new GreedyCoverSolver().solve(p, 0);
        assertEquals(CoverSolution.Status.FEASIBLE, solved.status());
        int[] expected = new int[18];
        expected[17] = 1;
        assertArrayEquals(expected, solved.counts());
        assertEquals(1.0, solved.cost(), EPS);
        // with a 16-core on-demand offer the shortlist has a plan (one of it), and an on-demand offer with
        // the cheapest cores joins the shortlist as a companion for the share
        CapacityOffer[] withOnDemand = java.util.Arrays.copyOf(offers, 19);
        withOnDemand[18] = onDemand("od", 16, 16, 2.0);
        CoverProblem q = program(ResourceVector.of(0, 16, 0, 0), 0, 0.5, 1, withOnDemand);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 18}, GreedyCoverSolver.shortlist(q));
        CoverSolution polished = new GreedyCoverSolver().solve(q, 0);
        // the shortlist's answer (one od, 2.0) polished over every offer: the one-core spot offer (1.0)
        int[] cheaper = new int[19];
        cheaper[17] = 1;
        assertArrayEquals(cheaper, polished.counts());
        assertEquals(1.0, polished.cost(), EPS);
    }

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.rangeClosed(1, CapacitySolverPropertyTest.INSTANCES);
    }

    /**
     * On seeded small programs, some with reused cores giving the spot share slack: every answer of the
     * three entry points is feasible, costs what its counts cost and (where the share can not bind) has no
     * unit that can go; solve is no cheaper than the optimum (by enumeration) and within the greedy's stated
     * gap of it, no dearer than quick and a local optimum of its own moves; quick is no dearer than the
     * greedy cover or any single on-demand offer cover; a finished plan is its own completion, and half of
     * it is completed to a plan.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void smallRandomProgram_answersFeasibleLocallyOptimalAndNoBetterThanTheOptimum(long seed) {
        RandomCapacityInstances.Instance instance = RandomCapacityInstances.small(seed, 4, false);
        ServiceDemand d = instance.demand();
        // every third program as if 8 idle cores were reused
        double slack = seed % 3 == 0 ? d.limits().maxSpotShare() * 8 : 0;
        CoverProblem p = program(instance, slack);
        CoverSolution solved = new GreedyCoverSolver().solve(p, 0);
        CoverSolution quick = GreedyCoverSolver.quick(p);
        CoverSolution greedy = GreedyCoverSolver.complete(p, new int[p.columns]);
        if (slack == 0) {
            boolean feasible = BruteForceCapacity.optimum(d, instance.offers()).isPresent();
            assertEquals(feasible, solved.status() != CoverSolution.Status.INFEASIBLE, () -> "seed " + seed);
        }
        if (solved.status() == CoverSolution.Status.INFEASIBLE) {
            assertEquals(CoverSolution.Status.INFEASIBLE, quick.status(), () -> "seed " + seed);
            assertEquals(CoverSolution.Status.INFEASIBLE, greedy.status(), () -> "seed " + seed);
            return;
        }
        for (CoverSolution answer : List.of(solved, quick, greedy)) {
            assertEquals(CoverSolution.Status.FEASIBLE, answer.status(), () -> "seed " + seed);
            assertFeasibleWithoutRedundantUnits(p, answer, "seed " + seed);
        }
        double optimum = enumeratedOptimum(p, solved.cost());
        assertTrue(solved.cost() >= optimum * (1 - 1e-9), () -> "seed " + seed + " beat the optimum");
        assertTrue(solved.cost() <= optimum * (1 + CapacitySolverPropertyTest.GREEDY_MAX_GAP) + EPS,
                () -> "seed " + seed + ": " + solved.cost() + " against the optimum " + optimum);
        assertTrue(solved.cost() <= quick.cost() * (1 + 1e-12), () -> "seed " + seed);
        assertTrue(quick.cost() <= greedy.cost() * (1 + 1e-12), () -> "seed " + seed);
        for (int j = 0; j < p.columns; j++) {
            if (!p.spot[j]) {
                double single = singleOfferCover(p, j);
                int column = j;
                assertTrue(quick.cost() <= single * (1 + 1e-12),
                        () -> "seed " + seed + ": quick " + quick.cost() + " above offer " + column + " alone, " + single);
            }
        }
        assertNull(GreedyCoverSolver.bestNeighbour(p, state(p, solved.counts())), () -> "seed " + seed);
        assertArrayEquals(solved.counts(), GreedyCoverSolver.complete(p, solved.counts()).counts(), "seed " + seed);
        int[] half = solved.counts();
        for (int j = 0; j < half.length; j++) {
            half[j] /= 2;
        }
        CoverSolution fromHalf = GreedyCoverSolver.complete(p, half);
        // only a spot-only program can strand a partial plan (its share room spent on the wrong offers)
        if (p.hasNonSpotColumn() || fromHalf.status() != CoverSolution.Status.INFEASIBLE) {
            assertFeasibleWithoutRedundantUnits(p, fromHalf, "seed " + seed + " from half");
        }
    }

    static java.util.stream.LongStream manySeeds() {
        return java.util.stream.LongStream.range(20_000, 20_000 + CapacitySolverPropertyTest.INSTANCES);
    }

    /**
     * On seeded programs of up to 40 offers: the shortlist is exactly what the Javadoc lists, ranked here by
     * counting (an offer is among the n best when fewer than n offers come before it), and above 16 offers
     * the answer is feasible, without a unit that can go, and no dearer than the shortlist's own answer.
     */
    @ParameterizedTest
    @MethodSource("manySeeds")
    void manyOffers_shortlistAsDocumented_andItsAnswerPolished(long seed) {
        CoverProblem p = program(RandomCapacityInstances.small(seed, 40, false), 0);
        int[] shortlist = GreedyCoverSolver.shortlist(p);
        assertArrayEquals(documentedShortlist(p), shortlist, () -> "seed " + seed);
        if (p.columns <= 16) {
            return;
        }
        CoverSolution solved = new GreedyCoverSolver().solve(p, 0);
        CoverSolution own = GreedyCoverSolver.solveAll(p.restrictedTo(shortlist));
        CoverSolution everyOffer = GreedyCoverSolver.solveAll(p);
        assertEquals(everyOffer.status(), solved.status(), () -> "seed " + seed);
        if (solved.status() == CoverSolution.Status.INFEASIBLE) {
            return;
        }
        assertFeasibleWithoutRedundantUnits(p, solved, "seed " + seed);
        if (own.status() != CoverSolution.Status.INFEASIBLE) {
            assertTrue(solved.cost() <= own.cost() * (1 + 1e-12),
                    () -> "seed " + seed + ": " + solved.cost() + " above the shortlist's " + own.cost());
        } else {
            assertArrayEquals(everyOffer.counts(), solved.counts(), () -> "seed " + seed);
        }
    }

    /** The shortlist by the Javadoc's rule, written as rank counts rather than sorts. */
    private static int[] documentedShortlist(CoverProblem p) {
        boolean[] in = new boolean[p.columns];
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (p.need[r] > 0) {
                double[] perUnit = new double[p.columns];
                boolean[] eligible = new boolean[p.columns];
                for (int j = 0; j < p.columns; j++) {
                    eligible[j] = p.capacity[j][r] > 0;
                    perUnit[j] = eligible[j] ? p.cost[j] / p.capacity[j][r] : 0;
                }
                markBest(perUnit, eligible, 6, in);
            }
        }
        double[] perNeed = new double[p.columns];
        boolean[] all = new boolean[p.columns];
        boolean[] onDemand = new boolean[p.columns];
        double[] perCore = new double[p.columns];
        for (int j = 0; j < p.columns; j++) {
            double covered = 0;
            for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
                if (p.need[r] > 0) {
                    covered += Math.min(1, p.capacity[j][r] / p.need[r]);
                }
            }
            perNeed[j] = p.cost[j] / covered;
            all[j] = true;
            onDemand[j] = !p.spot[j];
            perCore[j] = p.cost[j] / p.capacity[j][0];
        }
        markBest(perNeed, all, 12, in);
        markBest(perCore, onDemand, 6, in);
        return java.util.stream.IntStream.range(0, p.columns).filter(j -> in[j]).toArray();
    }

    /** Marks the eligible columns with fewer than n eligible columns before them (lower key, or equal and earlier). */
    private static void markBest(double[] key, boolean[] eligible, int n, boolean[] in) {
        for (int j = 0; j < key.length; j++) {
            if (!eligible[j]) {
                continue;
            }
            int before = 0;
            for (int i = 0; i < key.length; i++) {
                if (eligible[i] && (key[i] < key[j] || key[i] == key[j] && i < j)) {
                    before++;
                }
            }
            in[j] |= before < n;
        }
    }

    /**
     * The answer is feasible at its cost, and, where the spot share can not bind, no unit of it can go (with a
     * binding share, dropping a spot unit can free an on-demand unit tried before it: one pass, dearest first,
     * does not promise that).
     */
    private static void assertFeasibleWithoutRedundantUnits(CoverProblem p, CoverSolution answer, String where) {
        int[] x = answer.counts();
        assertTrue(p.feasible(x), where);
        assertEquals(p.cost(x), answer.cost(), 1e-12 * Math.max(1, answer.cost()), where);
        boolean shareBinds = false;
        for (int j = 0; j < x.length; j++) {
            shareBinds |= p.spot[j] && p.maxSpotShare < 1;
        }
        for (int j = 0; j < x.length && !shareBinds; j++) {
            if (x[j] > 0) {
                x[j]--;
                assertFalse(p.feasible(x), () -> where + ": a unit of column " + java.util.Arrays.toString(x)
                        + " can go");
                x[j]++;
            }
        }
    }

    /** The cost of the fewest units of on-demand column j alone that meet the program, counted up. */
    private static double singleOfferCover(CoverProblem p, int j) {
        int[] x = new int[p.columns];
        for (int units = 0; units <= 100_000; units++) {
            x[j] = units;
            if (p.feasible(x)) {
                return units * p.cost[j];
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** The cheapest feasible plan's cost, enumerating every plan that costs at most {@code bound}. */
    private static double enumeratedOptimum(CoverProblem p, double bound) {
        double[] best = {bound * (1 + 1e-12)};
        enumerate(p, new int[p.columns], 0, 0, best);
        return best[0];
    }

    private static void enumerate(CoverProblem p, int[] x, int j, double cost, double[] best) {
        if (j == p.columns) {
            if (p.feasible(x)) {
                best[0] = Math.min(best[0], cost);
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
