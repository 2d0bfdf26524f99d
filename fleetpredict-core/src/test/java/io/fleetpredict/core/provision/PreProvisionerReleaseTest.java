package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static io.fleetpredict.core.provision.Fixtures.emptyFleet;
import static io.fleetpredict.core.provision.Fixtures.plan;
import static io.fleetpredict.core.provision.Fixtures.scaleIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scale-in, launch time and replace in the pre-provisioner. */
class PreProvisionerReleaseTest {

    private final MutableClock clock = MutableClock.at(T0);
    private final SimulatedCloud sim = SimulatedCloud.builder().clock(clock).seed(1).build();
    private final ReleasingCloud cloud = new ReleasingCloud(sim);

    private PreProvisioner.Builder provisioner(CloudProvider provider, FleetStateStore store) {
        return PreProvisioner.builder(GuardedCloud.builder(provider).callTimeout(Duration.ZERO)
                        .sleeper(clock::advance).seed(1).build())
                .store(store).clock(clock).mode(PreProvisioner.Mode.APPLY)
                .gate(CostGate.builder(1_000).build());
    }

    private static FleetStateStore storeWith(FleetState fleet) {
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(fleet));
        return store;
    }

    /** Launches {@code count} on-demand m.large for checkout through the provisioner; returns their ids. */
    static List<String> launch(PreProvisioner p, FleetStateStore store, String changeId, int count) {
        FleetState current = store.read("shop").state();
        ProvisioningReport r = p.run(plan(current, Fixtures.change(changeId, "checkout", count, 1)));
        return r.provisioned().get(0).instanceIds();
    }

    private ProvisionalFleetState releasePlan(FleetStateStore store, String changeId, int count) {
        return plan(store.read("shop").state(),
                scaleIn(changeId, "checkout", "m.large", count, PurchaseOption.ON_DEMAND, 1, clock.instant()));
    }

    private List<Instance> active() {
        return sim.describe(DescribeRequest.active()).instances();
    }

    @Test
    void run_scaleIn_releasesBootingNewestFirstThenNewestReadyAndCommits() {
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        PreProvisioner p = provisioner(cloud, store).build();
        List<String> ready = launch(p, store, "up-1", 4);
        clock.advance(Duration.ofMinutes(4)); // m.large boots in 3 minutes
        String olderBooting = launch(p, store, "up-2", 1).get(0);
        clock.advance(Duration.ofSeconds(30));
        String newerBooting = launch(p, store, "up-3", 1).get(0);
        assertEquals(Set.of(olderBooting, newerBooting), Set.copyOf(active().stream()
                .filter(i -> i.state() == InstanceState.PENDING).map(Instance::id).toList()));

        ProvisioningReport report = p.run(releasePlan(store, "down", 3));

        ChangeOutcome.Released out = report.released().get(0);
        String newestReady = ready.stream().max(String::compareTo).orElseThrow(); // launched together: id decides
        assertEquals(List.of(newerBooting, olderBooting, newestReady), out.instanceIds());
        assertEquals(3 * 0.096, out.savingPerHour(), 1e-12, "3 x m.large us-east on-demand at 0.096 per hour");
        assertEquals(List.of(), out.limitedBy());
        StoredFleet stored = store.read("shop");
        assertEquals(Map.of("checkout/m.large/us-east/on_demand", 3), Fixtures.inventory(sim, "shop"));
        assertEquals(Fixtures.inventory(sim, "shop"), Fixtures.counted(stored.state()));
        assertEquals(ResourceAmount.of(ResourceType.CPU, 6, ResourceUnit.CORES),
                stored.state().services().get(0).allocatedResources().get(0), "3 instances of 2 cores are left");
        ProvisioningIntent intent = stored.intents().stream()
                .filter(i -> i.kind() == ProvisioningIntent.Kind.RELEASE).findFirst().orElseThrow();
        assertEquals(ProvisioningIntent.Status.DONE, intent.status());
        assertEquals(out.instanceIds(), intent.instanceIds());
        assertTrue(stored.intents().stream().filter(i -> i.kind() == ProvisioningIntent.Kind.LAUNCH)
                .flatMap(i -> i.instanceIds().stream()).noneMatch(out.instanceIds()::contains),
                "released ids left their launch intents");
        // The booting instance stopped costing when released.
        double billed = sim.accruedCost(newerBooting);
        clock.advance(Duration.ofHours(1));
        assertEquals(billed, sim.accruedCost(newerBooting), 1e-12);
        assertEquals(List.of(), p.reconcile("shop").ended(), "nothing left for reconcile to take out twice");
        assertEquals(3, Fixtures.total(Fixtures.counted(store.read("shop").state())));
    }

    @Test
    void run_samePlanAgainAndFromAnotherProcess_releasesNothingTwiceOnAProviderThatDoesNotDeduplicate() {
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        PreProvisioner p = provisioner(cloud, store).build();
        launch(p, store, "up", 5);
        ProvisionalFleetState plan = releasePlan(store, "down", 2);
        assertEquals(2, p.run(plan).released().get(0).instanceIds().size());
        assertInstanceOf(ChangeOutcome.AlreadySatisfied.class, p.run(plan).outcomes().get(0));
        PreProvisioner other = provisioner(cloud, store).build();
        assertInstanceOf(ChangeOutcome.AlreadySatisfied.class, other.run(plan).outcomes().get(0));
        clock.advance(Duration.ofMinutes(11));
        other.reconcile("shop");
        assertInstanceOf(ChangeOutcome.AlreadySatisfied.class, other.run(plan).outcomes().get(0));
        // A second plan computed from the same state asks for the same target: nothing more goes.
        ProvisionalFleetState sibling = plan(plan.fleet(),
                scaleIn("down-again", "checkout", "m.large", 2, PurchaseOption.ON_DEMAND, 1, clock.instant()));
        assertInstanceOf(ChangeOutcome.AlreadySatisfied.class, other.run(sibling).outcomes().get(0));

        assertEquals(1, cloud.releases().size(), cloud.releases().toString());
        assertEquals(3, active().size());
        assertEquals(Fixtures.inventory(sim, "shop"), Fixtures.counted(store.read("shop").state()));
    }

    @Test
    void run_siblingPlanWhileAReleaseIsInFlight_releasesNothingMore() {
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        launch(provisioner(cloud, store).build(), store, "up", 6);
        FleetState basis = store.read("shop").state();
        ProvisionalFleetState sibling = plan(basis,
                scaleIn("down-b", "checkout", "m.large", 2, PurchaseOption.ON_DEMAND, 1, clock.instant()));
        PreProvisioner other = provisioner(cloud, store).build();
        List<ChangeOutcome> seenByOther = new java.util.ArrayList<>();
        PreProvisioner first = provisioner(cloud, store).checkpoint(step -> {
            // Between this release's intent and its call, another caller runs a plan from the same state.
            if (step == PreProvisioner.Step.AFTER_INTENT && seenByOther.isEmpty()) {
                seenByOther.addAll(other.run(sibling).outcomes());
            }
        }).build();
        ProvisionalFleetState plan = plan(basis,
                scaleIn("down-a", "checkout", "m.large", 2, PurchaseOption.ON_DEMAND, 1, clock.instant()));
        assertEquals(2, first.run(plan).released().get(0).instanceIds().size());
        assertInstanceOf(ChangeOutcome.AlreadySatisfied.class, seenByOther.get(0));
        assertEquals(4, active().size());
        assertEquals(Fixtures.inventory(sim, "shop"), Fixtures.counted(store.read("shop").state()));
    }

    @Test
    void run_scaleInPastTheOnDemandBase_stopsAtTheBaseEvenUnderAnOverride() {
        SlaPolicies sla = new SlaPolicies(1, "critical", Map.of("critical", new TierPolicy(1, 0.99, 0, 1, 4, null,
                null, Duration.ZERO, Duration.ZERO, Duration.ZERO)), List.of());
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        PreProvisioner p = provisioner(cloud, store).slaPolicies(sla).build();
        launch(p, store, "up", 6);

        ChangeOutcome.Released first = p.run(releasePlan(store, "down-1", 5)).released().get(0);
        assertEquals(2, first.instanceIds().size());
        assertEquals(List.of(HardCaps.Limit.ON_DEMAND_BASE), first.limitedBy());
        ChangeOutcome second = p.run(releasePlan(store, "down-2", 1),
                new CapOverride(new HardCaps(1_000, 1_000, Duration.ofHours(1), 1_000, 1_000, 1_000), "drill", "ops"),
                io.fleetpredict.core.feedback.AuditLog.inMemory()).outcomes().get(0);
        assertEquals(List.of(HardCaps.Limit.ON_DEMAND_BASE),
                assertInstanceOf(ChangeOutcome.Capped.class, second).limitedBy());
        assertEquals(4, active().size());
        assertEquals(4, Fixtures.total(Fixtures.counted(store.read("shop").state())));
    }

    @Test
    void reconcile_openReleaseWithinItsGrace_ownsItsEndedInstancesSoTheyAreCountedOutOnce() {
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        launch(provisioner(cloud, store).build(), store, "up", 5);
        ProvisionalFleetState plan = releasePlan(store, "down", 2);
        PreProvisioner crashing = provisioner(cloud, store).checkpoint(step -> {
            if (step == PreProvisioner.Step.AFTER_RELEASE) {
                throw new PreProvisionerCrashTest.Crash();
            }
        }).build();
        try {
            crashing.run(plan);
        } catch (PreProvisionerCrashTest.Crash expected) {
            // the process died between the release and its commit
        }
        PreProvisioner restarted = provisioner(cloud, store).build();
        clock.advance(Duration.ofMinutes(1)); // within the intent grace: the release is left open
        ReconcileReport early = restarted.reconcile("shop");
        assertEquals(List.of(), early.ended(), "the open release owns its instances");
        assertEquals(5, Fixtures.total(Fixtures.counted(store.read("shop").state())));
        clock.advance(Duration.ofMinutes(10));
        ReconcileReport late = restarted.reconcile("shop");
        assertEquals(1, late.released().size());
        assertEquals(3, Fixtures.total(Fixtures.inventory(sim, "shop")));
        assertEquals(Fixtures.inventory(sim, "shop"), Fixtures.counted(store.read("shop").state()));
        assertEquals(1, cloud.releases().size(), "the instances had ended: nothing sent again");
    }

    @Test
    void run_releasesPerWindowCap_holdsTheRestUntilTheWindowPasses() {
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        HardCaps caps = new HardCaps(50, 200, Duration.ofHours(1), 1_000, 500, 2);
        PreProvisioner p = provisioner(cloud, store).caps(caps).build();
        launch(p, store, "up", 6);
        ChangeOutcome.Released first = p.run(releasePlan(store, "down", 5)).released().get(0);
        assertEquals(2, first.instanceIds().size());
        assertEquals(List.of(HardCaps.Limit.RELEASES_PER_WINDOW), first.limitedBy());
        ChangeOutcome held = p.run(releasePlan(store, "down-2", 3)).outcomes().get(0);
        assertEquals(List.of(HardCaps.Limit.RELEASES_PER_WINDOW),
                assertInstanceOf(ChangeOutcome.Capped.class, held).limitedBy());
        clock.advance(Duration.ofMinutes(61));
        assertEquals(2, p.run(releasePlan(store, "down-3", 3)).released().get(0).instanceIds().size());
        assertEquals(2, active().size());
    }

    @Test
    void run_planOnly_reportsWhatWouldBeReleasedWithoutReleasingOrWriting() {
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        launch(provisioner(cloud, store).build(), store, "up", 4);
        int versions = store.history("shop").size();
        ProvisioningReport report = provisioner(cloud, store).mode(PreProvisioner.Mode.PLAN_ONLY).build()
                .run(releasePlan(store, "down", 3));
        ChangeOutcome.PlannedRelease planned = assertInstanceOf(ChangeOutcome.PlannedRelease.class,
                report.outcomes().get(0));
        assertEquals(3, planned.instanceIds().size());
        assertEquals(3 * 0.096, planned.savingPerHour(), 1e-12);
        assertEquals(List.of(), cloud.releases());
        assertEquals(4, active().size());
        assertEquals(versions, store.history("shop").size());
    }

    @Test
    void run_releaseRefused_failedOutcomeNothingUncountedAndTheNextRunReleases() {
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        PreProvisioner p = provisioner(sim, store).build();
        launch(p, store, "up", 3);
        ProvisionalFleetState plan = releasePlan(store, "down", 2);
        sim.failNext(SimulatedCloud.Operation.RELEASE, 1, Kind.QUOTA_EXCEEDED);
        ChangeOutcome.Failed failed = assertInstanceOf(ChangeOutcome.Failed.class, p.run(plan).outcomes().get(0));
        assertEquals(Kind.QUOTA_EXCEEDED, failed.kind());
        assertEquals(3, Fixtures.total(Fixtures.counted(store.read("shop").state())));
        assertEquals(3, active().size());
        assertEquals(2, p.run(plan).released().get(0).instanceIds().size());
        assertEquals(1, active().size());
        assertEquals(Fixtures.inventory(sim, "shop"), Fixtures.counted(store.read("shop").state()));
    }

    @Test
    void run_scaleOutWithLaunchTimeAfterTheNextCycle_waitsThenLaunchesInTheLastCycleBeforeIt() {
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        PreProvisioner p = provisioner(sim, store).build(); // the gate's cycle: 5 minutes
        Instant launchAt = T0.plus(Duration.ofMinutes(30));
        ProvisionalChange later = new ProvisionalChange("later", "checkout", ChangeAction.SCALE_OUT, "m.large",
                "us-east", 2, PurchaseOption.ON_DEMAND, List.of(ResourceAmount.of(ResourceType.CPU, 4,
                        ResourceUnit.CORES)), 1, "forecast exceeds allocation", 0.192, 0.192,
                launchAt.plus(Duration.ofMinutes(5)), launchAt, ChangeStatus.PROPOSED, null);
        ProvisionalFleetState plan = plan(store.read("shop").state(), later);

        ChangeOutcome.Waiting waiting = assertInstanceOf(ChangeOutcome.Waiting.class, p.run(plan).outcomes().get(0));
        assertEquals(launchAt, waiting.launchAt());
        assertInstanceOf(ChangeOutcome.Waiting.class, provisioner(sim, store).mode(PreProvisioner.Mode.PLAN_ONLY)
                .build().run(plan).outcomes().get(0));
        clock.set(launchAt.minus(Duration.ofMinutes(5))); // the next cycle starts exactly at the launch time
        assertInstanceOf(ChangeOutcome.Waiting.class, p.run(plan).outcomes().get(0));
        assertEquals(0, active().size());
        assertTrue(store.read("shop").intents().isEmpty(), "waiting writes nothing");
        clock.advance(Duration.ofSeconds(1)); // the next cycle would start after it: launch now
        assertEquals(2, p.run(plan).provisioned().get(0).instanceIds().size());
        assertEquals(2, active().size());
    }

    @Test
    void run_replace_skippedWithItsReason() {
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        ProvisionalChange replace = new ProvisionalChange("swap", "checkout", ChangeAction.REPLACE, "m.large",
                "us-east", 2, PurchaseOption.SPOT, List.of(ResourceAmount.of(ResourceType.CPU, 4, ResourceUnit.CORES)),
                1, "spot saves more than the threshold", 0.06, 0.06, T0, T0, ChangeStatus.PROPOSED, null);
        ChangeOutcome out = provisioner(sim, store).build().run(plan(store.read("shop").state(), replace))
                .outcomes().get(0);
        assertTrue(assertInstanceOf(ChangeOutcome.Skipped.class, out).reason().startsWith("replace"), out.toString());
        assertEquals(0, active().size());
    }
}
