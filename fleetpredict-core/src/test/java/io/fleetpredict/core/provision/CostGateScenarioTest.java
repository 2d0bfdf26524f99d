package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.fleetpredict.cloud.PurchaseOption;
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

/**
 * Ten thousand random plans through the gate and the caps, a twentieth of them applied against the simulated
 * cloud: no budget overrun, no cap violation, no priority inversion (no service approved ahead of a more
 * important one, none partly approved). It runs for minutes on a loaded
 * machine, so the mutation runs leave it out and rely on the exact cases in {@link CostGateTest}.
 */
class CostGateScenarioTest {

    private static final List<Offer> OFFERS = SimulatedCloud.defaultCatalogue();

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
                // Services go or stay whole, in the order of their most important change.
                Map<String, ProvisionalChange> first = new java.util.HashMap<>();
                java.util.stream.Stream.concat(o.approved().stream(), o.refused().stream())
                        .filter(c -> c.action() != io.fleetpredict.core.document.ChangeAction.SCALE_IN)
                        .forEach(c -> first.merge(c.service(), c,
                                (a, b) -> CostGate.PRIORITY_ORDER.compare(a, b) <= 0 ? a : b));
                for (ProvisionalChange refused : o.refused()) {
                    for (ProvisionalChange ok : o.approved()) {
                        if (ok.action() == io.fleetpredict.core.document.ChangeAction.SCALE_IN) {
                            continue;
                        }
                        if (refused.service().equals(ok.service()) || CostGate.PRIORITY_ORDER.compare(
                                first.get(refused.service()), first.get(ok.service())) < 0) {
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
            map.put(t, CostGateTest.tier(0.5 + r.nextDouble() * 10, r.nextDouble(), r.nextDouble()));
        }
        List<ServicePolicy> services = r.nextBoolean() ? List.of(new ServicePolicy("s0", tiers[r.nextInt(3)],
                null, null, r.nextDouble(), null, null, null, null, null, null, null)) : List.of();
        return new SlaPolicies(1, "standard", map, services);
    }
}
