package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the gate's recommendations cut: the excess by the gate's own rule, never a service's spot share. */
class CostGateRecommendationsTest {

    private static final List<Offer> OFFERS = SimulatedCloud.defaultCatalogue();

    private static ProvisionalChange line(String id, String service, String type, int count, PurchaseOption option,
            double costPerHour, double cores, Instant neededBy, Instant launchAt) {
        return new ProvisionalChange(id, service, ChangeAction.SCALE_OUT, type, "us-east", count, option,
                List.of(ResourceAmount.of(ResourceType.CPU, cores, ResourceUnit.CORES)), 1,
                "forecast exceeds allocation", costPerHour, costPerHour, neededBy, launchAt, ChangeStatus.PROPOSED,
                null);
    }

    private static SlaPolicies standard(double spotShare, int onDemandBase, double headroom, Duration leadTime) {
        TierPolicy standard = new TierPolicy(5, 0.95, headroom, spotShare, onDemandBase, null, null, leadTime,
                Duration.ofMinutes(30), Duration.ofMinutes(30));
        return new SlaPolicies(1, "standard", Map.of("standard", standard), List.of());
    }

    private static List<Recommendation.ScaleDown> scaleDowns(GateDecision.OverThreshold over) {
        return over.recommendations().stream().filter(Recommendation.ScaleDown.class::isInstance)
                .map(Recommendation.ScaleDown.class::cast).toList();
    }

    @Test
    void scaleDown_excessLeftOverByFloatingPoint_cutsNoInstanceTooMany() {
        // 10 instances at 0.1 (no offer: the plan's price) against 0.7: 1.0 - 0.7 is 0.30000000000000004, whose
        // ceiling over 0.1 is 4; 3 fewer cost 0.7, which the gate approves.
        ProvisionalChange change = line("chg-1-1", "a", "z.small", 10, PurchaseOption.ON_DEMAND, 1.0, 10,
                T0.plusSeconds(1800), T0);
        CostGate gate = CostGate.builder(0.7).build();
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                gate.evaluate(Fixtures.plan(Fixtures.emptyFleet("shop", 1, "a", "standard"), change), List.of(), T0));
        Recommendation.ScaleDown down = scaleDowns(over).get(0);
        assertEquals(7, down.toCount(), down.summary());
        ProvisionalChange taken = line("chg-1-1", "a", "z.small", 7, PurchaseOption.ON_DEMAND, 0.7, 7,
                T0.plusSeconds(1800), T0);
        assertInstanceOf(GateDecision.UnderThreshold.class,
                gate.evaluate(Fixtures.plan(Fixtures.emptyFleet("shop", 1, "a", "standard"), taken), List.of(), T0));
    }

    @Test
    void scaleDown_onDemandLineOfAServiceBuyingSpot_keepsTheSpotShareAndSaysSo() {
        FleetState fleet = Fixtures.emptyFleet("shop", 7, "api", "standard");
        Instant neededBy = T0.plusSeconds(1800);
        // 6 spot and 6 on-demand of 2 cores: exactly the 50% share. Any on-demand cut breaks it: only the spot
        // line is scaled down.
        ProvisionalChange spot = line("chg-7-1", "api", "m.large", 6, PurchaseOption.SPOT, 6 * 0.0336, 12, neededBy, T0);
        ProvisionalChange onDemand = line("chg-7-2", "api", "m.large", 6, PurchaseOption.ON_DEMAND, 6 * 0.096, 12,
                neededBy, T0);
        GateDecision.OverThreshold full = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0)
                .slaPolicies(standard(0.5, 0, 0, Duration.ZERO)).build()
                .evaluate(Fixtures.plan(fleet, spot, onDemand), OFFERS, T0));
        assertEquals(List.of("chg-7-1"), scaleDowns(full).stream().map(Recommendation.ScaleDown::changeId).toList());
        // 2 spot and 6 on-demand: 4 spot cores of 16; 4 on-demand fewer leave 4 of 8, the share. An on-demand
        // base of 3 (with 2 running) allows 5 fewer, so the share limits the cut.
        FleetState running = new FleetState(1, "shop", 7, T0, List.of(new io.fleetpredict.core.document.ServiceState(
                "api", "standard", List.of(Fixtures.group("m.large", 2)), List.of())));
        ProvisionalChange fewSpot = line("chg-7-1", "api", "m.large", 2, PurchaseOption.SPOT, 2 * 0.0336, 4, neededBy,
                T0);
        GateDecision.OverThreshold partly = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0)
                .slaPolicies(standard(0.5, 3, 0, Duration.ZERO)).build()
                .evaluate(Fixtures.plan(running, fewSpot, onDemand), OFFERS, T0));
        Recommendation.ScaleDown cut = scaleDowns(partly).stream().filter(s -> s.changeId().equals("chg-7-2"))
                .findFirst().orElseThrow();
        assertEquals(2, cut.toCount());
        assertEquals(4 * 0.096, cut.savingPerHour(), 1e-12);
        assertTrue(cut.slaImpact().endsWith("; no more, to keep the 50% spot share and the on-demand base of 3"),
                cut.slaImpact());
        // An on-demand base of 7 (2 running, 6 planned) allows 1 fewer.
        GateDecision.OverThreshold base = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0)
                .slaPolicies(standard(0.5, 7, 0, Duration.ZERO)).build()
                .evaluate(Fixtures.plan(running, fewSpot, onDemand), OFFERS, T0));
        assertEquals(5, scaleDowns(base).stream().filter(s -> s.changeId().equals("chg-7-2")).findFirst().orElseThrow()
                .toCount());
        // Without policies the whole on-demand line may go, and the SLA impact says the share was not checked.
        GateDecision.OverThreshold unknown = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0)
                .build().evaluate(Fixtures.plan(fleet, spot, onDemand), OFFERS, T0));
        Recommendation.ScaleDown blind = scaleDowns(unknown).stream().filter(s -> s.changeId().equals("chg-7-2"))
                .findFirst().orElseThrow();
        assertEquals(0, blind.toCount());
        assertTrue(blind.slaImpact().endsWith("; spot share and on-demand base not checked without SLA policies"),
                blind.slaImpact());
    }

    @Test
    void trimHeadroom_keepsTheSpotShareByTrimmingSpotToo() {
        // Nothing running; 6 on-demand and 2 spot of 2 cores (4 spot cores of 16) at 100% headroom: at 50%,
        // 12 cores suffice, 4 spare, 2 instances. The dearer on-demand line may lose 4 within the 50% share,
        // so both come off it; with a share of 0.3 (4 of at most 13.3 cores) only 1 may, the other off spot.
        Instant neededBy = T0.plusSeconds(1800);
        ProvisionalChange onDemand = line("o", "web", "m.large", 6, PurchaseOption.ON_DEMAND, 6 * 0.096, 12, neededBy,
                T0);
        ProvisionalChange spot = line("s", "web", "m.large", 2, PurchaseOption.SPOT, 2 * 0.0336, 4, neededBy, T0);
        FleetState fleet = Fixtures.emptyFleet("shop", 1, "web", "standard");
        for (double share : new double[] {0.5, 0.3}) {
            GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0)
                    .slaPolicies(standard(share, 0, 1.0, Duration.ZERO)).build()
                    .evaluate(Fixtures.plan(fleet, onDemand, spot), OFFERS, T0));
            Recommendation.TrimHeadroom trim = over.recommendations().stream()
                    .filter(Recommendation.TrimHeadroom.class::isInstance).map(Recommendation.TrimHeadroom.class::cast)
                    .findFirst().orElseThrow();
            assertEquals(2, trim.instancesSaved());
            assertEquals(share == 0.5 ? 2 * 0.096 : 0.096 + 0.0336, trim.savingPerHour(), 1e-12, "share " + share);
        }
    }

    @Test
    void defer_serviceWithTwoLinesDue_oneDeferralOfBothSavingTheWholeService() {
        FleetState fleet = Fixtures.emptyFleet("shop", 41, "catalogue", "standard");
        // Both due now, needed in 10 minutes; a 30-minute lead time. The gate charges catalogue while either is
        // due, so deferring one alone saves nothing.
        ProvisionalChange a = line("chg-41-2", "catalogue", "m.large", 4, PurchaseOption.ON_DEMAND, 4 * 0.096, 8,
                T0.plusSeconds(600), T0);
        ProvisionalChange b = line("chg-41-3", "catalogue", "m.large", 4, PurchaseOption.SPOT, 4 * 0.0336, 8,
                T0.plusSeconds(600), T0);
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0.1)
                .slaPolicies(standard(0.5, 0, 0, Duration.ofMinutes(30))).build()
                .evaluate(Fixtures.plan(fleet, a, b), OFFERS, T0));
        List<Recommendation> defers = over.recommendations().stream()
                .filter(Recommendation.Defer.class::isInstance).toList();
        assertEquals(1, defers.size(), defers.toString());
        assertEquals(4 * 0.096 + 4 * 0.0336, defers.get(0).savingPerHour(), 1e-12);
        // Each line gets a need time its launch time is not after, as a plan must: the capacity's arrival.
        Recommendation.Defer defer = (Recommendation.Defer) defers.get(0);
        assertEquals(List.of("chg-41-2", "chg-41-3"),
                defer.changes().stream().map(Recommendation.Defer.Line::changeId).toList());
        for (Recommendation.Defer.Line l : defer.changes()) {
            assertEquals(T0.plusSeconds(40 * 60), l.neededBy());
            assertTrue(!l.launchAt().isAfter(l.neededBy()) && l.launchAt().isAfter(T0.plusSeconds(5 * 60)), l.toString());
        }
        assertTrue(defer.summary().startsWith("defer catalogue: changes chg-41-2 to launch at "), defer.summary());
    }
}
