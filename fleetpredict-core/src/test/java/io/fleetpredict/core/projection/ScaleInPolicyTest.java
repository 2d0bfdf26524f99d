package io.fleetpredict.core.projection;

import static io.fleetpredict.core.projection.ProjectionFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** When surplus capacity may go, and how much of which group, worked out by hand. */
class ScaleInPolicyTest {

    private static final Duration WINDOW = Duration.ofHours(1);
    private static final Duration COOLDOWN = Duration.ofMinutes(30);
    private static final List<CapacityOffer> OFFERS = List.of(
            CapacityOffer.onDemand("m.large", "m", "eu-west-1", new ResourceVector(2, 0, 0, 0), 0.1,
                    Duration.ofMinutes(1)),
            CapacityOffer.spot("c.large", "c", "eu-west-1", new ResourceVector(4, 0, 0, 0), 0.12, 0.01,
                    Duration.ofMinutes(1)));

    private static InstanceGroup group(String type, PurchaseOption option, int count,
            double cores) {
        return new InstanceGroup(type, "eu-west-1", option, count,
                List.of(ResourceAmount.of(ResourceType.CPU, cores, ResourceUnit.CORES)));
    }

    /**
     * 2 spot c.large of 4 cores (0.03 per core), 4 on-demand m.large of 2 cores (0.05 per core), 1 reserved
     * x.large of 8 cores (free): 24 cores, 5 not on spot, 8 on spot; the upper forecast {@code upper} cores.
     */
    private static ServiceWork work(double upper, int minOnDemand, double maxSpotShare) {
        ServiceWork w = new ServiceWork("web", new ServiceState("web", "t", List.of(
                group("c.large", PurchaseOption.SPOT, 2, 4),
                group("m.large", PurchaseOption.ON_DEMAND, 4, 2),
                group("x.large", PurchaseOption.RESERVED, 1, 8)), List.of()));
        w.tier = "t";
        w.policy = new TierPolicy(1, 0.9, 0, maxSpotShare, minOnDemand, null, null, Duration.ZERO, WINDOW, COOLDOWN);
        w.capacity = new ResourceVector(24, 0, 0, 0);
        w.count = 7;
        w.nonSpotCount = 5;
        w.spotCores = 8;
        w.totalCores = 24;
        w.forecast = true;
        w.upper = new ResourceVector(upper, 0, 0, 0);
        return w;
    }

    private final Map<String, Instant> lastChange = new HashMap<>();
    private final Map<String, Instant> eligibleSince = new HashMap<>();

    private ServiceWork plan(ServiceWork w) {
        new ScaleInPolicy(OFFERS, 0.1, LoggerFactory.getLogger(ScaleInPolicyTest.class)).plan(w, T0, lastChange, eligibleSince);
        return w;
    }

    @Test
    void plan_qualifiedForTheWholeWindow_releasesTheMostOfTheDearestGroupPerCoreThatKeepsTheBase() {
        eligibleSince.put("web", T0.minus(WINDOW));
        lastChange.put("web", T0.minus(COOLDOWN));
        ServiceWork w = plan(work(10, 2, 0.5));
        // m.large is dearest per core. 4 would leave 1 on demand (base 2); 3 leave 18 cores, 16.2 of them
        // within the band, above 10; spot 8 of 18 is within half.
        assertTrue(w.scaleIn);
        assertEquals(1, w.pending.size());
        PendingChange p = w.pending.get(0);
        assertEquals(ChangeAction.SCALE_IN, p.action());
        assertEquals("m.large", p.instanceType());
        assertEquals(3, p.count());
        assertEquals(PurchaseOption.ON_DEMAND, p.option());
        assertEquals(new ResourceVector(6, 0, 0, 0), p.delta());
        assertEquals(0.3, p.savingPerHour(), 1e-12);
        assertEquals(0, p.costPerHour(), 0);
        assertEquals(T0, p.neededBy());
        assertEquals("t tier: upper forecast 10 cores over the next PT1H stays below 90% of the 18 cores left after "
                + "removing 3 m.large", w.reason);
    }

    /**
     * 1 reserved x.large of 8 cores listed first, then 4 on-demand, 1 spot and 1 reserved-like groups whose type the
     * catalogue does not offer: the prepaid instances save nothing, the unpriced ones are still billed.
     */
    @Test
    void plan_groupTheCatalogueDoesNotPrice_goesBeforeReservedAndItsSavingIsUnknown() {
        eligibleSince.put("web", T0.minus(WINDOW));
        ServiceWork w = new ServiceWork("web", new ServiceState("web", "t", List.of(
                group("x.large", PurchaseOption.RESERVED, 1, 8),
                group("legacy.large", PurchaseOption.ON_DEMAND, 4, 2),
                group("m.large", PurchaseOption.ON_DEMAND, 1, 2)), List.of()));
        w.tier = "t";
        w.policy = new TierPolicy(1, 0.9, 0, 0.5, 0, null, null, Duration.ZERO, WINDOW, COOLDOWN);
        w.capacity = new ResourceVector(18, 0, 0, 0);
        w.count = 6;
        w.nonSpotCount = 6;
        w.totalCores = 18;
        w.forecast = true;
        w.upper = new ResourceVector(5, 0, 0, 0);
        plan(w);
        // m.large, priced, goes first: all of it (1) keeps 16 cores, 14.4 of them above 5.
        assertEquals("m.large", w.pending.get(0).instanceType());
        assertEquals(1, w.pending.get(0).count());
        assertEquals(0.1, w.pending.get(0).savingPerHour(), 1e-12);

        // Without the priced group, the unpriced on-demand one goes before the reserved one listed first.
        ServiceWork legacy = new ServiceWork("web", new ServiceState("web", "t", List.of(
                group("x.large", PurchaseOption.RESERVED, 1, 8),
                group("legacy.large", PurchaseOption.ON_DEMAND, 4, 2),
                group("legacy.xlarge", PurchaseOption.SPOT, 1, 4)), List.of()));
        legacy.tier = "t";
        legacy.policy = new TierPolicy(1, 0.9, 0, 1, 0, null, null, Duration.ZERO, WINDOW, COOLDOWN);
        legacy.capacity = new ResourceVector(20, 0, 0, 0);
        legacy.count = 6;
        legacy.nonSpotCount = 5;
        legacy.spotCores = 4;
        legacy.totalCores = 20;
        legacy.forecast = true;
        legacy.upper = new ResourceVector(5, 0, 0, 0);
        plan(legacy);
        PendingChange p = legacy.pending.get(0);
        // Ties between the two unpriced groups keep the fleet's order; releasing all 4 leaves 12 cores.
        assertEquals("legacy.large", p.instanceType());
        assertEquals(PurchaseOption.ON_DEMAND, p.option());
        assertEquals(4, p.count());
        assertEquals(0, p.savingPerHour(), 0);
        assertEquals("t tier: upper forecast 5 cores over the next PT1H stays below 90% of the 12 cores left after "
                + "removing 4 legacy.large; saving unknown: the catalogue has no on_demand price for legacy.large in "
                + "eu-west-1", legacy.reason);
    }

    @Test
    void plan_memoryBinds_theReasonNamesMemory() {
        eligibleSince.put("web", T0.minus(WINDOW));
        // 4 m.large of 2 cores and 8 GiB: 8 cores, 32 GiB. The upper forecast of 20 GiB allows one fewer
        // (20 <= 0.9 x 24), not two (0.9 x 16 < 20); the 2 cores forecast would allow three.
        ServiceWork w = new ServiceWork("web", new ServiceState("web", "t", List.of(new InstanceGroup("m.large",
                "eu-west-1", PurchaseOption.ON_DEMAND, 4, List.of(ResourceAmount.of(ResourceType.CPU, 2, ResourceUnit.CORES),
                        ResourceAmount.of(ResourceType.MEMORY, 8, ResourceUnit.GIB)))), List.of()));
        w.tier = "t";
        w.policy = new TierPolicy(1, 0.9, 0, 0.5, 0, null, null, Duration.ZERO, WINDOW, COOLDOWN);
        w.capacity = new ResourceVector(8, 32, 0, 0);
        w.count = 4;
        w.nonSpotCount = 4;
        w.totalCores = 8;
        w.forecast = true;
        w.upper = new ResourceVector(2, 20, 0, 0);
        plan(w);
        assertEquals(1, w.pending.get(0).count());
        assertEquals("t tier: upper forecast 20 GiB of memory over the next PT1H stays below 90% of the 24 GiB of "
                + "memory left after removing 1 m.large", w.reason);
    }

    @Test
    void plan_spotShareBinds_releasesFewerOfTheOnDemandGroup() {
        eligibleSince.put("web", T0.minus(WINDOW));
        // Spot may be at most 40%: 8 <= 0.4 x (24 - 2k) holds for k <= 2.
        ServiceWork w = plan(work(10, 0, 0.4));
        assertEquals(2, w.pending.get(0).count());
        assertEquals("m.large", w.pending.get(0).instanceType());
    }

    @Test
    void plan_onDemandGroupCannotShrink_theNextGroupPerCoreGoes() {
        eligibleSince.put("web", T0.minus(WINDOW));
        // A base of 5 keeps every on-demand and reserved instance; both spot c.large may go (16 x 0.9 >= 10).
        ServiceWork w = plan(work(10, 5, 1));
        PendingChange p = w.pending.get(0);
        assertEquals("c.large", p.instanceType());
        assertEquals(2, p.count());
        assertEquals(0.24, p.savingPerHour(), 1e-12);
    }

    @Test
    void plan_qualifiedButNothingCanShrink_saysWhy() {
        eligibleSince.put("web", T0.minus(WINDOW));
        // Upper 19 fits 22 x 0.9 = 19.8; one m.large would breach the base of 5, one c.large leaves 18 < 19.
        ServiceWork w = plan(work(19, 5, 1));
        assertFalse(w.scaleIn);
        assertEquals("scale-in qualified but no instance group can shrink within the on-demand base and spot share",
                w.reason);
    }

    @Test
    void plan_firstQualification_startsTheWindowAndHolds() {
        ServiceWork w = plan(work(10, 2, 0.5));
        assertEquals(T0, eligibleSince.get("web"));
        assertFalse(w.scaleIn);
        assertEquals("scale-in held: qualified since " + T0 + ", for less than the PT1H scale-in window", w.reason);
        eligibleSince.put("web", T0.minus(WINDOW).plusNanos(1));
        assertFalse(plan(work(10, 2, 0.5)).scaleIn, "a nanosecond short of the window");
    }

    @Test
    void plan_withinTheCooldown_holds() {
        eligibleSince.put("web", T0.minus(WINDOW));
        Instant last = T0.minus(COOLDOWN).plusNanos(1);
        lastChange.put("web", last);
        ServiceWork w = plan(work(10, 2, 0.5));
        assertFalse(w.scaleIn);
        assertEquals("scale-in held: last change at " + last + ", within the PT30M cooldown", w.reason);
    }

    @Test
    void plan_upperAboveWhatOneInstanceFewerLeavesInTheBand_notEligibleAndTheWindowStartsOver() {
        eligibleSince.put("web", T0.minus(WINDOW));
        // The smallest instance has 2 cores: 22 x 0.9 = 19.8 < 20.
        ServiceWork w = plan(work(20, 2, 0.5));
        assertNull(eligibleSince.get("web"));
        assertEquals("capacity covers the requirement; the upper forecast leaves no instance to release", w.reason);
        // A calibrated bound has its own margin: 20 <= 22.
        eligibleSince.put("web", T0.minus(WINDOW));
        ServiceWork calibrated = work(20, 2, 0.5);
        calibrated.calibrated = true;
        assertTrue(plan(calibrated).scaleIn);
    }

    @Test
    void plan_notAScaleInCandidate_windowStartsOver() {
        for (int k = 0; k < 6; k++) {
            eligibleSince.put("web", T0.minus(WINDOW));
            ServiceWork w = work(10, 2, 0.5);
            switch (k) {
                case 0 -> w.firstShort = 0;
                case 1 -> w.baseMissing = 1;
                case 2 -> w.upperComplete = false;
                case 3 -> w.outcome = ServiceDecision.Outcome.INFEASIBLE;
                case 4 -> w.plan = new ServicePlan.Planned("web", List.of(), 0, SolverMethod.GREEDY_COVER, false, 1);
                default -> w.forecast = false;
            }
            plan(w);
            assertFalse(w.scaleIn, "case " + k);
            assertNull(eligibleSince.get("web"), "case " + k);
        }
        ServiceWork none = work(10, 2, 0.5);
        none.forecast = false;
        assertEquals(ServiceDecision.Outcome.NO_FORECAST, plan(none).outcome);
        ServiceWork stateless = new ServiceWork("web", null);
        stateless.forecast = true;
        eligibleSince.put("web", T0.minus(WINDOW));
        plan(stateless);
        assertNull(eligibleSince.get("web"));
    }
}
