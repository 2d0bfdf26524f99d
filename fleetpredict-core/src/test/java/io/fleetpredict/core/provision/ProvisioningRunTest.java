package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static io.fleetpredict.core.provision.Fixtures.emptyFleet;
import static io.fleetpredict.core.provision.Fixtures.plan;
import static io.fleetpredict.core.provision.Fixtures.scaleIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** One run of a plan: plan-only figures, the steps of a launch and a release, and intents in flight. */
class ProvisioningRunTest {

    private static final double M_LARGE = 0.096;

    private final MutableClock clock = MutableClock.at(T0);
    private final SimulatedCloud sim = SimulatedCloud.builder().clock(clock).seed(1).build();

    private PreProvisioner.Builder provisioner(FleetStateStore store, PreProvisioner.Mode mode) {
        return PreProvisioner.builder(GuardedCloud.builder(sim).callTimeout(Duration.ZERO)
                        .sleeper(clock::advance).seed(1).build())
                .store(store).clock(clock).mode(mode).gate(CostGate.builder(1_000).build());
    }

    private static FleetStateStore storeWith(FleetState fleet) {
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(fleet));
        return store;
    }

    private static FleetStateStore shop() {
        return storeWith(emptyFleet("shop", 0, "checkout", "critical"));
    }

    private static ProvisionalChange out(String id, int count, PurchaseOption option) {
        return Fixtures.change(id, "checkout", "m.large", "us-east", count, option, 1, M_LARGE * count,
                T0.plusSeconds(3600));
    }

    @Test
    void planOnly_laterChangesCountTheInstancesAndCostTheEarlierOnesPlanned() {
        FleetStateStore store = shop();
        FleetState fleet = store.read("shop").state();
        // 3 + 4 + 4 wanted under a fleet cap of 9 instances and 0.7 per hour.
        PreProvisioner p = provisioner(store, PreProvisioner.Mode.PLAN_ONLY)
                .caps(new HardCaps(100, 100, Duration.ofHours(1), 9, 0.7)).build();
        List<ChangeOutcome> outcomes = p.run(plan(fleet, out("a", 3, PurchaseOption.ON_DEMAND),
                out("b", 4, PurchaseOption.ON_DEMAND), out("c", 4, PurchaseOption.ON_DEMAND))).outcomes();
        // a: 3 at 0.288. b: (0.7 - 0.288) / 0.096 = 4.29, so all 4 (0.672 in all). c: 9 - 7 = 2 by count,
        // (0.7 - 0.672) / 0.096 = 0.29 by cost: none, capped by both.
        ChangeOutcome.Planned a = assertInstanceOf(ChangeOutcome.Planned.class, outcomes.get(0));
        assertEquals(3, a.count());
        assertEquals(3 * M_LARGE, a.costPerHour(), 1e-12);
        assertEquals(List.of(), a.limitedBy());
        ChangeOutcome.Planned b = assertInstanceOf(ChangeOutcome.Planned.class, outcomes.get(1));
        assertEquals(4, b.count());
        assertEquals(4 * M_LARGE, b.costPerHour(), 1e-12);
        ChangeOutcome.Capped c = assertInstanceOf(ChangeOutcome.Capped.class, outcomes.get(2));
        assertEquals(4, c.wanted());
        assertEquals(List.of(HardCaps.Limit.FLEET_INSTANCES, HardCaps.Limit.FLEET_COST), c.limitedBy());
        assertEquals(List.of(), sim.describe(DescribeRequest.all()).instances(), "plan-only launches nothing");
        assertEquals(0, store.read("shop").version());
    }

    @Test
    void planOnly_instancesPlannedCountAgainstTheWindowAndCostAgainstTheCostCap() {
        FleetStateStore store = shop();
        FleetState fleet = store.read("shop").state();
        PreProvisioner byWindow = provisioner(store, PreProvisioner.Mode.PLAN_ONLY)
                .caps(new HardCaps(100, 5, Duration.ofHours(1), 100, 100)).build();
        List<ChangeOutcome> w = byWindow.run(plan(fleet, out("a", 3, PurchaseOption.ON_DEMAND),
                out("b", 3, PurchaseOption.SPOT))).outcomes();
        ChangeOutcome.Planned b = assertInstanceOf(ChangeOutcome.Planned.class, w.get(1));
        assertEquals(2, b.count());
        assertEquals(List.of(HardCaps.Limit.PER_WINDOW), b.limitedBy());
        double spot = sim.offers().stream().filter(o -> o.instanceType().equals("m.large")
                && o.region().equals("us-east")).findFirst().orElseThrow().spotPricePerHour().getAsDouble();
        assertEquals(2 * spot, b.costPerHour(), 1e-12, "spot is planned at the spot price");

        PreProvisioner byCost = provisioner(store, PreProvisioner.Mode.PLAN_ONLY)
                .caps(new HardCaps(100, 100, Duration.ofHours(1), 100, 0.5)).build();
        List<ChangeOutcome> c = byCost.run(plan(fleet, out("a", 3, PurchaseOption.ON_DEMAND),
                out("b", 3, PurchaseOption.ON_DEMAND))).outcomes();
        // (0.5 - 3 x 0.096) / 0.096 = 2.2: 2.
        ChangeOutcome.Planned second = assertInstanceOf(ChangeOutcome.Planned.class, c.get(1));
        assertEquals(2, second.count());
        assertEquals(List.of(HardCaps.Limit.FLEET_COST), second.limitedBy());
    }

    @Test
    void planOnly_typeTheProviderDoesNotOffer_pricedAtTheChangesOwnEstimate() {
        FleetStateStore store = shop();
        ProvisionalChange odd = Fixtures.change("odd", "checkout", "q.odd", "us-east", 4, PurchaseOption.ON_DEMAND, 1,
                0.6, T0.plusSeconds(3600));
        PreProvisioner p = provisioner(store, PreProvisioner.Mode.PLAN_ONLY)
                .caps(new HardCaps(100, 100, Duration.ofHours(1), 100, 0.5)).build();
        ChangeOutcome.Planned planned = assertInstanceOf(ChangeOutcome.Planned.class,
                p.run(plan(store.read("shop").state(), odd)).outcomes().get(0));
        // 0.6 / 4 = 0.15 each; the cost cap of 0.5 allows floor(0.5 / 0.15) = 3.
        assertEquals(3, planned.count());
        assertEquals(0.45, planned.costPerHour(), 1e-12);
    }

    @Test
    void planOnly_capacityAlreadyInTheFleet_alreadySatisfiedNotCapped() {
        FleetStateStore store = shop();
        PreProvisionerReleaseTest.launch(provisioner(store, PreProvisioner.Mode.APPLY).build(), store, "up", 2);
        FleetState basis = emptyFleet("shop", 0, "checkout", "critical");
        ChangeOutcome o = provisioner(store, PreProvisioner.Mode.PLAN_ONLY).build()
                .run(plan(basis, out("up-again", 2, PurchaseOption.ON_DEMAND))).outcomes().get(0);
        assertInstanceOf(ChangeOutcome.AlreadySatisfied.class, o);
    }

    @Test
    void planOnly_twoScaleInsOfOneGroup_eachPlansOtherInstancesAndTheBaseCountsBoth() {
        SlaPolicies sla = new SlaPolicies(1, "critical", Map.of("critical", new TierPolicy(1, 0.99, 0, 1, 2, null,
                null, Duration.ZERO, Duration.ZERO, Duration.ZERO)), List.of());
        FleetStateStore store = shop();
        List<String> ids = PreProvisionerReleaseTest.launch(provisioner(store, PreProvisioner.Mode.APPLY).build(),
                store, "up", 5);
        FleetState basis = store.read("shop").state();
        PreProvisioner p = provisioner(store, PreProvisioner.Mode.PLAN_ONLY).slaPolicies(sla).build();
        List<ChangeOutcome> outcomes = p.run(plan(basis,
                scaleIn("d1", "checkout", "m.large", 2, PurchaseOption.ON_DEMAND, 1, T0),
                scaleIn("d2", "checkout", "m.large", 2, PurchaseOption.ON_DEMAND, 2, T0))).outcomes();
        // 5 on demand with a base of 2: the first plans 2, the second only 5 - 2 - 2 = 1.
        ChangeOutcome.PlannedRelease first = assertInstanceOf(ChangeOutcome.PlannedRelease.class, outcomes.get(0));
        ChangeOutcome.PlannedRelease second = assertInstanceOf(ChangeOutcome.PlannedRelease.class, outcomes.get(1));
        List<String> newestFirst = ids.stream().sorted(java.util.Comparator.reverseOrder()).toList();
        assertEquals(newestFirst.subList(0, 2), first.instanceIds());
        assertEquals(newestFirst.subList(2, 3), second.instanceIds());
        assertEquals(List.of(), first.limitedBy());
        assertEquals(List.of(HardCaps.Limit.ON_DEMAND_BASE), second.limitedBy());
        assertEquals(2 * M_LARGE, first.savingPerHour(), 1e-12);
        assertEquals(M_LARGE, second.savingPerHour(), 1e-12);
        assertEquals(5, sim.describe(DescribeRequest.active()).instances().size(), "plan-only releases nothing");
    }

    @Test
    void apply_launchAndRelease_passTheirStepsInOrderUnderIntentsNamedAfterTheNextVersion() {
        FleetStateStore store = shop();
        List<PreProvisioner.Step> steps = new ArrayList<>();
        PreProvisioner p = provisioner(store, PreProvisioner.Mode.APPLY).checkpoint(steps::add).build();
        p.run(plan(store.read("shop").state(), out("up", 2, PurchaseOption.ON_DEMAND)));
        assertEquals(List.of(PreProvisioner.Step.BEFORE_INTENT, PreProvisioner.Step.AFTER_INTENT,
                PreProvisioner.Step.AFTER_PROVISION, PreProvisioner.Step.AFTER_CONFIGURE,
                PreProvisioner.Step.AFTER_COMMIT), steps);
        // Version 0 read, the intent written as version 1.
        ProvisioningIntent launch = store.read("shop").intents().get(0);
        assertTrue(launch.id().startsWith("in-1-"), launch.id());
        assertEquals(launch.idempotencyKey().substring(3, 11), launch.id().substring(5));

        steps.clear();
        long before = store.read("shop").version();
        p.run(plan(store.read("shop").state(), scaleIn("down", "checkout", "m.large", 1, PurchaseOption.ON_DEMAND,
                1, T0)));
        assertEquals(List.of(PreProvisioner.Step.BEFORE_INTENT, PreProvisioner.Step.AFTER_INTENT,
                PreProvisioner.Step.AFTER_RELEASE, PreProvisioner.Step.AFTER_COMMIT), steps);
        ProvisioningIntent release = store.read("shop").intents().stream()
                .filter(i -> i.kind() == ProvisioningIntent.Kind.RELEASE).findFirst().orElseThrow();
        assertTrue(release.id().startsWith("rl-" + (before + 1) + "-"), release.id());
        assertEquals(release.idempotencyKey().substring(7, 15),
                release.id().substring(release.id().lastIndexOf('-') + 1));
    }

    /**
     * A cloud selling a.large at 0.2 per hour, with no capacity, and b.large of the same family and size at
     * 1.0, and c.large of another family at 1.0.
     */
    private SimulatedCloud noCapacityForALarge() {
        return SimulatedCloud.builder().clock(clock).seed(1).catalogue(List.of(
                new Offer("a.large", "f", "r1", 4, 16, 5, 0, 0.2, OptionalDouble.empty(), 0, Duration.ofMinutes(2)),
                new Offer("b.large", "f", "r1", 4, 16, 5, 0, 1.0, OptionalDouble.empty(), 0, Duration.ofMinutes(2)),
                new Offer("c.large", "g", "r1", 4, 16, 5, 0, 1.0, OptionalDouble.empty(), 0, Duration.ofMinutes(2))))
                .capacity("r1", "a.large", 0).build();
    }

    private PreProvisioner standInRun(SimulatedCloud cloud, FleetStateStore store, CostGate gate) {
        return PreProvisioner.builder(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).sleeper(clock::advance)
                .seed(1).build()).store(store).clock(clock).mode(PreProvisioner.Mode.APPLY).gate(gate).build();
    }

    private static ProvisionalChange threeALarge() {
        return Fixtures.change("a", "checkout", "a.large", "r1", 3, PurchaseOption.ON_DEMAND, 1, 0.6,
                T0.plusSeconds(3600));
    }

    @Test
    void apply_standInOverTheThreshold_notLaunchedAndTheOutcomeSaysWhy() {
        SimulatedCloud cloud = noCapacityForALarge();
        FleetStateStore store = shop();
        // Approved at 0.6 under 1.0; the stand-in, 3 x b.large, would cost 3.0.
        ProvisioningReport r = standInRun(cloud, store, CostGate.builder(1.0).build())
                .run(plan(store.read("shop").state(), threeALarge()));
        assertInstanceOf(GateDecision.UnderThreshold.class, r.decision());
        ChangeOutcome.Failed f = assertInstanceOf(ChangeOutcome.Failed.class, r.outcomes().get(0));
        assertEquals(Kind.CAPACITY_UNAVAILABLE, f.kind());
        assertEquals("a.large in r1 has no capacity, and the stand-in, 3 x b.large in r1 at 3.0000 per hour where the "
                + "gate approved 0.6000 for the change, would take the changes approved in this run to 3.0000 per hour "
                + "(0.2500 per cycle), over the cost gate's threshold of 1.0000 per hour (no limit per cycle); "
                + "not launched", f.message());
        assertEquals(List.of(), cloud.describe(DescribeRequest.all()).instances(), "nothing launched");
        assertEquals(0, Fixtures.total(Fixtures.counted(store.read("shop").state())));
    }

    @Test
    void apply_standInUnderTheThreshold_launched() {
        SimulatedCloud cloud = noCapacityForALarge();
        FleetStateStore store = shop();
        ChangeOutcome.Provisioned p = standInRun(cloud, store, CostGate.builder(3.0).build())
                .run(plan(store.read("shop").state(), threeALarge())).provisioned().get(0);
        assertEquals("b.large", p.instanceType());
        assertEquals(3, p.instanceIds().size());
        assertEquals(3.0, p.costPerHour(), 1e-12);
    }

    @Test
    void apply_standInWithTheOtherApprovedChangesOverTheThreshold_notLaunched() {
        SimulatedCloud cloud = noCapacityForALarge();
        FleetStateStore store = shop();
        // 0.6 + 2 x 1.0 = 2.6 approved under 4.0; with the stand-in 3.0 + 2.0 = 5.0, although 3.0 alone fits.
        ProvisionalChange other = Fixtures.change("b", "checkout", "c.large", "r1", 2, PurchaseOption.ON_DEMAND, 2,
                2.0, T0.plusSeconds(3600));
        ProvisioningReport r = standInRun(cloud, store, CostGate.builder(4.0).build())
                .run(plan(store.read("shop").state(), threeALarge(), other));
        ChangeOutcome.Failed f = assertInstanceOf(ChangeOutcome.Failed.class, r.outcomes().get(0));
        assertTrue(f.message().contains("to 5.0000 per hour"), f.message());
        ChangeOutcome.Provisioned b = assertInstanceOf(ChangeOutcome.Provisioned.class, r.outcomes().get(1));
        assertEquals("c.large", b.instanceType());
    }

    @Test
    void apply_standInOverThePerCycleThreshold_notLaunched() {
        SimulatedCloud cloud = noCapacityForALarge();
        FleetStateStore store = shop();
        // 0.1 per 5-minute cycle is 1.2 per hour: 0.6 fits, the stand-in's 3.0 (0.25 per cycle) does not.
        ProvisioningReport r = standInRun(cloud, store, CostGate.builder(100).maxCostPerCycle(0.1).build())
                .run(plan(store.read("shop").state(), threeALarge()));
        ChangeOutcome.Failed f = assertInstanceOf(ChangeOutcome.Failed.class, r.outcomes().get(0));
        assertTrue(f.message().endsWith("over the cost gate's threshold of 100.0000 per hour (0.1000 per cycle); "
                + "not launched"), f.message());
        assertEquals(List.of(), cloud.describe(DescribeRequest.all()).instances());
    }

    @Test
    void apply_intentInFlight_leftAloneByAReconcileInBetween() {
        FleetStateStore store = shop();
        List<ReconcileReport> seen = new ArrayList<>();
        PreProvisioner[] self = new PreProvisioner[1];
        self[0] = provisioner(store, PreProvisioner.Mode.APPLY).intentGrace(Duration.ofMinutes(1))
                .checkpoint(step -> {
                    if (step == PreProvisioner.Step.AFTER_INTENT && seen.isEmpty()) {
                        clock.advance(Duration.ofMinutes(5));
                        seen.add(self[0].reconcile("shop"));
                    }
                }).build();
        ChangeOutcome.Provisioned done = self[0].run(plan(store.read("shop").state(),
                out("up", 2, PurchaseOption.ON_DEMAND))).provisioned().get(0);
        assertEquals(List.of(), seen.get(0).abandoned(), "the intent being carried out is not abandoned");
        assertEquals(List.of(), seen.get(0).adopted());
        assertEquals(2, done.instanceIds().size());
        assertEquals(ProvisioningIntent.Status.DONE, store.read("shop").intents().get(0).status());
    }

    @Test
    void apply_provisionTimesOut_intentLeftOpenThenSettledByTheNextReconcile() {
        FleetStateStore store = shop();
        PreProvisioner p = provisioner(store, PreProvisioner.Mode.APPLY).intentGrace(Duration.ofMinutes(1)).build();
        sim.failNext(SimulatedCloud.Operation.PROVISION, 50, Kind.TIMED_OUT);
        ChangeOutcome.Failed failed = assertInstanceOf(ChangeOutcome.Failed.class,
                p.run(plan(store.read("shop").state(), out("up", 2, PurchaseOption.ON_DEMAND))).outcomes().get(0));
        assertEquals(Kind.TIMED_OUT, failed.kind());
        ProvisioningIntent open = store.read("shop").intents().get(0);
        assertEquals(ProvisioningIntent.Status.OPEN, open.status());
        clock.advance(Duration.ofMinutes(2));
        assertEquals(List.of(open.id()), p.reconcile("shop").abandoned(),
                "once its caller is done, the open intent is reconcile's to settle");
    }

    @Test
    void apply_noAllowedOfferHasCapacity_failedAsCapacityUnavailable() {
        SimulatedCloud full = SimulatedCloud.builder().clock(clock).seed(1).defaultCapacity(0).build();
        FleetStateStore store = shop();
        PreProvisioner p = PreProvisioner.builder(GuardedCloud.builder(full).callTimeout(Duration.ZERO)
                        .sleeper(clock::advance).seed(1).build())
                .store(store).clock(clock).mode(PreProvisioner.Mode.APPLY).gate(CostGate.builder(1_000).build())
                .build();
        ChangeOutcome.Failed failed = assertInstanceOf(ChangeOutcome.Failed.class,
                p.run(plan(store.read("shop").state(), out("up", 2, PurchaseOption.ON_DEMAND))).outcomes().get(0));
        assertEquals(Kind.CAPACITY_UNAVAILABLE, failed.kind());
        assertEquals("no allowed offer for m.large in us-east has capacity; backed off until later", failed.message());
        assertTrue(store.read("shop").intents().stream()
                .allMatch(i -> i.status() == ProvisioningIntent.Status.FAILED), "every attempt settled as failed");
    }

    @Test
    void apply_sameChangeLaunchedAgainWithTheSameCount_newInstancesUnderANewKey() {
        FleetStateStore store = shop();
        PreProvisioner p = provisioner(store, PreProvisioner.Mode.APPLY)
                .caps(new HardCaps(2, 100, Duration.ofHours(1), 100, 100)).build();
        FleetState basis = store.read("shop").state();
        List<String> first = p.run(plan(basis, out("up", 4, PurchaseOption.ON_DEMAND))).provisioned().get(0)
                .instanceIds();
        List<String> second = p.run(plan(basis, out("up", 4, PurchaseOption.ON_DEMAND))).provisioned().get(0)
                .instanceIds();
        assertEquals(2, first.size());
        assertEquals(2, second.size());
        assertTrue(second.stream().noneMatch(first::contains), "the second launch is not the first one repeated");
        List<Instance> active = sim.describe(DescribeRequest.active()).instances();
        assertEquals(4, active.size());
        assertEquals(4, Fixtures.total(Fixtures.counted(store.read("shop").state())));
    }

    /** A scale-out of {@code count} x m.large for a service, launching at {@code launchAt}, needed 10 minutes on. */
    private static ProvisionalChange line(String id, String service, ChangeAction action, int count,
            PurchaseOption option, int priority, double costPerHour, Instant launchAt) {
        return new ProvisionalChange(id, service, action, "m.large", "us-east", count, option,
                List.of(ResourceAmount.of(ResourceType.CPU, 2.0 * count, ResourceUnit.CORES)), priority,
                "forecast exceeds allocation", costPerHour, costPerHour, launchAt.plus(Duration.ofMinutes(10)),
                launchAt, ChangeStatus.PROPOSED, null);
    }

    private PreProvisioner gated(FleetStateStore store, double maxCostPerHour) {
        return provisioner(store, PreProvisioner.Mode.APPLY).gate(CostGate.builder(maxCostPerHour).build()).build();
    }

    @Test
    void apply_serviceHalfLaunchedInAnEarlierCycle_itsLaterLineIsWeighedFirstAndTheLaunchedOneNotCharged() {
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "api", "standard", "pay", "critical"));
        // api: a spot line now and its on-demand partner in 15 minutes; pay, more important, in 15 minutes.
        ProvisionalFleetState plan = plan(store.read("shop").state(),
                line("api-spot", "api", ChangeAction.SCALE_OUT, 2, PurchaseOption.SPOT, 2, 0.3, T0),
                line("api-od", "api", ChangeAction.SCALE_OUT, 2, PurchaseOption.ON_DEMAND, 2, 1.2,
                        T0.plus(Duration.ofMinutes(15))),
                line("pay", "pay", ChangeAction.SCALE_OUT, 2, PurchaseOption.ON_DEMAND, 1, 1.0,
                        T0.plus(Duration.ofMinutes(15))));
        PreProvisioner p = gated(store, 2.0);
        ProvisioningReport first = p.run(plan);
        assertEquals(List.of("api-spot"), first.provisioned().stream().map(ChangeOutcome.Provisioned::changeId).toList());

        clock.set(T0.plus(Duration.ofMinutes(15)));
        ProvisioningReport later = p.run(plan);
        // What is new is api's on-demand line (1.2) and pay (1.0): 2.2, not 2.5 with the spot line again.
        assertEquals(2.2, later.decision().costPerHour(), 1e-9);
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, later.decision());
        assertEquals(List.of("pay"), over.refused().stream().map(ProvisionalChange::id).toList());
        assertEquals(List.of("api-od"), later.provisioned().stream().map(ChangeOutcome.Provisioned::changeId).toList(),
                "api is completed rather than left with its spot line alone");
        assertTrue(later.outcomes().stream().anyMatch(o -> o instanceof ChangeOutcome.AlreadySatisfied s
                && s.changeId().equals("api-spot")), later.outcomes().toString());
    }

    @Test
    void apply_replaceIsNotCharged_soItRefusesNoLaunch() {
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "api", "standard", "pay", "critical"));
        ProvisionalFleetState plan = plan(store.read("shop").state(),
                line("swap", "pay", ChangeAction.REPLACE, 2, PurchaseOption.ON_DEMAND, 1, 1.0, T0),
                line("api-od", "api", ChangeAction.SCALE_OUT, 2, PurchaseOption.ON_DEMAND, 2, 1.2, T0));
        ProvisioningReport report = gated(store, 1.5).run(plan);
        assertInstanceOf(GateDecision.UnderThreshold.class, report.decision());
        assertEquals(1.2, report.decision().costPerHour(), 1e-9);
        assertEquals(List.of("api-od"), report.provisioned().stream().map(ChangeOutcome.Provisioned::changeId).toList());
        assertTrue(report.outcomes().stream().anyMatch(o -> o instanceof ChangeOutcome.Skipped s
                && s.changeId().equals("swap")), report.outcomes().toString());
    }
}
