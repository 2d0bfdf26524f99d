package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The projection's value records: each component checked, their arithmetic, and what they say. */
class ProjectionValuesTest {

    private static final CapacityOffer M = CapacityOffer.onDemand("m.large", "m", "eu", ResourceVector.of(2, 8, 0, 0),
            0.1, Duration.ZERO);
    private static final CapacityOffer SPOT = CapacityOffer.spot("m.large", "m", "eu", ResourceVector.of(2, 8, 0, 0),
            0.03, 0.5, Duration.ZERO);

    @Test
    void resourceVector_eachComponentRefusedNegativeByName() {
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            double[] values = new double[ResourceVector.DIMENSIONS];
            values[r] = -1;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResourceVectors.of(values));
            assertEquals(ResourceVector.name(r) + " must be finite and >= 0, was -1.0", e.getMessage());
        }
        assertEquals(List.of("cpuCores", "memoryGiB", "bandwidthGbps", "storageGiB"),
                List.of(ResourceVector.name(0), ResourceVector.name(1), ResourceVector.name(2), ResourceVector.name(3)));
    }

    @Test
    void resourceVector_timesAndScale() {
        ResourceVector v = ResourceVector.of(1, 2, 3, 4);
        assertEquals(ResourceVector.of(3, 6, 9, 12), v.times(3));
        assertEquals(ResourceVector.ZERO, v.times(0));
        assertThrows(IllegalArgumentException.class, () -> v.times(-1));
        assertEquals(ResourceVector.of(0.5, 1, 1.5, 2), ResourceVectors.scale(v, 0.5));
    }

    @Test
    void capacityOffer_eachNameRefusedBlank() {
        ResourceVector c = ResourceVector.of(2, 8, 0, 0);
        assertEquals("instanceType must not be blank", assertThrows(IllegalArgumentException.class,
                () -> CapacityOffer.onDemand(" ", "m", "eu", c, 0.1, Duration.ZERO)).getMessage());
        assertEquals("family must not be blank", assertThrows(IllegalArgumentException.class,
                () -> CapacityOffer.onDemand("m.large", "", "eu", c, 0.1, Duration.ZERO)).getMessage());
        assertEquals("region must not be blank", assertThrows(IllegalArgumentException.class,
                () -> CapacityOffer.onDemand("m.large", "m", " ", c, 0.1, Duration.ZERO)).getMessage());
    }

    @Test
    void planLine_countAtLeastOneCostFromZeroAndInterruptibleOnlyForSpot() {
        assertThrows(IllegalArgumentException.class, () -> new PlanLine.Purchase(M, 0, 0));
        ExistingCapacity idle = ExistingCapacity.of("r.large", "r", "eu", ResourceVector.of(4, 16, 0, 0), 2, 0);
        assertThrows(IllegalArgumentException.class, () -> new PlanLine.Reuse(idle, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PlanLine.Purchase(M, 1, -0.01));
        PlanLine.Reuse free = new PlanLine.Reuse(idle, 2, 0);
        assertEquals(ResourceVector.of(8, 32, 0, 0), free.capacity());
        assertFalse(free.interruptible());
        assertFalse(new PlanLine.Purchase(M, 1, 0.1).interruptible());
        assertTrue(new PlanLine.Purchase(SPOT, 1, 0.03).interruptible());
    }

    @Test
    void capacityPlan_infeasibleListsOnlyTheInfeasibleInOrder() {
        ServicePlan.Infeasible a = new ServicePlan.Infeasible("a", InfeasibilityReason.NO_ALLOWED_OFFER, "none");
        ServicePlan.Planned b = new ServicePlan.Planned("b", List.of(), 0, SolverMethod.GREEDY_COVER, true);
        ServicePlan.Infeasible c = new ServicePlan.Infeasible("c", InfeasibilityReason.NO_ALLOWED_OFFER, "none");
        assertEquals(List.of(a, c), new CapacityPlan(List.of(a, b, c)).infeasible());
    }

    @Test
    void projectionState_nullTimesRefused() {
        Map<String, Instant> withNull = new HashMap<>();
        withNull.put("web", null);
        assertThrows(NullPointerException.class, () -> new ProjectionState(withNull, Map.of()));
        assertThrows(NullPointerException.class, () -> new ProjectionState(Map.of(), withNull));
    }

    @Test
    void figures_numFourDecimalsNoTrailingZerosAndNonFiniteAsJava() {
        assertEquals("1.2346", Figures.num(1.23456));
        assertEquals("2.5", Figures.num(2.5));
        assertEquals("NaN", Figures.num(Double.NaN));
        assertEquals("Infinity", Figures.num(Double.POSITIVE_INFINITY));
    }
}
