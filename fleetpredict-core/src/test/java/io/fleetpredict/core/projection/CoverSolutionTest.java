package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A solver's answer: its lower bound only rises, and never above its cost. */
class CoverSolutionTest {

    @Test
    void withLowerBound_raisesTheBoundUpToTheCostAndKeepsAHigherOne() {
        CoverSolution s = CoverSolution.of(new int[] {2, 1}, 10, 5, CoverSolution.Status.FEASIBLE);
        assertEquals(7, s.withLowerBound(7).lowerBound(), 0);
        assertEquals(10, s.withLowerBound(12).lowerBound(), 0, "capped at the cost");
        assertSame(s, s.withLowerBound(3));
        assertEquals(5, s.withLowerBound(3).lowerBound(), 0);
        assertEquals(10, s.withLowerBound(7).cost(), 0);
        assertArrayEquals(new int[] {2, 1}, s.withLowerBound(7).counts());
        assertEquals(CoverSolution.Status.FEASIBLE, s.withLowerBound(7).status());
    }

    @Test
    void of_optimalIsItsOwnBoundAndAFeasibleOneHasNone() {
        assertEquals(4, CoverSolution.of(new int[] {1}, 4, CoverSolution.Status.OPTIMAL).lowerBound(), 0);
        assertEquals(0, CoverSolution.of(new int[] {1}, 4, CoverSolution.Status.FEASIBLE).lowerBound(), 0);
        assertEquals(Double.POSITIVE_INFINITY, CoverSolution.infeasible().cost(), 0);
    }
}
