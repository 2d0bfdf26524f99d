package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.document.ResourceRequirement;
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

    @Test
    void resourceVectors_indexOfEachTypeAndAmountsOfThePositiveComponentsOnly() {
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            assertEquals(r, ResourceVectors.index(ResourceVectors.type(r)));
        }
        assertEquals(List.of(ResourceType.CPU, ResourceType.MEMORY, ResourceType.BANDWIDTH, ResourceType.STORAGE),
                List.of(ResourceVectors.type(0), ResourceVectors.type(1), ResourceVectors.type(2), ResourceVectors.type(3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResourceVectors.index(null));
        assertEquals("unknown resource type null", e.getMessage());

        ResourceVector v = ResourceVector.of(2, 0, 0.5, 0);
        assertEquals(List.of(new ResourceAmount(ResourceType.CPU, 2, ResourceUnit.CORES),
                new ResourceAmount(ResourceType.BANDWIDTH, 0.5, ResourceUnit.GBPS)), ResourceVectors.amounts(v));
        assertEquals(List.of(), ResourceVectors.amounts(ResourceVector.ZERO));
        assertEquals(v, ResourceVectors.of(ResourceVectors.amounts(v)));
    }

    @Test
    void normalQuantiles_atTheDocumentedPointsAndBeyond() {
        ResourceRequirement r = new ResourceRequirement(ResourceType.CPU, 100, ResourceUnit.CORES, 100.0, 110.0, 130.0);
        assertEquals(100, NormalQuantiles.at(r, 0.5), 1e-12);
        assertEquals(110, NormalQuantiles.at(r, 0.9), 1e-12);
        assertEquals(130, NormalQuantiles.at(r, 0.99), 1e-12);
        // Without p99 the line through p50 and p90 goes on: at 0.99, 100 + 10 x z(0.99) / z(0.9).
        ResourceRequirement noP99 = new ResourceRequirement(ResourceType.CPU, 100, ResourceUnit.CORES, 100.0, 110.0, null);
        assertEquals(100 + 10 * NormalQuantiles.Z99 / NormalQuantiles.Z90, NormalQuantiles.at(noP99, 0.99), 1e-12);
        // Only a median: the same at every probability; the quantity stands in for an absent p50.
        ResourceRequirement median = new ResourceRequirement(ResourceType.CPU, 40, ResourceUnit.CORES, null, null, null);
        assertEquals(40, NormalQuantiles.at(median, 0.999), 0);
        // A quantity above the p99 given: the line falls, and past zero the requirement is 0, never negative.
        ResourceRequirement falling = new ResourceRequirement(ResourceType.CPU, 10, ResourceUnit.CORES, null, null, 1.0);
        assertEquals(1, NormalQuantiles.at(falling, 0.99), 1e-12);
        assertEquals(0, NormalQuantiles.at(falling, 0.999), 0);
    }

    @Test
    void capacityOffer_cpuAndPenaltyAtTheirLimits() {
        IllegalArgumentException noCpu = assertThrows(IllegalArgumentException.class,
                () -> CapacityOffer.onDemand("x.large", "x", "eu", ResourceVector.of(0, 8, 0, 0), 0.1, Duration.ZERO));
        assertEquals("capacity.cpuCores of x.large must be > 0, was 0.0", noCpu.getMessage());
        assertEquals(Double.MIN_VALUE, CapacityOffer.onDemand("x.large", "x", "eu",
                ResourceVector.of(Double.MIN_VALUE, 0, 0, 0), 0.1, Duration.ZERO).capacity().cpuCores());
        // Spot at 0.03 per hour, 0.5 interruptions per hour, 6 minutes to replace: 0.03 + 0.5 x 0.1 x (0.03 + penalty).
        CapacityOffer spot = CapacityOffer.spot("m.large", "m", "eu", ResourceVector.of(2, 8, 0, 0), 0.03, 0.5,
                Duration.ofMinutes(6));
        assertEquals(0.0315, spot.expectedCostPerHour(0), 1e-15);
        assertEquals(0.0315 + 0.05 * 2, spot.expectedCostPerHour(2), 1e-15);
        for (double penalty : new double[] {-Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> spot.expectedCostPerHour(penalty));
            assertEquals("interruptionPenaltyPerHour must be finite and >= 0, was " + penalty, e.getMessage());
        }
    }

    @Test
    void capacityOffers_fromCatalogue_carriesEveryOptionOfEveryOffer() {
        // A catalogue holds no price of 0 (CatalogueOffer refuses one), so no option is left out.
        InstanceCatalogue catalogue = new InstanceCatalogue(1, List.of(
                ProjectionFixtures.offer("cheap.spot", "f", "eu", 2, 8, 0.2, Double.MIN_VALUE, 0.1, Duration.ZERO),
                ProjectionFixtures.offer("no.spot", "f", "eu", 2, 8, 0.3, null, 0, Duration.ZERO),
                ProjectionFixtures.offer("both", "f", "eu", 2, 8, 0.4, 0.04, 0.1, Duration.ZERO)));
        List<CapacityOffer> offers = CapacityOffers.fromCatalogue(catalogue);
        assertEquals(List.of("cheap.spot ON_DEMAND 0.2", "cheap.spot SPOT 4.9E-324", "no.spot ON_DEMAND 0.3",
                "both ON_DEMAND 0.4", "both SPOT 0.04"), offers.stream()
                .map(o -> o.instanceType() + " " + o.purchaseOption() + " " + o.pricePerHour()).toList());
        assertEquals(0.1, offers.get(1).interruptionRatePerHour(), 0);
        assertEquals(0, offers.get(0).interruptionRatePerHour(), 0, "on demand is never interrupted");
        assertTrue(offers.stream().noneMatch(o -> o.purchaseOption() == PurchaseOption.RESERVED));
    }
}
