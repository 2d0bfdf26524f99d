package io.fleetpredict.core.projection;

import static io.fleetpredict.core.projection.ProjectionFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.ExpectedImpact;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ModelInfo;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServicePolicy;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each service's capacity and requirement, worked out by hand: the fleet's requirement shared by capacity,
 * maintenance taken out of service, calibrated near-term steps, the SLA tier each service falls under.
 */
class RequirementCalculatorTest {

    private static final double TOL = 1e-9;
    private static final Duration HALF_HOUR = Duration.ofMinutes(30);

    /** Tier a: p90 with 10% headroom, 3 on-demand at least; tier b (the default): the median as it is. */
    private static final SlaPolicies SLA = new SlaPolicies(1, "b", Map.of(
            "a", new TierPolicy(2, 0.9, 0.1, 1, 3, null, null, Duration.ZERO, Duration.ofHours(1), Duration.ZERO),
            "b", new TierPolicy(1, 0.5, 0, 1, 0, null, null, Duration.ZERO, Duration.ofHours(1), Duration.ZERO)),
            List.of(new ServicePolicy("cache", "a", null, null, null, null, null, null, null, null, null, null),
                    new ServicePolicy("db", "b", null, null, null, null, null, null, null, null, null, null)));

    private static InstanceGroup group(PurchaseOption option, int count, double cores, Double memoryGiB) {
        List<ResourceAmount> per = memoryGiB == null
                ? List.of(ResourceAmount.of(ResourceType.CPU, cores, ResourceUnit.CORES))
                : List.of(ResourceAmount.of(ResourceType.CPU, cores, ResourceUnit.CORES),
                        ResourceAmount.of(ResourceType.MEMORY, memoryGiB, ResourceUnit.GIB));
        return new InstanceGroup("m.large", "eu-west-1", option, count, per);
    }

    /**
     * web (tier a): 2 on-demand and 1 spot of 4 cores and 8 GiB, so 12 cores and 24 GiB; db (its state says
     * a, the policies list it under b): 1 on-demand of 4 cores; api (a tier no policy knows, so b): nothing.
     */
    private static FleetState fleet() {
        return new FleetState(1, "shop", 3, T0, List.of(
                new ServiceState("web", "a", List.of(group(PurchaseOption.ON_DEMAND, 2, 4, 8.0),
                        group(PurchaseOption.SPOT, 1, 4, 8.0)), List.of()),
                new ServiceState("db", "a", List.of(group(PurchaseOption.ON_DEMAND, 1, 4, null)), List.of()),
                new ServiceState("api", "zzz", List.of(), List.of())));
    }

    private static ResourceRequirement req(ResourceType type, double quantity, ResourceUnit unit) {
        return new ResourceRequirement(type, quantity, unit, null, null, null);
    }

    private static PredictedFleetState step(Instant from, Duration length, List<ResourceRequirement> fleetWide,
            Map<String, List<ResourceRequirement>> perService, ModelInfo model) {
        List<ServiceRequirements> services = null;
        if (perService != null) {
            services = new ArrayList<>();
            for (Map.Entry<String, List<ResourceRequirement>> e : perService.entrySet()) {
                services.add(new ServiceRequirements(e.getKey(), e.getValue()));
            }
        }
        return new PredictedFleetState(1, "shop", from, null, from, from.plus(length), fleetWide, services, model,
                null);
    }

    private static List<ResourceRequirement> cores(double quantity) {
        return List.of(req(ResourceType.CPU, quantity, ResourceUnit.CORES));
    }

    private static Map<String, ServiceWork> works(List<PredictedFleetState> predicted, List<FleetEvent> events) {
        return new RequirementCalculator(SLA, List.of()).works(ForecastStep.of(predicted, Duration.ofHours(1)),
                fleet(), events, T0);
    }

    private static void assertVector(ResourceVector expected, ResourceVector actual) {
        assertEquals(expected.cpuCores(), actual.cpuCores(), TOL, "cores");
        assertEquals(expected.memoryGiB(), actual.memoryGiB(), TOL, "memory");
        assertEquals(expected.bandwidthGbps(), actual.bandwidthGbps(), TOL, "bandwidth");
        assertEquals(expected.storageGiB(), actual.storageGiB(), TOL, "storage");
    }

    @Test
    void works_tiersCapacityAndCounts() {
        Map<String, ServiceWork> w = works(List.of(step(T0, HALF_HOUR, cores(1), null, null)), List.of());
        assertEquals(List.of("web", "db", "api"), List.copyOf(w.keySet()));
        ServiceWork web = w.get("web");
        assertEquals("a", web.tier);
        assertEquals("b", w.get("db").tier, "a listed service takes its listed tier over its state's");
        assertEquals("b", w.get("api").tier, "an unknown tier falls back to the default");
        assertVector(new ResourceVector(12, 24, 0, 0), web.capacity);
        assertEquals(3, web.count);
        assertEquals(2, web.nonSpotCount);
        assertEquals(4, web.spotCores, TOL);
        assertEquals(12, web.totalCores, TOL);
        assertEquals(1, web.baseMissing, "tier a keeps 3 on-demand, 2 run");
        assertEquals(0, w.get("db").baseMissing);
    }

    @Test
    void works_fleetWideRequirement_sharedByCapacityAndEvenlyWhereNoneIsInService() {
        List<ResourceRequirement> fleetWide = List.of(req(ResourceType.CPU, 32, ResourceUnit.CORES),
                req(ResourceType.MEMORY, 48, ResourceUnit.GIB), req(ResourceType.BANDWIDTH, 9, ResourceUnit.GBPS));
        Map<String, ServiceWork> w = works(List.of(step(T0, HALF_HOUR, fleetWide, null, null)), List.of());
        // Fleet capacity 16 cores, 24 GiB, no bandwidth. web: 12/16 of the cores, all the memory, a third
        // of the bandwidth, times 1.1 headroom; db: 4/16 of the cores, none of the memory, a third of the
        // bandwidth; api: a third of the bandwidth.
        assertVector(new ResourceVector(24 * 1.1, 48 * 1.1, 3 * 1.1, 0), w.get("web").requirement);
        assertVector(new ResourceVector(8, 0, 3, 0), w.get("db").requirement);
        assertVector(new ResourceVector(0, 0, 3, 0), w.get("api").requirement);
        assertEquals(0, w.get("web").firstShort);
        assertEquals(0, w.get("web").lastShort);
        assertTrue(w.get("web").forecast);
    }

    @Test
    void works_quantilesAndSpread_perService() {
        // p50 10, p90 20, p99 30 cores: tier a at p90 = 20, the upper at p99 = 30, both with 10% headroom;
        // sigma = (30 - 10) / z(0.99).
        ResourceRequirement spread = new ResourceRequirement(ResourceType.CPU, 12, ResourceUnit.CORES, 10.0, 20.0,
                30.0);
        Map<String, ServiceWork> w = works(List.of(step(T0, HALF_HOUR, cores(12), Map.of("web", List.of(spread)),
                null)), List.of());
        ServiceWork web = w.get("web");
        assertVector(new ResourceVector(22, 0, 0, 0), web.requirement);
        assertVector(new ResourceVector(33, 0, 0, 0), web.upper);
        assertEquals(11, web.median[0], TOL);
        assertEquals(20 / NormalQuantiles.Z99 * 1.1, web.sigma[0], TOL);
        assertFalse(w.get("db").forecast, "a breakdown that leaves a service out gives it no forecast");
        assertFalse(w.get("db").upperComplete);
    }

    @Test
    void works_maintenance_capacityAndInstancesRemovedFromTheServicesInScope() {
        List<FleetEvent> events = List.of(
                // Cores and memory shared by capacity over web and db; bandwidth, of which they have none,
                // evenly: web 6 cores, 6 GiB, 1.5 Gbps; db 2 cores, 1.5 Gbps.
                new FleetEvent("m1", EventType.MAINTENANCE, "racks", T0.plusSeconds(600), T0.plusSeconds(2400),
                        List.of("web", "db"), new ExpectedImpact(null, null, List.of(
                                ResourceAmount.of(ResourceType.CPU, 8, ResourceUnit.CORES),
                                ResourceAmount.of(ResourceType.MEMORY, 6, ResourceUnit.GIB),
                                ResourceAmount.of(ResourceType.BANDWIDTH, 3, ResourceUnit.GBPS)), null)),
                // One average instance of every service: web 4 cores and 8 GiB, db 4 cores, api none.
                new FleetEvent("m5", EventType.MAINTENANCE, "kernel", T0.plusSeconds(60), T0.plusSeconds(120),
                        List.of(), new ExpectedImpact(null, null, null, 1)),
                new FleetEvent("m4", EventType.MAINTENANCE, "api only", T0, T0.plusSeconds(60), List.of("api"),
                        new ExpectedImpact(null, null, null, 2)),
                // Ends as the step starts, starts as it ends: no overlap.
                new FleetEvent("m2", EventType.MAINTENANCE, "before", T0.minusSeconds(3600), T0, List.of(),
                        new ExpectedImpact(null, null, null, 1)),
                new FleetEvent("m3", EventType.MAINTENANCE, "after", T0.plus(HALF_HOUR), T0.plusSeconds(7200),
                        List.of(), new ExpectedImpact(null, null, null, 1)),
                new FleetEvent("c1", EventType.CAMPAIGN, "sale", T0, T0.plusSeconds(600), List.of(),
                        new ExpectedImpact(2.0, null, null, null)),
                new FleetEvent("m6", EventType.MAINTENANCE, "unknown impact", T0, T0.plusSeconds(600), List.of(),
                        null));
        Map<String, ServiceWork> w = works(List.of(step(T0, HALF_HOUR, cores(3),
                new LinkedHashMap<>(Map.of("web", cores(10), "db", cores(1), "api", cores(1))), null)), events);
        ServiceWork web = w.get("web");
        assertVector(new ResourceVector(10, 14, 1.5, 0), web.maintenance);
        assertVector(new ResourceVector(11 + 10, 14, 1.5, 0), web.requirement);
        assertVector(new ResourceVector(6, 0, 1.5, 0), w.get("db").maintenance);
        assertVector(new ResourceVector(1 + 6, 0, 1.5, 0), w.get("db").requirement);
        assertVector(ResourceVector.ZERO, w.get("api").maintenance);
    }

    @Test
    void works_maintenanceStartingAtAZeroLengthStep_counts() {
        FleetEvent at = new FleetEvent("m", EventType.MAINTENANCE, "now", T0, T0.plusSeconds(60), List.of("db"),
                new ExpectedImpact(null, null, null, 1));
        FleetEvent ended = new FleetEvent("e", EventType.MAINTENANCE, "done", T0.minusSeconds(60), T0,
                List.of("db"), new ExpectedImpact(null, null, null, 1));
        Map<String, ServiceWork> w = works(List.of(step(T0, Duration.ZERO, cores(1), Map.of("db", cores(1)), null)),
                List.of(at, ended));
        assertVector(new ResourceVector(4, 0, 0, 0), w.get("db").maintenance);
    }

    @Test
    void works_calibratedSteps_takenAsTheyAreAndTheFarOnesLeftToTheNextCycle() {
        ModelInfo nearTerm = new ModelInfo(ModelInfo.NEAR_TERM, Map.of(ModelInfo.DECISION_INTERVAL, "PT5M"));
        ResourceRequirement spread = new ResourceRequirement(ResourceType.CPU, 14, ResourceUnit.CORES, 10.0, 20.0,
                30.0);
        // Steps at T0 (bought now) and T0 + 5 min, which the next decision five minutes on still serves.
        List<PredictedFleetState> steps = List.of(
                step(T0, Duration.ofMinutes(5), cores(14), Map.of("web", List.of(spread)), nearTerm),
                step(T0.plusSeconds(300), Duration.ofMinutes(5), cores(40), Map.of("web", cores(40)), nearTerm));
        ServiceWork web = works(steps, List.of()).get("web");
        assertTrue(web.calibrated);
        assertVector(new ResourceVector(14, 0, 0, 0), web.requirement);
        assertVector(new ResourceVector(40, 0, 0, 0), web.upper); // the upper bound still reaches every step
        assertEquals(0, web.firstShort);
        assertEquals(0, web.lastShort);
    }

    @Test
    void works_oneCalibratedStepAmongOthers_makesTheServiceCalibrated() {
        ModelInfo nearTerm = new ModelInfo(ModelInfo.NEAR_TERM, Map.of());
        List<PredictedFleetState> steps = List.of(
                step(T0, HALF_HOUR, cores(1), Map.of("web", cores(1)), nearTerm),
                step(T0.plus(HALF_HOUR), HALF_HOUR, cores(1), Map.of("web", cores(1)), null));
        assertTrue(works(steps, List.of()).get("web").calibrated);
        List<PredictedFleetState> reversed = List.of(
                step(T0, HALF_HOUR, cores(1), Map.of("web", cores(1)), null),
                step(T0.plus(HALF_HOUR), HALF_HOUR, cores(1), Map.of("web", cores(1)), nearTerm));
        assertTrue(works(reversed, List.of()).get("web").calibrated);
    }

    @Test
    void works_shortSpan_firstAndLastShortStep() {
        List<PredictedFleetState> steps = List.of(
                step(T0, HALF_HOUR, cores(1), Map.of("db", cores(1)), null),
                step(T0.plus(HALF_HOUR), HALF_HOUR, cores(1), Map.of("db", cores(5)), null),
                step(T0.plus(HALF_HOUR.multipliedBy(2)), HALF_HOUR, cores(1), Map.of("db", cores(4)), null),
                step(T0.plus(HALF_HOUR.multipliedBy(3)), HALF_HOUR, cores(1), Map.of("db", cores(6)), null),
                step(T0.plus(HALF_HOUR.multipliedBy(4)), HALF_HOUR, cores(1), Map.of("db", cores(2)), null));
        ServiceWork db = works(steps, List.of()).get("db");
        // db has 4 cores: exactly 4 is not short; 5 and 6 are.
        assertEquals(1, db.firstShort);
        assertEquals(3, db.lastShort);
        assertVector(new ResourceVector(6, 0, 0, 0), db.requirement);
        // The scale-in window is an hour: the steps starting before T0 + 1 h count for the upper bound.
        assertVector(new ResourceVector(5, 0, 0, 0), db.upper);
    }
}
