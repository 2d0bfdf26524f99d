package io.fleetpredict.cloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The forgotten instances' costs: folded in launch order, the rest waiting one slot per launch. */
class ForgottenCostsTest {

    @Test
    void add_outOfLaunchOrder_waitsUntilTheOlderAreForgottenThenFoldsInOrder() {
        ForgottenCosts costs = new ForgottenCosts();
        costs.add(3, 1.5);
        // Instances 1 and 2 are remembered: 3 slots wait, the first two empty.
        assertEquals(3, costs.waiting());
        assertEquals(0, costs.foldedThrough());
        assertEquals(3, costs.lastWaiting());
        assertTrue(Double.isNaN(costs.costOf(1)) && Double.isNaN(costs.costOf(2)));
        assertEquals(1.5, costs.costOf(3), 0.0);
        assertTrue(Double.isNaN(costs.costOf(4)), "launched after the last forgotten: remembered, or not yet launched");

        costs.add(1, 0.25);
        assertEquals(1, costs.foldedThrough());
        assertEquals(0.25, costs.folded(), 0.0);
        assertEquals(2, costs.waiting());

        costs.add(2, 0.5);
        assertEquals(3, costs.foldedThrough());
        assertEquals(2.25, costs.folded(), 0.0);
        assertEquals(0, costs.waiting());
        assertTrue(Double.isNaN(costs.costOf(3)), "folded, no longer waiting");
    }

    /** Past the first 16 slots the ring grows, keeping every waiting cost in its place. */
    @Test
    void add_manyWaiting_growsTheRingAndFoldsTheSumByHand() {
        ForgottenCosts costs = new ForgottenCosts();
        costs.add(1, 0.5);
        costs.add(40, 2.0);
        assertEquals(39, costs.waiting(), "instances 2 to 40");
        for (long s = 2; s < 40; s++) {
            assertTrue(Double.isNaN(costs.costOf(s)), "instance " + s);
        }
        assertEquals(2.0, costs.costOf(40), 0.0);
        for (long s = 39; s >= 3; s--) {
            costs.add(s, 1.0);
        }
        assertEquals(39, costs.waiting(), "instance 2 still remembered");
        assertEquals(1.0, costs.costOf(20), 0.0);

        costs.add(2, 1.0);

        // 0.5 + 38 instances at 1.0 + 2.0
        assertEquals(40.5, costs.folded(), 0.0);
        assertEquals(40, costs.foldedThrough());
        assertEquals(0, costs.waiting());
    }

    @Test
    void add_twiceOrAtTheRingsLimit_isRefusedNamingTheInstance() {
        ForgottenCosts costs = new ForgottenCosts();
        costs.add(1, 1.0);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> costs.add(1, 1.0));
        assertEquals("instance 1 forgotten twice, or with cost 1.0", twice.getMessage());

        IllegalStateException far = assertThrows(IllegalStateException.class, () -> costs.add(2 + (1L << 30), 1.0));

        assertEquals("more than 1073741824 instances launched since the oldest one remembered, instance 2",
                far.getMessage());
        assertEquals(0, costs.waiting(), "nothing was kept of the refused one");
    }
}
