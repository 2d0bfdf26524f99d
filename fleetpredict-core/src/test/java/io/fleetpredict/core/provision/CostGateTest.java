package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.PurchaseOption;
import io.fleetpredict.core.document.ServicePolicy;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CostGateTest {

    private static final List<Offer> OFFERS = SimulatedCloud.defaultCatalogue();

    private static TierPolicy tier(double weight, double spotShare, double headroom) {
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
        assertTrue(recs.stream().anyMatch(r -> r instanceof Recommendation.Defer f && f.changeId().equals("reco")),
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
    void randomScenarios_noBudgetOverrunNoCapViolationNoPriorityInversion() {
        int scenarios = 10_000;
        int budgetOverruns = 0;
        int capViolations = 0;
        int inversions = 0;
        int over = 0;
        int applied = 0;
        for (int seed = 0; seed < scenarios; seed++) {
            Random r = new Random(seed);
            List<Offer> offers = randomOffers(r);
            String[] services = {"s0", "s1", "s2", "s3"};
            String[] tiers = {"critical", "standard", "best_effort"};
            List<ServiceState> serviceStates = new ArrayList<>();
            for (String s : services) {
                List<InstanceGroup> groups = new ArrayList<>();
                if (r.nextBoolean()) {
                    Offer o = offers.get(r.nextInt(offers.size()));
                    groups.add(new InstanceGroup(o.instanceType(), o.region(), PurchaseOption.ON_DEMAND, r.nextInt(20),
                            List.of(io.fleetpredict.core.ResourceAmount.of(io.fleetpredict.core.ResourceType.CPU,
                                    o.cpuCores(), io.fleetpredict.core.ResourceUnit.CORES))));
                }
                serviceStates.add(new ServiceState(s, tiers[r.nextInt(3)], groups, List.of()));
            }
            FleetState fleet = new FleetState(1, "f", r.nextInt(5), T0, serviceStates);
            List<ProvisionalChange> changes = new ArrayList<>();
            int n = 1 + r.nextInt(8);
            for (int k = 0; k < n; k++) {
                Offer o = offers.get(r.nextInt(offers.size()));
                PurchaseOption option = o.spotAvailable() && r.nextBoolean() ? PurchaseOption.SPOT : PurchaseOption.ON_DEMAND;
                int count = 1 + r.nextInt(r.nextInt(10) == 0 ? 5_000 : 20);
                changes.add(Fixtures.change("c" + k, services[r.nextInt(4)], o.instanceType(), o.region(), count,
                        option, 1 + r.nextInt(5), r.nextDouble() * count * 0.2, T0.plusSeconds(600 + r.nextInt(86_400))));
            }
            ProvisionalFleetState plan = Fixtures.plan(fleet, changes.toArray(ProvisionalChange[]::new));
            double perHour = r.nextDouble() * 20;
            double perCycle = r.nextBoolean() ? r.nextDouble() * 0.5 : 1e9;
            Duration cycle = Duration.ofMinutes(1 + r.nextInt(30));
            CostGate.Builder gateBuilder = CostGate.builder(perHour).maxCostPerCycle(perCycle).cycle(cycle);
            if (r.nextBoolean()) {
                gateBuilder.slaPolicies(randomPolicies(r, tiers));
            }
            CostGate gate = gateBuilder.build();
            GateDecision d = gate.evaluate(plan, offers, T0);
            double approvedCost = d.approved().stream().mapToDouble(c -> CostGate.costPerHour(c, offers)).sum();
            if (approvedCost > perHour + 1e-9 || approvedCost * cycle.toSeconds() / 3600.0 > perCycle + 1e-9) {
                budgetOverruns++;
            }
            if (d instanceof GateDecision.OverThreshold o) {
                over++;
                for (ProvisionalChange refused : o.refused()) {
                    for (ProvisionalChange ok : o.approved()) {
                        if (CostGate.PRIORITY_ORDER.compare(refused, ok) < 0) {
                            inversions++;
                        }
                    }
                }
                for (int i = 0; i < o.recommendations().size(); i++) {
                    Recommendation rec = o.recommendations().get(i);
                    assertEquals(i + 1, rec.rank());
                    assertTrue(rec.savingPerHour() > 0 && Double.isFinite(rec.savingPerHour()), rec.toString());
                }
            }
            HardCaps caps = new HardCaps(1 + r.nextInt(50), 1 + r.nextInt(200), Duration.ofHours(1),
                    1 + r.nextInt(300), 0.5 + r.nextDouble() * 50);
            boolean apply = seed % 20 == 0;
            capViolations += apply ? applyWithinCaps(r, plan, gate, caps, offers) : planWithinCaps(plan, gate, caps, offers);
            applied += apply ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "[figure] %d random scenarios (%d over threshold, %d applied against the "
                + "simulated cloud): %d budget overruns, %d cap violations, %d priority inversions%n", scenarios, over,
                applied, budgetOverruns, capViolations, inversions);
        assertEquals(0, budgetOverruns);
        assertEquals(0, capViolations);
        assertEquals(0, inversions);
    }

    private static int planWithinCaps(ProvisionalFleetState plan, CostGate gate, HardCaps caps, List<Offer> offers) {
        CloudProvider cloud = mock(CloudProvider.class);
        when(cloud.offers()).thenReturn(offers);
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(plan.fleet()));
        ProvisioningReport report = PreProvisioner.builder(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).build())
                .store(store).gate(gate).caps(caps).clock(java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC)).build()
                .run(plan);
        int planned = 0;
        double plannedCost = 0;
        int violations = 0;
        for (ChangeOutcome o : report.outcomes()) {
            if (o instanceof ChangeOutcome.Planned p) {
                violations += p.count() > caps.maxInstancesPerCall() ? 1 : 0;
                planned += p.count();
                plannedCost += p.costPerHour();
            }
        }
        int existing = plan.fleet().services().stream().flatMap(s -> s.instanceGroups().stream())
                .mapToInt(InstanceGroup::count).sum();
        double existingCost = PreProvisioner.fleetCostPerHour(StoredFleet.of(plan.fleet()), offers);
        if (planned > 0) {
            violations += planned > caps.maxInstancesPerWindow() ? 1 : 0;
            violations += existing + planned > caps.maxFleetInstances() ? 1 : 0;
            violations += existingCost + plannedCost > caps.maxFleetCostPerHour() + 1e-9 ? 1 : 0;
        }
        return violations;
    }

    private static int applyWithinCaps(Random r, ProvisionalFleetState plan, CostGate gate, HardCaps caps,
            List<Offer> offers) {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud.Builder b = SimulatedCloud.builder().clock(clock).seed(r.nextLong()).catalogue(offers)
                .defaultQuota(100_000);
        for (int k = 0; k < 5; k++) {
            Offer o = offers.get(r.nextInt(offers.size()));
            b.capacity(o.region(), o.instanceType(), r.nextInt(10));
        }
        SimulatedCloud cloud = b.build();
        // The simulated cloud starts empty: plan against an empty fleet so the caps are measured on what it holds.
        FleetState empty = new FleetState(1, "f", plan.fleet().version(), T0, plan.fleet().services().stream()
                .map(s -> new ServiceState(s.name(), s.slaTier(), List.of(), List.of())).toList());
        ProvisionalFleetState fresh = new ProvisionalFleetState(empty, plan.provisionalChanges(), plan.basis(),
                plan.overridesApplied());
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(empty));
        PreProvisioner.builder(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).sleeper(clock::advance).build())
                .store(store).gate(gate).caps(caps).clock(clock).mode(PreProvisioner.Mode.APPLY).build().run(fresh);
        Map<String, Integer> inventory = Fixtures.inventory(cloud, "f");
        int total = Fixtures.total(inventory);
        double cost = cloud.describe(io.fleetpredict.cloud.DescribeRequest.active()).instances().stream()
                .mapToDouble(io.fleetpredict.cloud.Instance::pricePerHour).sum();
        int violations = 0;
        violations += total > caps.maxFleetInstances() || total > caps.maxInstancesPerWindow() ? 1 : 0;
        violations += cost > caps.maxFleetCostPerHour() + 1e-9 ? 1 : 0;
        violations += inventory.equals(Fixtures.counted(store.read("f").state())) ? 0 : 1;
        return violations;
    }

    private static List<Offer> randomOffers(Random r) {
        List<Offer> out = new ArrayList<>();
        for (Offer o : OFFERS) {
            if (r.nextInt(4) == 0) {
                continue;
            }
            double f = 0.5 + r.nextDouble() * 2;
            double od = Math.round(o.onDemandPricePerHour() * f * 1e4) / 1e4;
            boolean spot = r.nextInt(3) > 0;
            out.add(new Offer(o.instanceType(), o.family(), o.region(), o.cpuCores(), o.memoryGiB(), o.bandwidthGbps(),
                    o.storageGiB(), od, spot ? OptionalDouble.of(Math.max(1e-4, Math.round(od * 0.3 * 1e4) / 1e4))
                            : OptionalDouble.empty(), spot ? o.interruptionRatePerHour() : 0, o.bootTime()));
        }
        return out.isEmpty() ? OFFERS : out;
    }

    private static SlaPolicies randomPolicies(Random r, String[] tiers) {
        Map<String, TierPolicy> map = new LinkedHashMap<>();
        for (String t : tiers) {
            map.put(t, tier(0.5 + r.nextDouble() * 10, r.nextDouble(), r.nextDouble()));
        }
        List<ServicePolicy> services = r.nextBoolean() ? List.of(new ServicePolicy("s0", tiers[r.nextInt(3)],
                null, null, r.nextDouble(), null, null, null, null, null, null, null)) : List.of();
        return new SlaPolicies(1, "standard", map, services);
    }
}
