package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CostGateTest {

    private static final List<Offer> OFFERS = SimulatedCloud.defaultCatalogue();

    static TierPolicy tier(double weight, double spotShare, double headroom) {
        return new TierPolicy(weight, 0.9, headroom, spotShare, 0, null, null, Duration.ofMinutes(10),
                Duration.ofMinutes(30), Duration.ofMinutes(30));
    }

    private static SlaPolicies policies() {
        Map<String, TierPolicy> tiers = new LinkedHashMap<>();
        tiers.put("critical", tier(10, 0, 0.2));
        tiers.put("best_effort", tier(1, 1, 0.3));
        return new SlaPolicies(1, "best_effort", tiers, List.of());
    }

    @Test
    void evaluate_underThreshold_approvesEveryProposedChange() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "checkout", "critical");
        GateDecision d = CostGate.builder(1).build().evaluate(
                Fixtures.plan(fleet, Fixtures.change("a", "checkout", 3, 1), Fixtures.change("b", "checkout", 2, 2)),
                OFFERS, T0);
        GateDecision.UnderThreshold under = assertInstanceOf(GateDecision.UnderThreshold.class, d);
        // 5 x m.large us-east on-demand at 0.096 per hour (the default catalogue's anchor price).
        assertEquals(0.48, under.costPerHour(), 1e-12);
        assertEquals(0.04, under.costPerCycle(), 1e-12, "a 5-minute cycle is 1/12 hour");
        assertEquals(List.of("a", "b"), under.approved().stream().map(ProvisionalChange::id).toList());
    }

    @Test
    void evaluate_scaleIns_approvedWhateverTheThresholdAndNeverCounted() {
        FleetState fleet = new FleetState(1, "shop", 0, T0, List.of(
                new ServiceState("checkout", "critical", List.of(Fixtures.group("m.large", 10)), List.of())));
        ProvisionalChange shrink = Fixtures.scaleIn("shrink", "checkout", "m.large", 4, PurchaseOption.ON_DEMAND, 2,
                T0);
        // Even a scale-in whose plan carries a (wrong) cost estimate saves money: it is not counted.
        ProvisionalChange priced = new ProvisionalChange("priced", "checkout", shrink.action(), "m.large", "us-east",
                2, PurchaseOption.ON_DEMAND, shrink.resourceDelta(), 3, shrink.slaReason(), 9.0, 9.0, T0, T0,
                shrink.status(), null);
        GateDecision over = CostGate.builder(0).build().evaluate(
                Fixtures.plan(fleet, Fixtures.change("grow", "checkout", 1, 1), shrink, priced), OFFERS, T0);
        GateDecision.OverThreshold o = assertInstanceOf(GateDecision.OverThreshold.class, over);
        assertEquals(0.096, o.costPerHour(), 1e-12, "only the scale-out costs");
        assertEquals(List.of("shrink", "priced"), o.approved().stream().map(ProvisionalChange::id).toList());
        assertEquals(List.of("grow"), o.refused().stream().map(ProvisionalChange::id).toList());
        GateDecision under = CostGate.builder(0).build().evaluate(Fixtures.plan(fleet, shrink, priced), OFFERS, T0);
        assertEquals(List.of("shrink", "priced"), assertInstanceOf(GateDecision.UnderThreshold.class, under)
                .approved().stream().map(ProvisionalChange::id).toList());
    }

    @Test
    void evaluate_overThreshold_approvesThePriorityPrefixAndRanksQuantifiedRecommendations() {
        FleetState fleet = new FleetState(1, "shop", 0, T0, List.of(
                new ServiceState("checkout", "critical", List.of(Fixtures.group("m.large", 10)), List.of()),
                new ServiceState("recommendations", "best_effort", List.of(Fixtures.group("m.large", 4)), List.of())));
        ProvisionalFleetState plan = Fixtures.plan(fleet,
                Fixtures.change("crit", "checkout", 4, 1),
                Fixtures.change("reco", "recommendations", 6, 3, PurchaseOption.ON_DEMAND, T0.plusSeconds(6 * 3600)));
        GateDecision d = CostGate.builder(0.5).slaPolicies(policies()).build().evaluate(plan, OFFERS, T0);
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, d);
        assertEquals(0.96, over.costPerHour(), 1e-12);
        assertEquals(0.46, over.excessPerHour(), 1e-12);
        assertEquals(List.of("crit"), over.approved().stream().map(ProvisionalChange::id).toList());
        assertEquals(List.of("reco"), over.refused().stream().map(ProvisionalChange::id).toList());
        List<Recommendation> recs = over.recommendations();
        for (int i = 0; i < recs.size(); i++) {
            assertEquals(i + 1, recs.get(i).rank());
        }
        // The best-effort service (weight 1) comes before the critical one (weight 10).
        assertEquals("recommendations", recs.get(0).service());
        Recommendation.MoveToSpot spot = recs.stream().filter(Recommendation.MoveToSpot.class::isInstance)
                .map(Recommendation.MoveToSpot.class::cast).findFirst().orElseThrow();
        // m.large us-east: on-demand 0.096, spot round(0.096 x 0.35, 4) = 0.0336; 6 instances save 6 x 0.0624.
        assertEquals(6 * (0.096 - 0.0336), spot.savingPerHour(), 1e-12);
        Recommendation.ScaleDown down = recs.stream().filter(r -> r instanceof Recommendation.ScaleDown s
                && s.changeId().equals("reco")).map(Recommendation.ScaleDown.class::cast).findFirst().orElseThrow();
        // ceil(0.46 / 0.096) = 5 instances close the excess.
        assertEquals(1, down.toCount());
        assertEquals(5 * 0.096, down.savingPerHour(), 1e-12);
        assertTrue(recs.stream().anyMatch(r -> r instanceof Recommendation.Defer f && f.changes().get(0).changeId().equals("reco")),
                "needed in 6 hours: deferrable");
        assertTrue(recs.stream().anyMatch(Recommendation.TrimHeadroom.class::isInstance));
        recs.forEach(r -> assertTrue(!r.summary().isBlank() && !r.slaImpact().isBlank()));
    }

    @Test
    void evaluate_planPricedBelowCurrentOffers_usesTheHigherCurrentPrice() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "checkout", "critical");
        ProvisionalChange cheap = Fixtures.change("a", "checkout", "m.large", "us-east", 10, PurchaseOption.ON_DEMAND,
                1, 0.01, T0.plusSeconds(3600));
        GateDecision d = CostGate.builder(0.5).build().evaluate(Fixtures.plan(fleet, cheap), OFFERS, T0);
        assertInstanceOf(GateDecision.OverThreshold.class, d);
        assertEquals(0.96, d.costPerHour(), 1e-12);
    }

    @Test
    void evaluate_offerPricedSoHighTheTotalOverflows_refusesTheChangeAndRecommendsDroppingIt() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "checkout", "critical");
        Offer base = OFFERS.stream().filter(o -> o.instanceType().equals("m.large") && o.region().equals("us-east"))
                .findFirst().orElseThrow();
        Offer poisoned = new Offer(base.instanceType(), base.family(), base.region(), base.cpuCores(), base.memoryGiB(),
                base.bandwidthGbps(), base.storageGiB(), 1e308, java.util.OptionalDouble.empty(), 0, base.bootTime());
        ProvisionalFleetState plan = Fixtures.plan(fleet, Fixtures.change("a", "checkout", 3, 1));

        GateDecision d = CostGate.builder(10).build().evaluate(plan, List.of(poisoned), T0);

        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, d);
        assertEquals(Double.POSITIVE_INFINITY, over.costPerHour());
        assertEquals(List.of(), over.approved());
        Recommendation.ScaleDown down = over.recommendations().stream().filter(Recommendation.ScaleDown.class::isInstance)
                .map(Recommendation.ScaleDown.class::cast).findFirst().orElseThrow();
        assertEquals(3, down.fromCount());
        assertEquals(0, down.toCount());
    }

    @Test
    void evaluate_costExactlyAtTheHourlyThreshold_isUnderIt() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "checkout", "critical");
        // One m.large in us-east at exactly 0.096 per hour: the threshold is a ceiling, met is not exceeded.
        ProvisionalFleetState plan = Fixtures.plan(fleet, Fixtures.change("a", "checkout", 1, 1));
        assertInstanceOf(GateDecision.UnderThreshold.class, CostGate.builder(0.096).build().evaluate(plan, OFFERS, T0));
        assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0.0959).build().evaluate(plan, OFFERS, T0));
    }

    @Test
    void evaluate_costExactlyAtTheCycleThreshold_isUnderIt() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "checkout", "critical");
        ProvisionalFleetState plan = Fixtures.plan(fleet, Fixtures.change("a", "checkout", 1, 1));
        // A half-hour cycle: the cost per cycle is half the cost per hour, 0.048.
        GateDecision at = CostGate.builder(10).maxCostPerCycle(0.048).cycle(Duration.ofMinutes(30)).build()
                .evaluate(plan, OFFERS, T0);
        assertEquals(0.048, assertInstanceOf(GateDecision.UnderThreshold.class, at).costPerCycle(), 1e-15);
        assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(10).maxCostPerCycle(0.0479)
                .cycle(Duration.ofMinutes(30)).build().evaluate(plan, OFFERS, T0));
    }

    @Test
    void evaluate_cycleOfThreeHundredYears_countsItsCostOverTheWholeCycle() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "checkout", "critical");
        ProvisionalFleetState plan = Fixtures.plan(fleet, Fixtures.change("a", "checkout", 1, 1));
        // More nanoseconds than a long holds; 300 x 365 days is 2,628,000 hours at 0.096.
        GateDecision d = CostGate.builder(10).cycle(Duration.ofDays(300L * 365)).build().evaluate(plan, OFFERS, T0);
        assertEquals(0.096 * 2_628_000, assertInstanceOf(GateDecision.UnderThreshold.class, d).costPerCycle(), 1e-6);
    }

    @Test
    void evaluate_overThreshold_approvesAChangeThatFillsTheBudgetExactly() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "checkout", "critical", "web", "standard");
        ProvisionalFleetState plan = Fixtures.plan(fleet, Fixtures.change("a", "checkout", 1, 1),
                Fixtures.change("b", "web", 1, 2));
        GateDecision.OverThreshold byHour = assertInstanceOf(GateDecision.OverThreshold.class,
                CostGate.builder(0.096).build().evaluate(plan, OFFERS, T0));
        assertEquals(List.of("a"), byHour.approved().stream().map(ProvisionalChange::id).toList());
        assertEquals(List.of("b"), byHour.refused().stream().map(ProvisionalChange::id).toList());
        GateDecision.OverThreshold byCycle = assertInstanceOf(GateDecision.OverThreshold.class,
                CostGate.builder(10).maxCostPerCycle(0.048).cycle(Duration.ofMinutes(30)).build()
                        .evaluate(plan, OFFERS, T0));
        assertEquals(List.of("a"), byCycle.approved().stream().map(ProvisionalChange::id).toList());
    }

    @Test
    void evaluate_cycleLimitTighterThanHourly_scaleDownsCloseTheExcessOverTheCycleLimit() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "checkout", "critical");
        ProvisionalFleetState plan = Fixtures.plan(fleet, Fixtures.change("a", "checkout", 10, 1),
                Fixtures.change("b", "checkout", 10, 2));
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                CostGate.builder(10).maxCostPerCycle(0.75).cycle(Duration.ofMinutes(30)).build()
                        .evaluate(plan, OFFERS, T0));
        // 20 x 0.096 = 1.92 per hour against min(10, 0.75 per half-hour cycle): 0.42 over, ceil(0.42 / 0.096) = 5
        // instances to cut from either change.
        for (String id : List.of("a", "b")) {
            Recommendation.ScaleDown down = over.recommendations().stream()
                    .filter(r -> r instanceof Recommendation.ScaleDown s && s.changeId().equals(id))
                    .map(Recommendation.ScaleDown.class::cast).findFirst().orElseThrow();
            assertEquals(10, down.fromCount());
            assertEquals(5, down.toCount(), id);
            assertEquals(5 * 0.096, down.savingPerHour(), 1e-12);
        }
    }

    @Test
    void evaluate_overThreshold_refusesEverythingAfterTheFirstChangeThatDoesNotFit() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "checkout", "critical");
        // a (priority 1) costs 0.192 and does not fit 0.15; b (priority 2) alone would, but is not let past a.
        ProvisionalFleetState plan = Fixtures.plan(fleet, Fixtures.change("b", "checkout", 1, 2),
                Fixtures.change("a", "checkout", 2, 1));
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                CostGate.builder(0.15).build().evaluate(plan, OFFERS, T0));
        assertEquals(List.of(), over.approved());
        assertEquals(List.of("a", "b"), over.refused().stream().map(ProvisionalChange::id).toList());
    }

    private static Offer offer(String type, String region) {
        return OFFERS.stream().filter(o -> o.instanceType().equals(type) && o.region().equals(region)).findFirst()
                .orElseThrow();
    }

    private static List<String> order(GateDecision.OverThreshold over) {
        return over.recommendations().stream().map(r -> r.getClass().getSimpleName() + ":" + (
                r instanceof Recommendation.ScaleDown d ? d.changeId()
                : r instanceof Recommendation.MoveToSpot m ? m.changeId()
                : r instanceof Recommendation.Defer d ? d.changes().get(0).changeId()
                : r.service())).toList();
    }

    @Test
    void recommend_withPolicies_eachRecommendationComputedAndRankedBySavingPerWeight() {
        FleetState fleet = new FleetState(1, "shop", 0, T0, List.of(
                new ServiceState("web", "best_effort", List.of(Fixtures.group("m.large", 14)), List.of()),
                new ServiceState("api", "critical", List.of(Fixtures.group("m.large", 10)), List.of())));
        ProvisionalChange w = Fixtures.change("w", "web", 6, 1, PurchaseOption.ON_DEMAND, T0.plusSeconds(40 * 60));
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                CostGate.builder(0.2).slaPolicies(policies()).build().evaluate(Fixtures.plan(fleet, w), OFFERS, T0));
        Offer large = offer("m.large", "us-east");
        double unit = large.onDemandPricePerHour();
        // 6 x 0.096 = 0.576 per hour, 0.376 over 0.2: ceil(0.376 / 0.096) = 4 instances to cut.
        Recommendation.ScaleDown down = (Recommendation.ScaleDown) over.recommendations().get(0);
        assertEquals(6, down.fromCount());
        assertEquals(2, down.toCount());
        assertEquals(4 * unit, down.savingPerHour(), 1e-12);
        assertEquals("best_effort", down.slaTier());
        // best_effort allows all of it on spot: 6 x (0.096 - 0.0336).
        Recommendation.MoveToSpot spot = (Recommendation.MoveToSpot) over.recommendations().get(1);
        assertEquals(6, spot.count());
        assertEquals(6 * (unit - large.spotPricePerHour().getAsDouble()), spot.savingPerHour(), 1e-12);
        assertEquals(large.interruptionRatePerHour(), spot.interruptionRatePerHour());
        // Launched now and needed in 40 minutes, it is given 40 minutes to boot; launched 10 minutes later, the
        // tier's lead time, it arrives 10 minutes after it is needed, when the demand starts.
        Recommendation.Defer defer = (Recommendation.Defer) over.recommendations().get(3);
        assertEquals(T0.plusSeconds(10 * 60), defer.until());
        assertEquals(6 * unit, defer.savingPerHour(), 1e-12);
        assertEquals(List.of(new Recommendation.Defer.Line("w", T0.plusSeconds(10 * 60), T0.plusSeconds(50 * 60), Duration.ofMinutes(10))),
                defer.changes());
        assertEquals("best_effort tier: capacity arrives PT10M after it is needed, giving up the tier's lead time "
                + "before the demand: w at 2025-03-01T12:50:00Z instead of 2025-03-01T12:40:00Z", defer.slaImpact());
        // 28 cores running + 12 planned = 40 at 30% headroom; at 15%, 40 x 1.15 / 1.3 = 35.38 cores, 7.38 of them
        // new: 4.62 cores of the 12 planned are spare, 2 instances of 2 cores.
        Recommendation.TrimHeadroom trim = (Recommendation.TrimHeadroom) over.recommendations().get(2);
        assertEquals(List.of(0.3, 0.15, 2), List.of(trim.fromFraction(), trim.toFraction(), trim.instancesSaved()));
        assertEquals(2 * unit, trim.savingPerHour(), 1e-12);
        assertEquals("best_effort tier: spare capacity falls from 30% to 15% of forecast demand", trim.slaImpact());
        // Ranked by saving per hour (a deferral saves only for the 10 minutes it defers: 0.096) over weight 1.
        assertEquals(List.of("ScaleDown:w", "MoveToSpot:w", "TrimHeadroom:web", "Defer:w"), order(over));
    }


    @Test
    void defer_taken_isNotRecommendedAgainWhenTheChangeFallsDue() {
        FleetState fleet = new FleetState(1, "shop", 0, T0, List.of(
                new ServiceState("web", "best_effort", List.of(Fixtures.group("m.large", 14)), List.of()),
                new ServiceState("api", "critical", List.of(Fixtures.group("m.large", 10)), List.of())));
        ProvisionalChange w = Fixtures.change("w", "web", 6, 1, PurchaseOption.ON_DEMAND, T0.plusSeconds(40 * 60));
        ProvisionalChange later = Fixtures.change("x", "api", 1, 1, PurchaseOption.ON_DEMAND, T0.plusSeconds(40 * 60));
        CostGate gate = CostGate.builder(0.2).slaPolicies(policies()).build();
        ProvisionalFleetState plan = Fixtures.plan(fleet, w, later);
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                gate.evaluate(plan, OFFERS, T0));
        Recommendation.Defer defer = over.recommendations().stream().filter(r -> r instanceof Recommendation.Defer
                && r.service().equals("web")).map(Recommendation.Defer.class::cast).findFirst().orElseThrow();

        ProvisionalFleetState taken = defer.applyTo(plan);
        ProvisionalChange moved = taken.provisionalChanges().get(0);
        assertEquals(List.of(T0.plusSeconds(10 * 60), T0.plusSeconds(50 * 60), Duration.ofMinutes(10)),
                List.of(moved.launchAt(), moved.neededBy(), moved.leadTimeGivenUp()));
        // 0.576 per hour no longer billed for the 10 minutes the launch moved.
        assertEquals(0.576 - 0.576 / 6, moved.estimatedTotalCost(), 1e-12);
        assertEquals(later, taken.provisionalChanges().get(1));
        assertEquals(taken, defer.applyTo(taken));

        // When the moved change falls due it keeps no lead time: the gate still holds it over the threshold,
        // but no longer recommends deferring it by another lead time, after the demand has started.
        GateDecision.OverThreshold due = assertInstanceOf(GateDecision.OverThreshold.class,
                gate.evaluate(taken, OFFERS, moved.launchAt()));
        assertTrue(due.recommendations().stream().noneMatch(r -> r instanceof Recommendation.Defer
                && r.service().equals("web")), due.recommendations().toString());
        assertTrue(due.recommendations().stream().anyMatch(r -> r instanceof Recommendation.ScaleDown
                && r.service().equals("web")), due.recommendations().toString());
    }

    @Test
    void defer_changeThatKeepsPartOfItsLeadTime_givesUpOnlyThatPartAndArrivesWhenTheDemandStarts() {
        FleetState fleet = new FleetState(1, "shop", 0, T0, List.of(
                new ServiceState("web", "best_effort", List.of(Fixtures.group("m.large", 14)), List.of())));
        ProvisionalChange planned = Fixtures.change("w", "web", 6, 1, PurchaseOption.ON_DEMAND, T0.plusSeconds(40 * 60));
        // Planned 2 minutes too late to keep the tier's 10-minute lead time: the demand starts at 12:48.
        ProvisionalChange w = new ProvisionalChange(planned.id(), planned.service(), planned.action(),
                planned.instanceType(), planned.region(), planned.count(), planned.purchaseOption(),
                planned.resourceDelta(), planned.priority(), planned.slaReason(), planned.estimatedCostPerHour(),
                planned.estimatedTotalCost(), planned.neededBy(), planned.launchAt(), planned.status(), null,
                Duration.ofMinutes(2));
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                CostGate.builder(0.2).slaPolicies(policies()).build().evaluate(Fixtures.plan(fleet, w), OFFERS, T0));
        Recommendation.Defer defer = over.recommendations().stream().filter(Recommendation.Defer.class::isInstance)
                .map(Recommendation.Defer.class::cast).findFirst().orElseThrow();
        assertEquals(List.of(new Recommendation.Defer.Line("w", T0.plusSeconds(8 * 60), T0.plusSeconds(48 * 60),
                Duration.ofMinutes(10))), defer.changes());
        assertTrue(defer.slaImpact().startsWith("best_effort tier: capacity arrives PT8M after it is needed"),
                defer.slaImpact());
    }

    @Test
    void defer_applyTo_refusesAPlanWithoutTheChangeOrWithItUnderAnotherService() {
        FleetState fleet = new FleetState(1, "shop", 0, T0, List.of(
                new ServiceState("web", "best_effort", List.of(Fixtures.group("m.large", 14)), List.of())));
        Recommendation.Defer defer = new Recommendation.Defer(1, "web", "best_effort", List.of(
                new Recommendation.Defer.Line("w", T0.plusSeconds(600), T0.plusSeconds(3000), Duration.ofMinutes(10))),
                T0.plusSeconds(600), 0.576, "lead");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> defer.applyTo(Fixtures.plan(fleet, Fixtures.change("v", "web", 6, 1))));
        assertEquals("the plan has no change w, which this deferral of web moves", missing.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> defer.applyTo(Fixtures.plan(fleet, Fixtures.change("w", "api", 6, 1))));
        assertEquals("change w is for service api, not web, which this deferral is for", other.getMessage());
    }
    @Test
    void recommend_withoutPolicies_onlyScaleDownsRankedByPriority() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "a", "gold", "b", "gold");
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0).build()
                .evaluate(Fixtures.plan(fleet, Fixtures.change("a1", "a", 1, 1), Fixtures.change("b1", "b", 1, 4)),
                        OFFERS, T0));
        // Without policies no spot share, lead time or headroom is known: neither service is moved to spot (b is
        // at priority 4, but its share may be 0), deferred or trimmed. b weighs 1/4 of a, so its saving ranks first.
        assertEquals(List.of("ScaleDown:b1", "ScaleDown:a1"), order(over));
        assertEquals("gold", over.recommendations().get(0).slaTier());
    }

    @Test
    void recommend_servicePolicyOverridesItsTierAndOtherServicesUseTheirTier() {
        Map<String, TierPolicy> tiers = new LinkedHashMap<>();
        tiers.put("critical", tier(10, 0, 0.2));
        tiers.put("best_effort", tier(1, 1, 0.3));
        SlaPolicies policies = new SlaPolicies(1, "best_effort", tiers, List.of(new io.fleetpredict.core.document
                .ServicePolicy("web", "best_effort", null, null, null, 0.5, null, null, null, null, null, null)));
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "web", "best_effort", "api", "critical");
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0)
                .slaPolicies(policies).build().evaluate(Fixtures.plan(fleet, Fixtures.change("w", "web", 6, 2),
                        Fixtures.change("a", "api", 1, 2)), OFFERS, T0));
        List<Recommendation.MoveToSpot> spots = over.recommendations().stream()
                .filter(Recommendation.MoveToSpot.class::isInstance).map(Recommendation.MoveToSpot.class::cast).toList();
        // web's own policy allows half on spot; api's critical tier none, though the default tier allows all.
        assertEquals(List.of("w"), spots.stream().map(Recommendation.MoveToSpot::changeId).toList());
        assertEquals(3, spots.get(0).count());
        // api: 1 instance at 20% headroom; at 10%, ceil(1 x 1.1 / 1.2) = 1: nothing to trim, so no recommendation.
        assertTrue(over.recommendations().stream().noneMatch(r -> r instanceof Recommendation.TrimHeadroom t
                && t.service().equals("api")));
    }

    @Test
    void recommend_freeChange_getsNoRecommendation() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "web", "best_effort", "api", "best_effort");
        ProvisionalChange free = Fixtures.change("free", "web", "z.none", "us-east", 3, PurchaseOption.ON_DEMAND, 1, 0,
                T0.plusSeconds(7200));
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0).build()
                .evaluate(Fixtures.plan(fleet, free, Fixtures.change("paid", "api", 1, 2)), OFFERS, T0));
        assertEquals(List.of("free"), over.approved().stream().map(ProvisionalChange::id).toList());
        assertTrue(over.recommendations().stream().allMatch(r -> !(r instanceof Recommendation.ScaleDown d)
                || d.changeId().equals("paid")), over.recommendations().toString());
        assertTrue(over.recommendations().stream().allMatch(r -> r.savingPerHour() > 0));
    }

    @Test
    void evaluate_onlyProposedChangesCount_andApprovedComeInPriorityOrder() {
        FleetState fleet = new FleetState(1, "shop", 0, T0, List.of(
                new ServiceState("web", "best_effort", List.of(Fixtures.group("m.large", 5)), List.of()),
                new ServiceState("api", "best_effort", List.of(), List.of())));
        ProvisionalChange proposed = Fixtures.change("p", "web", 1, 1);
        ProvisionalChange d = Fixtures.change("d", "web", 5, 1);
        ProvisionalChange deferred = new ProvisionalChange("d", "web", d.action(), d.instanceType(), d.region(), 5,
                d.purchaseOption(), d.resourceDelta(), 1, d.slaReason(), d.estimatedCostPerHour(),
                d.estimatedTotalCost(), d.neededBy(), d.launchAt(), io.fleetpredict.core.document.ChangeStatus.DEFERRED,
                "over budget last cycle");
        GateDecision.UnderThreshold under = assertInstanceOf(GateDecision.UnderThreshold.class,
                CostGate.builder(0.1).build().evaluate(Fixtures.plan(fleet, proposed, deferred), OFFERS, T0));
        assertEquals(List.of("p"), under.approved().stream().map(ProvisionalChange::id).toList());
        assertEquals(0.096, under.costPerHour(), 1e-12);

        ProvisionalChange release = Fixtures.scaleIn("s", "web", "m.large", 2, PurchaseOption.ON_DEMAND, 3, T0);
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0.1)
                .build().evaluate(Fixtures.plan(fleet, release, proposed, Fixtures.change("q", "api", 1, 2)), OFFERS, T0));
        assertEquals(List.of("p", "s"), over.approved().stream().map(ProvisionalChange::id).toList());
    }

    @Test
    void costPerHour_spotPriceOtherOffersAndUnknownOffers() {
        Offer large = offer("m.large", "us-east");
        ProvisionalChange spot = Fixtures.change("s", "web", "m.large", "us-east", 3, PurchaseOption.SPOT, 1, 0,
                T0.plusSeconds(3600));
        assertEquals(3 * large.spotPricePerHour().getAsDouble(), CostGate.costPerHour(spot, OFFERS), 1e-12);
        Offer last = OFFERS.get(OFFERS.size() - 1);
        ProvisionalChange other = Fixtures.change("o", "web", last.instanceType(), last.region(), 2,
                PurchaseOption.ON_DEMAND, 1, 0, T0.plusSeconds(3600));
        assertEquals(2 * last.onDemandPricePerHour(), CostGate.costPerHour(other, OFFERS), 1e-12);
        ProvisionalChange unknown = Fixtures.change("u", "web", "z.none", "us-east", 2, PurchaseOption.ON_DEMAND, 1, 0.5,
                T0.plusSeconds(3600));
        assertEquals(0.5, CostGate.costPerHour(unknown, OFFERS), "the plan's own estimate, with no offer to check");
    }

    @Test
    void builder_limitsAndCycleValidated() {
        CostGate gate = CostGate.builder(2.5).maxCostPerCycle(0).cycle(Duration.ofNanos(1)).build();
        assertEquals(2.5, gate.maxCostPerHour());
        assertEquals(0, CostGate.builder(0).build().maxCostPerHour());
        assertEquals(Duration.ofNanos(1), gate.cycle());
        for (double bad : new double[] {-0.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> CostGate.builder(bad));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> CostGate.builder(1).maxCostPerCycle(bad));
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CostGate.builder(1).cycle(Duration.ZERO));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CostGate.builder(1).cycle(Duration.ofSeconds(-1)));
    }

    @Test
    void recommend_spotNoCheaperThanOnDemand_notRecommended() {
        Offer large = offer("m.large", "us-east");
        Offer flat = new Offer(large.instanceType(), large.family(), large.region(), large.cpuCores(), large.memoryGiB(),
                large.bandwidthGbps(), large.storageGiB(), 0.096, java.util.OptionalDouble.of(0.096),
                large.interruptionRatePerHour(), large.bootTime());
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "web", "best_effort");
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0)
                .build().evaluate(Fixtures.plan(fleet, Fixtures.change("w", "web", 2, 3)), List.of(flat), T0));
        assertTrue(over.recommendations().stream().noneMatch(Recommendation.MoveToSpot.class::isInstance),
                over.recommendations().toString());
        assertTrue(over.recommendations().stream().anyMatch(Recommendation.ScaleDown.class::isInstance));
    }

    // ------------------------------------------------------------ a service's lines go or stay together

    /** A scale-out line with its own launch time and CPU cores, for plans shaped like the projection's. */
    private static ProvisionalChange line(String id, String service, String type, int count, PurchaseOption option,
            int priority, double costPerHour, double cores, Instant neededBy, Instant launchAt) {
        return new ProvisionalChange(id, service, io.fleetpredict.core.document.ChangeAction.SCALE_OUT, type, "us-east",
                count, option, List.of(io.fleetpredict.core.ResourceAmount.of(io.fleetpredict.core.ResourceType.CPU,
                        cores, io.fleetpredict.core.ResourceUnit.CORES)), priority, "forecast exceeds allocation",
                costPerHour, costPerHour, neededBy, launchAt, io.fleetpredict.core.document.ChangeStatus.PROPOSED, null);
    }

    @Test
    void evaluate_serviceWithALineCarriedOut_isWeighedBeforeAMoreImportantOneAndItsLineCostsNothing() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "api", "standard", "pay", "critical");
        Instant later = T0.plus(Duration.ofMinutes(15));
        ProvisionalChange spot = line("api-spot", "api", "m.large", 6, PurchaseOption.SPOT, 2, 0.3, 12, T0, T0);
        ProvisionalChange onDemand = line("api-od", "api", "m.large", 6, PurchaseOption.ON_DEMAND, 2, 1.2, 12, later,
                later);
        ProvisionalChange pay = line("pay", "pay", "m.large", 5, PurchaseOption.ON_DEMAND, 1, 1.0, 10, later, later);
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                CostGate.builder(2.0).build().evaluate(Fixtures.plan(fleet, spot, onDemand, pay), List.of(), later,
                        Map.of("api-spot", 0)));
        assertEquals(2.2, over.costPerHour(), 1e-12, "the spot line carried out costs nothing new");
        assertEquals(List.of("api-od"), over.approved().stream().map(ProvisionalChange::id).toList());
        assertEquals(List.of("pay"), over.refused().stream().map(ProvisionalChange::id).toList());
    }

    @Test
    void evaluate_toLaunchOutsideTheChangesCount_refusedNamingTheChange() {
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "api", "standard");
        ProvisionalFleetState plan = Fixtures.plan(fleet, Fixtures.change("api-1", "api", 4, 1));
        CostGate gate = CostGate.builder(1).build();
        IllegalArgumentException more = assertThrows(IllegalArgumentException.class,
                () -> gate.evaluate(plan, OFFERS, T0, Map.of("api-1", 5)));
        assertEquals("toLaunch of change api-1 must be in [0, 4], its count, was 5", more.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gate.evaluate(plan, OFFERS, T0, Map.of("api-1", -1)));
        assertEquals(0.096, gate.evaluate(plan, OFFERS, T0, Map.of("api-1", 1, "not-in-plan", 9)).costPerHour(), 1e-12,
                "one of four left at 0.096; an id not in the plan is ignored");
    }

    private static SlaPolicies standard(double spotShare, double headroom, Duration leadTime) {
        TierPolicy standard = new TierPolicy(5, 0.95, headroom, spotShare, 0, null, null, leadTime,
                Duration.ofMinutes(30), Duration.ofMinutes(30));
        return new SlaPolicies(1, "standard", Map.of("standard", standard), List.of());
    }

    @Test
    void evaluate_overThreshold_refusesTheSpotLineWithTheOnDemandLineItIsPairedWith() {
        FleetState fleet = Fixtures.emptyFleet("shop", 7, "api", "standard");
        Instant neededBy = T0.plusSeconds(1800);
        // The spot line has the lower id and fits 0.5 alone; the on-demand line does not. Half a plan on spot
        // would leave api above its spot share.
        ProvisionalFleetState plan = Fixtures.plan(fleet,
                line("chg-7-1", "api", "m.large", 6, PurchaseOption.SPOT, 1, 0.3, 12, neededBy, T0),
                line("chg-7-2", "api", "m.large", 6, PurchaseOption.ON_DEMAND, 1, 1.2, 12, neededBy, T0));
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                CostGate.builder(0.5).build().evaluate(plan, OFFERS, T0));
        assertEquals(List.of(), over.approved());
        assertEquals(List.of("chg-7-1", "chg-7-2"), over.refused().stream().map(ProvisionalChange::id).toList());
    }

    @Test
    void evaluate_sameImportance_servicesComeInNaturalIdOrder() {
        FleetState fleet = Fixtures.emptyFleet("shop", 41, "web", "standard", "api", "standard");
        Instant neededBy = T0.plusSeconds(1800);
        // Same priority, same needed_by: the id decides, and chg-41-9 comes before chg-41-10.
        ProvisionalFleetState plan = Fixtures.plan(fleet,
                line("chg-41-10", "web", "m.large", 1, PurchaseOption.ON_DEMAND, 2, 0.096, 2, neededBy, T0),
                line("chg-41-9", "api", "m.large", 1, PurchaseOption.ON_DEMAND, 2, 0.096, 2, neededBy, T0));
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                CostGate.builder(0.1).build().evaluate(plan, OFFERS, T0));
        assertEquals(List.of("chg-41-9"), over.approved().stream().map(ProvisionalChange::id).toList());
        assertEquals(List.of("chg-41-10"), over.refused().stream().map(ProvisionalChange::id).toList());
        assertTrue(CostGate.ID_ORDER.compare("chg-41-9", "chg-41-10") < 0);
        assertTrue(CostGate.ID_ORDER.compare("chg-41-10", "chg-41-10") == 0);
        assertTrue(CostGate.ID_ORDER.compare("chg-41-010", "chg-41-10") != 0, "distinct ids stay distinct");
        assertTrue(CostGate.ID_ORDER.compare("chg-41-2", "chg-5-1") > 0);
    }

    // ------------------------------------------------------------ only what is due this cycle is charged

    @Test
    void evaluate_serviceDueDaysLater_isNotChargedNowAndWaits() {
        FleetState fleet = Fixtures.emptyFleet("shop", 3, "checkout", "critical", "api", "standard");
        Instant inThreeDays = T0.plus(Duration.ofDays(3));
        ProvisionalChange later = line("chg-3-1", "checkout", "m.large", 8, PurchaseOption.ON_DEMAND, 1, 1.6, 16,
                inThreeDays.plusSeconds(120), inThreeDays);
        ProvisionalChange soon = line("chg-3-2", "api", "m.large", 4, PurchaseOption.ON_DEMAND, 2, 0.8, 8,
                T0.plusSeconds(25 * 60), T0.plusSeconds(23 * 60));
        GateDecision d = CostGate.builder(1.7).cycle(Duration.ofMinutes(30)).build()
                .evaluate(Fixtures.plan(fleet, later, soon), OFFERS, T0);
        GateDecision.UnderThreshold under = assertInstanceOf(GateDecision.UnderThreshold.class, d);
        // 4 x m.large at the current on-demand price, 0.096, is below the plan's 0.8: the plan's estimate counts.
        assertEquals(0.8, under.costPerHour(), 1e-12);
        assertEquals(List.of("chg-3-2"), under.approved().stream().map(ProvisionalChange::id).toList());
        assertEquals(List.of("chg-3-1"), under.waiting().stream().map(ProvisionalChange::id).toList());
    }

    @Test
    void evaluate_aServiceWithOneLineDue_isChargedForAllItsLines() {
        FleetState fleet = Fixtures.emptyFleet("shop", 3, "api", "standard");
        Instant neededBy = T0.plusSeconds(1800);
        // The spot line boots longer and is due now; its on-demand partner launches after this cycle. They are
        // weighed together and approved together; the run carries out the due one and lets the other wait.
        ProvisionalChange spot = line("s", "api", "m.large", 2, PurchaseOption.SPOT, 1, 0.2, 4, neededBy,
                T0.plusSeconds(60));
        ProvisionalChange onDemand = line("o", "api", "m.large", 2, PurchaseOption.ON_DEMAND, 1, 0.3, 4, neededBy,
                T0.plusSeconds(1200));
        GateDecision.UnderThreshold under = assertInstanceOf(GateDecision.UnderThreshold.class,
                CostGate.builder(0.5).build().evaluate(Fixtures.plan(fleet, spot, onDemand), OFFERS, T0));
        assertEquals(0.5, under.costPerHour(), 1e-12);
        assertEquals(List.of("o", "s"), under.approved().stream().map(ProvisionalChange::id).toList());
        assertEquals(List.of(), under.waiting());
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                CostGate.builder(0.4).build().evaluate(Fixtures.plan(fleet, spot, onDemand), OFFERS, T0));
        assertEquals(List.of("o", "s"), over.refused().stream().map(ProvisionalChange::id).toList());
    }

    // ------------------------------------------------------------ one rule for a cost at its threshold

    @Test
    void evaluate_costsSummingToTheThresholdInFloatingPoint_areWithinIt() {
        FleetState fleet = Fixtures.emptyFleet("shop", 1, "a", "standard", "b", "standard", "c", "standard");
        Instant neededBy = T0.plusSeconds(1800);
        // 0.1 + 0.1 + 0.1 is 0.30000000000000004 in doubles; an unknown type, so the plan's estimate is the cost.
        ProvisionalFleetState plan = Fixtures.plan(fleet,
                line("chg-1-1", "a", "z.none", 1, PurchaseOption.ON_DEMAND, 1, 0.1, 2, neededBy, T0),
                line("chg-1-2", "b", "z.none", 1, PurchaseOption.ON_DEMAND, 2, 0.1, 2, neededBy, T0),
                line("chg-1-3", "c", "z.none", 1, PurchaseOption.ON_DEMAND, 3, 0.1, 2, neededBy, T0));
        assertTrue(0.1 + 0.1 + 0.1 > 0.3);
        GateDecision.UnderThreshold under = assertInstanceOf(GateDecision.UnderThreshold.class,
                CostGate.builder(0.3).build().evaluate(plan, OFFERS, T0));
        assertEquals(3, under.approved().size());
        // Per cycle too: a 20-minute cycle makes 0.1 per cycle.
        assertInstanceOf(GateDecision.UnderThreshold.class, CostGate.builder(1).maxCostPerCycle(0.1)
                .cycle(Duration.ofMinutes(20)).build().evaluate(plan, OFFERS, T0));
        assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0.2999).build().evaluate(plan, OFFERS, T0));
    }

    // ------------------------------------------------------------ reserved capacity

    @Test
    void evaluate_reservedCapacityThePlanReusesForFree_costsNothing() {
        FleetState fleet = Fixtures.emptyFleet("shop", 1, "a", "standard", "b", "standard", "c", "standard");
        Instant neededBy = T0.plusSeconds(1800);
        // Idle reserved m.large reused at 0 per hour, needed now: the offer's on-demand price is no price of it.
        ProvisionalFleetState plan = Fixtures.plan(fleet,
                line("chg-1-1", "a", "m.large", 1, PurchaseOption.RESERVED, 1, 0, 2, T0, T0),
                line("chg-1-2", "b", "m.large", 1, PurchaseOption.RESERVED, 2, 0, 2, T0, T0),
                line("chg-1-3", "c", "m.large", 1, PurchaseOption.ON_DEMAND, 3, 0.096, 2, neededBy, T0));
        GateDecision.UnderThreshold under = assertInstanceOf(GateDecision.UnderThreshold.class,
                CostGate.builder(0.096).build().evaluate(plan, OFFERS, T0));
        assertEquals(0.096, under.costPerHour(), 1e-12);
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                CostGate.builder(0.05).build().evaluate(plan, OFFERS, T0));
        assertEquals(List.of("chg-1-1", "chg-1-2"), over.approved().stream().map(ProvisionalChange::id).toList());
        assertTrue(over.recommendations().stream().allMatch(r -> r.service().equals("c")),
                "nothing saved by giving up what is paid for: " + over.recommendations());
    }

    // ------------------------------------------------------------ move to spot within the share

    @Test
    void recommend_serviceWhosePlanFillsItsSpotShare_isNotMovedToSpot() {
        FleetState fleet = Fixtures.emptyFleet("shop", 41, "catalogue", "standard");
        Instant neededBy = T0.plusSeconds(1800);
        // 13 spot and 13 on-demand of the same size: exactly the 50% share.
        ProvisionalFleetState plan = Fixtures.plan(fleet,
                line("chg-41-1", "catalogue", "m.large", 13, PurchaseOption.SPOT, 2, 13 * 0.0336, 26, neededBy, T0),
                line("chg-41-2", "catalogue", "m.large", 13, PurchaseOption.ON_DEMAND, 2, 13 * 0.096, 26, neededBy, T0));
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0.5)
                .slaPolicies(standard(0.5, 0, Duration.ZERO)).build().evaluate(plan, OFFERS, T0));
        assertTrue(over.recommendations().stream().noneMatch(Recommendation.MoveToSpot.class::isInstance),
                over.recommendations().toString());
    }

    @Test
    void recommend_moveToSpot_countsEveryLineOfTheServiceAndWhatItRuns() {
        Instant neededBy = T0.plusSeconds(1800);
        ProvisionalChange spot = line("s", "web", "m.large", 2, PurchaseOption.SPOT, 2, 2 * 0.0336, 4, neededBy, T0);
        ProvisionalChange onDemand = line("o", "web", "m.large", 6, PurchaseOption.ON_DEMAND, 2, 6 * 0.096, 12,
                neededBy, T0);
        // New capacity: 4 spot cores of 16, the share allows 8: 4 cores more, 2 instances of 2 cores.
        FleetState empty = Fixtures.emptyFleet("shop", 1, "web", "standard");
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0)
                .slaPolicies(standard(0.5, 0, Duration.ZERO)).build()
                .evaluate(Fixtures.plan(empty, spot, onDemand), OFFERS, T0));
        List<Recommendation.MoveToSpot> moves = over.recommendations().stream()
                .filter(Recommendation.MoveToSpot.class::isInstance).map(Recommendation.MoveToSpot.class::cast).toList();
        assertEquals(1, moves.size());
        assertEquals("o", moves.get(0).changeId());
        assertEquals(2, moves.get(0).count());
        assertEquals(2 * (0.096 - 0.0336), moves.get(0).savingPerHour(), 1e-12);
        // The same plan for a service already running 10 spot instances: 24 spot cores of 36 overall, above half.
        FleetState running = new FleetState(1, "shop", 1, T0, List.of(new ServiceState("web", "standard",
                List.of(new io.fleetpredict.core.document.InstanceGroup("m.large", "us-east", PurchaseOption.SPOT, 10,
                        List.of(io.fleetpredict.core.ResourceAmount.of(io.fleetpredict.core.ResourceType.CPU, 2,
                                io.fleetpredict.core.ResourceUnit.CORES)))), List.of())));
        GateDecision.OverThreshold overall = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0)
                .slaPolicies(standard(0.5, 0, Duration.ZERO)).build()
                .evaluate(Fixtures.plan(running, spot, onDemand), OFFERS, T0));
        assertTrue(overall.recommendations().stream().noneMatch(Recommendation.MoveToSpot.class::isInstance),
                overall.recommendations().toString());
    }

    @Test
    void recommend_withoutPolicies_movesNothingToSpot() {
        // Priority 2 says nothing of the service's spot share: it may be 0 (a second critical service).
        FleetState fleet = Fixtures.emptyFleet("shop", 41, "checkout", "critical");
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0).build()
                .evaluate(Fixtures.plan(fleet, Fixtures.change("chg-41-2", "checkout", 10, 2)), OFFERS, T0));
        assertTrue(over.recommendations().stream().noneMatch(Recommendation.MoveToSpot.class::isInstance),
                over.recommendations().toString());
    }

    // ------------------------------------------------------------ defer: the arrival the change's boot gives

    @Test
    void recommend_defer_neverPastTheLeadTimeAndSaysWhenTheCapacityArrives() {
        Offer large = offer("m.large", "us-east");
        Offer slow = new Offer(large.instanceType(), large.family(), large.region(), large.cpuCores(), large.memoryGiB(),
                large.bandwidthGbps(), large.storageGiB(), large.onDemandPricePerHour(), large.spotPricePerHour(),
                large.interruptionRatePerHour(), Duration.ofMinutes(10));
        FleetState fleet = Fixtures.emptyFleet("shop", 7, "api", "standard");
        // A 10-minute boot, a 1-minute lead time: launched at 12:19 it is ready at 12:29, needed by; any later
        // launch the next 30-minute cycle could make is late by more than the lead time. No deferral.
        ProvisionalChange change = line("chg-7-2", "api", "m.large", 6, PurchaseOption.ON_DEMAND, 1, 6 * 0.096, 12,
                T0.plusSeconds(29 * 60), T0.plusSeconds(19 * 60));
        GateDecision.OverThreshold shortLead = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0.1)
                .cycle(Duration.ofMinutes(30)).slaPolicies(standard(0, 0, Duration.ofMinutes(1))).build()
                .evaluate(Fixtures.plan(fleet, change), List.of(slow), T0));
        assertTrue(shortLead.recommendations().stream().noneMatch(Recommendation.Defer.class::isInstance),
                shortLead.recommendations().toString());
        // A 30-minute lead time with a 5-minute cycle, due at 12:02 and needed by 12:12: launched at 12:32
        // instead, the capacity arrives 10 minutes later, at 12:42, 30 minutes after needed_by.
        ProvisionalChange due = line("chg-7-2", "api", "m.large", 6, PurchaseOption.ON_DEMAND, 1, 6 * 0.096, 12,
                T0.plusSeconds(12 * 60), T0.plusSeconds(2 * 60));
        GateDecision.OverThreshold longLead = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0.1)
                .slaPolicies(standard(0, 0, Duration.ofMinutes(30))).build()
                .evaluate(Fixtures.plan(fleet, due), List.of(slow), T0));
        Recommendation.Defer defer = longLead.recommendations().stream().filter(Recommendation.Defer.class::isInstance)
                .map(Recommendation.Defer.class::cast).findFirst().orElseThrow();
        assertEquals(T0.plusSeconds(32 * 60), defer.until());
        assertEquals("standard tier: capacity arrives PT30M after it is needed, giving up the tier's lead time "
                + "before the demand: chg-7-2 at 2025-03-01T12:42:00Z instead of 2025-03-01T12:12:00Z", defer.slaImpact());
    }

    @Test
    void recommend_defer_countsTheOffersBootWhenThePlanLeftLess() {
        Offer large = offer("m.large", "us-east");
        Offer slow = new Offer(large.instanceType(), large.family(), large.region(), large.cpuCores(), large.memoryGiB(),
                large.bandwidthGbps(), large.storageGiB(), large.onDemandPricePerHour(), large.spotPricePerHour(),
                large.interruptionRatePerHour(), Duration.ofMinutes(20));
        FleetState fleet = Fixtures.emptyFleet("shop", 7, "api", "standard");
        // Planned late: launch now, needed in 5 minutes, though the offer boots for 20. Deferred by the 30-minute
        // lead time it must launch by 12:15 to arrive at 12:35, not at 12:30.
        ProvisionalChange late = line("c", "api", "m.large", 1, PurchaseOption.ON_DEMAND, 1, 0.096, 2,
                T0.plusSeconds(5 * 60), T0);
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0)
                .slaPolicies(standard(0, 0, Duration.ofMinutes(30))).build()
                .evaluate(Fixtures.plan(fleet, late), List.of(slow), T0));
        Recommendation.Defer defer = over.recommendations().stream().filter(Recommendation.Defer.class::isInstance)
                .map(Recommendation.Defer.class::cast).findFirst().orElseThrow();
        assertEquals(T0.plusSeconds(15 * 60), defer.until());
        assertTrue(defer.slaImpact().contains("c at 2025-03-01T12:35:00Z"), defer.slaImpact());
    }

    // ------------------------------------------------------------ trim headroom per service

    @Test
    void recommend_trimHeadroom_isWorkedOutOverTheWholeService() {
        // 10 x m.large running (20 cores); the plan adds 4 on-demand and 4 spot (16 cores) at 50% headroom: 36
        // cores for a forecast of 24. At 25% headroom 30 cores suffice, 10 of them new: 6 of the 16 new cores, 3
        // instances, are spare. Not from the dearer on-demand line: the plan's 8 spot cores of 16 are exactly the
        // 50% share, which any on-demand cut would break. From the spot line: 3 x 0.0336.
        FleetState fleet = new FleetState(1, "shop", 1, T0, List.of(
                new ServiceState("web", "standard", List.of(Fixtures.group("m.large", 10)), List.of())));
        Instant neededBy = T0.plusSeconds(1800);
        ProvisionalFleetState plan = Fixtures.plan(fleet,
                line("o", "web", "m.large", 4, PurchaseOption.ON_DEMAND, 2, 4 * 0.096, 8, neededBy, T0),
                line("s", "web", "m.large", 4, PurchaseOption.SPOT, 2, 4 * 0.0336, 8, neededBy, T0));
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, CostGate.builder(0)
                .slaPolicies(standard(0.5, 0.5, Duration.ZERO)).build().evaluate(plan, OFFERS, T0));
        List<Recommendation.TrimHeadroom> trims = over.recommendations().stream()
                .filter(Recommendation.TrimHeadroom.class::isInstance).map(Recommendation.TrimHeadroom.class::cast)
                .toList();
        assertEquals(1, trims.size(), trims.toString());
        assertEquals(3, trims.get(0).instancesSaved());
        assertEquals(3 * 0.0336, trims.get(0).savingPerHour(), 1e-12);
        assertEquals(List.of(0.5, 0.25), List.of(trims.get(0).fromFraction(), trims.get(0).toFraction()));
    }
}
