package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static io.fleetpredict.core.provision.Fixtures.emptyFleet;
import static io.fleetpredict.core.provision.Fixtures.plan;
import static io.fleetpredict.core.provision.Fixtures.scaleIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.ProvisionalFleetState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reconcile after a crash, each path on its own: a stuck launch that an open intent still owns, instances
 * ended by hand among others that run, an open release whose instances still run, one whose second
 * release fails, and a give-up whose release fails.
 */
class ReconcilerTest {

    private final MutableClock clock = MutableClock.at(T0);
    private final SimulatedCloud sim = SimulatedCloud.builder().clock(clock).seed(1).build();
    private final ReleasingCloud cloud = new ReleasingCloud(sim);
    private final NeverReadyCloud shown = new NeverReadyCloud(cloud);
    private final FleetStateStore store = FleetStateStores.inMemory();

    ReconcilerTest() {
        store.create(StoredFleet.of(emptyFleet("shop", 0, "checkout", "critical")));
    }

    private PreProvisioner.Builder provisioner() {
        return PreProvisioner.builder(GuardedCloud.builder(shown).callTimeout(Duration.ZERO)
                        .sleeper(clock::advance).seed(1).build())
                .store(store).clock(clock).mode(PreProvisioner.Mode.APPLY).gate(CostGate.builder(1_000).build())
                .maxProvisioningTime(Duration.ofMinutes(1));
    }

    private static PreProvisioner crashingAt(PreProvisioner.Builder b, PreProvisioner.Step at) {
        return b.checkpoint(step -> {
            if (step == at) {
                throw new PreProvisionerCrashTest.Crash();
            }
        }).build();
    }

    private static void runUntilTheCrash(PreProvisioner p, ProvisionalFleetState plan) {
        try {
            p.run(plan);
        } catch (PreProvisionerCrashTest.Crash expected) {
            // the process died at the step
        }
    }

    private ProvisionalFleetState launchPlan(String changeId, int count) {
        return plan(store.read("shop").state(), Fixtures.change(changeId, "checkout", count, 1));
    }

    private ProvisionalFleetState releasePlan(String changeId, int count) {
        return plan(store.read("shop").state(),
                scaleIn(changeId, "checkout", "m.large", count, PurchaseOption.ON_DEMAND, 1, clock.instant()));
    }

    private int active() {
        return Fixtures.total(Fixtures.inventory(sim, "shop"));
    }

    private int counted() {
        return Fixtures.total(Fixtures.counted(store.read("shop").state()));
    }

    @Test
    void reconcile_stuckInstancesOfAnOpenIntentWithinItsGrace_notGivenUpThenAdopted() {
        runUntilTheCrash(crashingAt(provisioner(), PreProvisioner.Step.AFTER_PROVISION), launchPlan("up", 2));
        PreProvisioner restarted = provisioner().build();
        shown.stuck(true);
        clock.advance(Duration.ofMinutes(5)); // pending 2 minutes past due (m.large boots in 3), intent in grace
        ReconcileReport early = restarted.reconcile("shop");
        assertEquals(List.of(), early.givenUp(), "the open intent owns its instances");
        assertEquals(List.of(), early.adopted());
        assertEquals(2, active());
        assertEquals(0, counted());
        shown.stuck(false);
        clock.advance(Duration.ofMinutes(10));
        ReconcileReport late = restarted.reconcile("shop");
        assertEquals(1, late.adopted().size());
        assertEquals(List.of(), late.givenUp());
        assertEquals(Fixtures.inventory(sim, "shop"), Fixtures.counted(store.read("shop").state()));
        assertEquals(2, counted());
        assertEquals(store.read("shop").version(), late.version());
    }

    @Test
    void reconcile_noGraceGiven_settlesAnOpenIntentOnceItIsDefaultIntentGraceOld() {
        runUntilTheCrash(crashingAt(provisioner(), PreProvisioner.Step.AFTER_PROVISION), launchPlan("up", 2));
        assertEquals(T0, clock.instant(), "the intent was written at T0");
        PreProvisioner restarted = provisioner().build();
        clock.advance(PreProvisioner.DEFAULT_INTENT_GRACE.minusNanos(1));
        assertEquals(List.of(), restarted.reconcile("shop").adopted(), "the intent is within the default grace");
        clock.advance(Duration.ofNanos(1));
        assertEquals(1, restarted.reconcile("shop").adopted().size(), "the intent is as old as the default grace");
        assertEquals(2, counted());
    }

    @Test
    void reconcile_someInstancesEndedByHand_takesOutExactlyThoseAndKeepsTheOthersLaunches() {
        PreProvisioner p = provisioner().build();
        List<String> first = p.run(launchPlan("up", 3)).provisioned().get(0).instanceIds();
        List<String> second = p.run(launchPlan("more", 2)).provisioned().get(0).instanceIds();
        assertEquals(2, second.size());
        String gone = first.get(1);
        sim.release(ReleaseRequest.of("by-hand", Set.of(gone)));
        ReconcileReport report = p.reconcile("shop");
        assertEquals(List.of(gone), report.ended());
        StoredFleet after = store.read("shop");
        assertEquals(4, counted());
        assertEquals(Fixtures.inventory(sim, "shop"), Fixtures.counted(after.state()));
        List<List<String>> launched = after.intents().stream()
                .filter(i -> i.kind() == ProvisioningIntent.Kind.LAUNCH).map(ProvisioningIntent::instanceIds).toList();
        assertEquals(List.of(List.of(first.get(0), first.get(2)), second), launched);
        assertEquals(List.of(), p.reconcile("shop").ended(), "taken out once");
        assertEquals(4, counted());
    }

    @Test
    void reconcile_openReleaseWhoseInstancesStillRun_releasedAgainUnderItsKeyThenCommitted() {
        provisioner().build().run(launchPlan("up", 3));
        runUntilTheCrash(crashingAt(provisioner(), PreProvisioner.Step.AFTER_INTENT), releasePlan("down", 2));
        assertEquals(3, active(), "the crash came before the release was sent");
        ProvisioningIntent open = store.read("shop").intents().stream()
                .filter(i -> i.kind() == ProvisioningIntent.Kind.RELEASE).findFirst().orElseThrow();
        clock.advance(Duration.ofMinutes(11));
        ReconcileReport report = provisioner().build().reconcile("shop");
        assertEquals(List.of(open.id()), report.released());
        assertEquals(List.of(new ReleasingCloud.Call(open.idempotencyKey(), Set.copyOf(open.instanceIds()))),
                cloud.releases());
        assertEquals(1, active());
        assertEquals(1, counted());
        assertEquals(ProvisioningIntent.Status.DONE, store.read("shop").intent(open.id()).orElseThrow().status());
    }

    @Test
    void reconcile_openReleaseWhoseSecondReleaseFails_leftOpenAndUncountedUntilTheNextReconcile() {
        provisioner().build().run(launchPlan("up", 3));
        runUntilTheCrash(crashingAt(provisioner(), PreProvisioner.Step.AFTER_INTENT), releasePlan("down", 2));
        clock.advance(Duration.ofMinutes(11));
        sim.failNext(SimulatedCloud.Operation.RELEASE, 1, Kind.QUOTA_EXCEEDED);
        PreProvisioner restarted = provisioner().build();
        ReconcileReport failed = restarted.reconcile("shop");
        assertEquals(List.of(), failed.released());
        assertEquals(3, active());
        assertEquals(3, counted(), "nothing taken out of the state for a release that did not happen");
        assertTrue(store.read("shop").intents().stream().anyMatch(i -> i.kind() == ProvisioningIntent.Kind.RELEASE
                && i.status() == ProvisioningIntent.Status.OPEN));
        assertEquals(1, restarted.reconcile("shop").released().size());
        assertEquals(1, active());
        assertEquals(1, counted());
    }

    @Test
    void reconcile_releaseOfStuckInstancesFails_endedStillTakenOutAndTheStuckGivenUpByTheNextReconcile() {
        PreProvisioner p = provisioner().build();
        List<String> launched = p.run(launchPlan("up", 3)).provisioned().get(0).instanceIds();
        String gone = launched.get(0);
        sim.release(ReleaseRequest.of("by-hand", Set.of(gone)));
        shown.stuck(true);
        clock.advance(Duration.ofMinutes(5)); // the other two still pending, 2 minutes past due (the limit is 1)
        sim.failNext(SimulatedCloud.Operation.RELEASE, 1, Kind.QUOTA_EXCEEDED);
        ReconcileReport failed = p.reconcile("shop");
        assertEquals(List.of(), failed.givenUp(), "the give-up release failed");
        assertEquals(List.of(gone), failed.ended(), "an ended instance leaves the state all the same");
        assertEquals(2, active());
        assertEquals(2, counted());
        ReconcileReport next = p.reconcile("shop");
        assertEquals(List.of(launched.get(1), launched.get(2)), next.givenUp());
        assertEquals(0, active());
    }

    @Test
    void reconcile_nothingOpenNothingEnded_changesNothing() {
        PreProvisioner p = provisioner().build();
        p.run(launchPlan("up", 2));
        long version = store.read("shop").version();
        clock.advance(Duration.ofMinutes(30));
        ReconcileReport report = p.reconcile("shop");
        assertEquals(List.of(), report.adopted());
        assertEquals(List.of(), report.abandoned());
        assertEquals(List.of(), report.givenUp());
        assertEquals(List.of(), report.ended());
        assertEquals(version, report.version());
        assertEquals(version, store.read("shop").version());
        assertEquals(2, sim.describe(DescribeRequest.active()).instances().size());
    }
}
