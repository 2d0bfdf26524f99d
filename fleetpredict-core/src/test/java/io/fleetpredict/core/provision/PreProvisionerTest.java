package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static io.fleetpredict.core.provision.Fixtures.change;
import static io.fleetpredict.core.provision.Fixtures.emptyFleet;
import static io.fleetpredict.core.provision.Fixtures.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.ProvisionalFleetState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;

class PreProvisionerTest {

    private final MutableClock clock = MutableClock.at(T0);

    private SimulatedCloud.Builder sim() {
        return SimulatedCloud.builder().clock(clock).seed(1);
    }

    private PreProvisioner.Builder provisioner(CloudProvider cloud, FleetStateStore store, double threshold) {
        return PreProvisioner.builder(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO)
                        .sleeper(clock::advance).seed(1).build())
                .store(store).clock(clock).mode(PreProvisioner.Mode.APPLY)
                .gate(CostGate.builder(threshold).build());
    }

    private static FleetStateStore storeWith(FleetState fleet) {
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(fleet));
        return store;
    }

    @Test
    void run_aServiceDueDaysLater_doesNotTakeTheBudgetOfOneDueNow() {
        SimulatedCloud cloud = sim().build();
        FleetState fleet = emptyFleet("shop", 3, "checkout", "critical", "api", "standard");
        FleetStateStore store = storeWith(fleet);
        java.time.Instant inThreeDays = T0.plus(Duration.ofDays(3));
        // checkout (priority 1, 8 x m.large) launches in three days; api (priority 2, 4 x m.large) now. The
        // threshold holds either alone, not both.
        io.fleetpredict.core.document.ProvisionalChange later = change("c1", "checkout", 8, 1);
        later = new io.fleetpredict.core.document.ProvisionalChange(later.id(), later.service(), later.action(),
                later.instanceType(), later.region(), later.count(), later.purchaseOption(), later.resourceDelta(),
                later.priority(), later.slaReason(), later.estimatedCostPerHour(), later.estimatedTotalCost(),
                inThreeDays.plusSeconds(180), inThreeDays, later.status(), null);
        ProvisioningReport report = provisioner(cloud, store, 0.8).build()
                .run(plan(fleet, later, change("a1", "api", 4, 2)));
        GateDecision.UnderThreshold under = assertInstanceOf(GateDecision.UnderThreshold.class, report.decision());
        assertEquals(4 * 0.096, under.costPerHour(), 1e-12);
        assertEquals(List.of("a1"), report.provisioned().stream().map(ChangeOutcome.Provisioned::changeId).toList());
        assertEquals(List.of(new ChangeOutcome.Waiting("c1", inThreeDays)), report.outcomes().stream()
                .filter(ChangeOutcome.Waiting.class::isInstance).toList());
    }

    @Test
    void run_underThreshold_provisionsConfiguresAndCommits() {
        SimulatedCloud cloud = sim().build();
        FleetState fleet = emptyFleet("shop", 3, "checkout", "critical", "search", "standard");
        FleetStateStore store = storeWith(fleet);
        ProvisioningReport report = provisioner(cloud, store, 10).build()
                .run(plan(fleet, change("c1", "checkout", 3, 1), change("c2", "search", 2, 2)));
        assertInstanceOf(GateDecision.UnderThreshold.class, report.decision());
        assertEquals(2, report.provisioned().size());
        ChangeOutcome.Provisioned first = report.provisioned().get(0);
        assertEquals("c1", first.changeId());
        assertEquals(3, first.instanceIds().size());
        assertEquals(3 * 0.096, first.costPerHour(), 1e-12, "3 x m.large us-east on-demand at 0.096 per hour");
        StoredFleet stored = store.read("shop");
        assertEquals(Fixtures.inventory(cloud, "shop"), Fixtures.counted(stored.state()));
        assertEquals(5, Fixtures.total(Fixtures.counted(stored.state())));
        assertTrue(stored.version() > 3);
        cloud.describe(DescribeRequest.active()).instances().forEach(i ->
                assertEquals("shop", i.configuration().get("fleetpredict.fleet"), "configured as the document says"));
    }

    @Test
    void run_samePlanTwice_secondLaunchesNothing() {
        SimulatedCloud cloud = sim().build();
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        FleetStateStore store = storeWith(fleet);
        PreProvisioner p = provisioner(cloud, store, 10).build();
        ProvisionalFleetState plan = plan(fleet, change("c1", "checkout", 4, 1));
        p.run(plan);
        ProvisioningReport again = p.run(plan);
        assertInstanceOf(ChangeOutcome.AlreadySatisfied.class, again.outcomes().get(0));
        assertEquals(4, Fixtures.total(Fixtures.inventory(cloud, "shop")));
    }

    @Test
    void run_millionInstanceForecast_launchesAtMostTheCapAndSaysSo() {
        SimulatedCloud cloud = sim().defaultQuota(10_000).build();
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        FleetStateStore store = storeWith(fleet);
        HardCaps caps = new HardCaps(40, 100, Duration.ofHours(1), 60, 1_000);
        PreProvisioner p = provisioner(cloud, store, 1e9).caps(caps).build();
        ProvisionalFleetState plan = plan(fleet, change("huge", "checkout", 1_000_000, 1));
        ProvisioningReport first = p.run(plan);
        ChangeOutcome.Provisioned launched = first.provisioned().get(0);
        assertEquals(40, launched.instanceIds().size());
        assertEquals(List.of(HardCaps.Limit.PER_CALL), launched.limitedBy());
        ProvisioningReport second = p.run(plan);
        assertEquals(List.of(HardCaps.Limit.PER_CALL, HardCaps.Limit.FLEET_INSTANCES),
                second.provisioned().get(0).limitedBy());
        ChangeOutcome third = p.run(plan).outcomes().get(0);
        assertInstanceOf(ChangeOutcome.Capped.class, third);
        assertEquals(List.of(HardCaps.Limit.PER_CALL, HardCaps.Limit.FLEET_INSTANCES),
                ((ChangeOutcome.Capped) third).limitedBy());
        System.out.printf("[figure] forecast of 1,000,000 instances with a fleet cap of 60: %d launched, then %s%n",
                Fixtures.total(Fixtures.inventory(cloud, "shop")), third);
        assertEquals(60, Fixtures.total(Fixtures.inventory(cloud, "shop")));
        ProvisioningReport overridden = p.run(plan, new CapOverride(new HardCaps(40, 200, Duration.ofHours(1), 70,
                1_000), "launch day, approved by on-call", "alice"), io.fleetpredict.core.feedback.AuditLog.inMemory());
        assertEquals(10, overridden.provisioned().get(0).instanceIds().size());
        assertEquals("launch day, approved by on-call", overridden.capOverride().orElseThrow().reason());
    }

    @Test
    void run_costCap_limitsByMoney() {
        SimulatedCloud cloud = sim().build();
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        PreProvisioner p = provisioner(cloud, storeWith(fleet), 1e9)
                .caps(new HardCaps(100, 100, Duration.ofHours(1), 100, 1.0)).build();
        ChangeOutcome.Provisioned out = p.run(plan(fleet, change("c", "checkout", 50, 1))).provisioned().get(0);
        // floor(1.0 / 0.096) = 10 instances fit under 1.0 per hour.
        assertEquals(10, out.instanceIds().size());
        assertEquals(List.of(HardCaps.Limit.FLEET_COST), out.limitedBy());
    }

    @Test
    void run_capacityUnavailable_backsOffAndUsesTheNextCheapestAllowedOffer() {
        SimulatedCloud cloud = sim().capacity("us-east", "m.large", 0).build();
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        FleetStateStore store = storeWith(fleet);
        ProvisioningReport report = provisioner(cloud, store, 100).build()
                .run(plan(fleet, change("c", "checkout", 4, 1)));
        ChangeOutcome.Provisioned out = report.provisioned().get(0);
        // Same family and region: m.xlarge (4 cores, 0.192) needs 2, cheaper than m.2xlarge (1 x 0.384 = same)
        // by the tie-break on first found; both cost 0.384 per hour for 8 cores.
        assertEquals("us-east", out.region());
        assertTrue(out.instanceType().startsWith("m."), out.instanceType());
        assertEquals(0.384, out.costPerHour(), 1e-9);
        assertEquals(Fixtures.inventory(cloud, "shop"), Fixtures.counted(store.read("shop").state()));
        FailedIntents.assertOneFailed(store.read("shop"));
    }

    @Test
    void run_partialFulfilment_recordedAndTheRestLaunchedNextCycle() {
        SimulatedCloud cloud = sim().capacity("us-east", "m.large", 3).build();
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        FleetStateStore store = storeWith(fleet);
        PreProvisioner p = provisioner(cloud, store, 100).build();
        ProvisionalFleetState plan = plan(fleet, change("c", "checkout", 5, 1));
        ChangeOutcome.Provisioned first = p.run(plan).provisioned().get(0);
        assertTrue(first.partial());
        assertEquals(3, first.instanceIds().size());
        assertEquals(5, first.requested());
        ChangeOutcome second = p.run(plan).outcomes().get(0);
        // m.large is full now, so the remaining 2 come from the next cheapest m offer.
        assertInstanceOf(ChangeOutcome.Provisioned.class, second);
        assertEquals(Fixtures.inventory(cloud, "shop"), Fixtures.counted(store.read("shop").state()));
        assertInstanceOf(ChangeOutcome.AlreadySatisfied.class, p.run(plan).outcomes().get(0));
    }

    @Test
    void reconcile_instanceNeverReady_givenUpMaxProvisioningTimeAfterItWasDue() {
        SimulatedCloud sim = sim().build();
        NeverReadyCloud cloud = new NeverReadyCloud(sim).stuck(true);
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        FleetStateStore store = storeWith(fleet);
        PreProvisioner p = provisioner(cloud, store, 100).maxProvisioningTime(Duration.ofMinutes(1)).build();
        p.run(plan(fleet, change("c", "checkout", 2, 1)));
        clock.advance(Duration.ofMinutes(4)); // m.large boots in 3 minutes: due at 3, one minute past it now
        assertEquals(List.of(), p.reconcile("shop").givenUp(), "exactly the limit past its due time");
        clock.advance(Duration.ofNanos(1));
        ReconcileReport report = p.reconcile("shop");
        assertEquals(2, report.givenUp().size());
        assertEquals(0, Fixtures.total(Fixtures.inventory(sim, "shop")));
        assertEquals(Map.of(), Fixtures.counted(store.read("shop").state()));
    }

    @Test
    void reconcile_instanceBootingLongerThanMaxProvisioningTime_notGivenUpWhileItBoots() {
        // m.large boots in 3 minutes, longer than the 1-minute limit: pending at 2 minutes, it is booting, not stuck.
        SimulatedCloud cloud = sim().build();
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        FleetStateStore store = storeWith(fleet);
        PreProvisioner p = provisioner(cloud, store, 100).maxProvisioningTime(Duration.ofMinutes(1)).build();
        p.run(plan(fleet, change("c", "checkout", 2, 1)));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(2, cloud.describe(DescribeRequest.active().withStates(Set.of(InstanceState.PENDING)))
                .instances().size(), "still booting");
        assertEquals(List.of(), p.reconcile("shop").givenUp());
        clock.advance(Duration.ofMinutes(2));
        assertEquals(List.of(), p.reconcile("shop").givenUp());
        assertEquals(2, Fixtures.total(Fixtures.inventory(cloud, "shop")), "both ready and kept");
        assertEquals(Fixtures.inventory(cloud, "shop"), Fixtures.counted(store.read("shop").state()));
    }

    @Test
    void run_planOnly_noMutatingCallAndNoWrite() {
        SimulatedCloud sim = sim().build();
        CloudProvider cloud = mock(CloudProvider.class, AdditionalAnswers.delegatesTo(sim));
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        FleetStateStore store = storeWith(fleet);
        ProvisioningReport report = provisioner(cloud, store, 100).mode(PreProvisioner.Mode.PLAN_ONLY).build()
                .run(plan(fleet, change("c", "checkout", 3, 1)));
        ChangeOutcome.Planned planned = assertInstanceOf(ChangeOutcome.Planned.class, report.outcomes().get(0));
        assertEquals(3, planned.count());
        verify(cloud, never()).provision(any());
        verify(cloud, never()).release(any());
        verify(cloud, never()).configure(any());
        assertEquals(1, store.history("shop").size());
    }

    @Test
    void run_staleState_noMutatingCallAndAClearError() {
        SimulatedCloud sim = sim().build();
        CloudProvider cloud = mock(CloudProvider.class, AdditionalAnswers.delegatesTo(sim));
        FleetState stored = emptyFleet("shop", 4, "checkout", "critical");
        FleetState newer = emptyFleet("shop", 9, "checkout", "critical");
        PreProvisioner p = provisioner(cloud, storeWith(stored), 100).build();
        StateStoreException e = assertThrows(StateStoreException.class,
                () -> p.run(plan(newer, change("c", "checkout", 3, 1))));
        assertEquals(StateStoreException.Reason.STALE, e.reason());
        assertTrue(e.getMessage().contains("stored version 4 is older than version 9"), e.getMessage());
        verify(cloud, never()).provision(any());
    }

    @Test
    void run_missingState_noMutatingCallAndAClearError() {
        SimulatedCloud sim = sim().build();
        CloudProvider cloud = mock(CloudProvider.class, AdditionalAnswers.delegatesTo(sim));
        PreProvisioner p = provisioner(cloud, FleetStateStores.inMemory(), 100).build();
        StateStoreException e = assertThrows(StateStoreException.class,
                () -> p.run(plan(emptyFleet("shop", 0, "checkout", "critical"), change("c", "checkout", 3, 1))));
        assertEquals(StateStoreException.Reason.MISSING, e.reason());
        verify(cloud, never()).provision(any());
    }

    @Test
    void run_quotaExceeded_failedOutcomeAndNothingCounted() {
        SimulatedCloud cloud = sim().quota("us-east", "general-purpose", 2).build();
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        ChangeOutcome.Failed failed = launchFive(cloud, store);
        assertEquals(Kind.QUOTA_EXCEEDED, failed.kind());
        assertEquals(Map.of(), Fixtures.counted(store.read("shop").state()));
        FailedIntents.assertOneFailed(store.read("shop"));
    }

    @Test
    void run_providerFailureWithoutMessage_failedOutcomeNamesTheKind() {
        // A host's provider is plain Java: nothing stops it from throwing a CloudException without a message.
        SimulatedCloud sim = sim().build();
        CloudProvider cloud = mock(CloudProvider.class, AdditionalAnswers.delegatesTo(sim));
        doThrow(new CloudException(Kind.QUOTA_EXCEEDED, null)).when(cloud).provision(any());
        FleetStateStore store = storeWith(emptyFleet("shop", 0, "checkout", "critical"));
        ChangeOutcome.Failed failed = launchFive(cloud, store);
        assertEquals(Kind.QUOTA_EXCEEDED, failed.kind());
        assertEquals("quota_exceeded", failed.message());
        FailedIntents.assertOneFailed(store.read("shop"));
    }

    /** Runs a plan launching five checkout instances on the stored fleet; its one outcome must be a failure. */
    private ChangeOutcome.Failed launchFive(CloudProvider cloud, FleetStateStore store) {
        FleetState fleet = store.read("shop").state();
        ChangeOutcome out = provisioner(cloud, store, 100).build()
                .run(plan(fleet, change("c", "checkout", 5, 1))).outcomes().get(0);
        return assertInstanceOf(ChangeOutcome.Failed.class, out);
    }

    @Test
    void builder_plainProvider_isWrappedInAGuardThatRetriesATransientFailure() {
        SimulatedCloud cloud = sim().build();
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        PreProvisioner p = PreProvisioner.builder(cloud).store(storeWith(fleet)).clock(clock)
                .gate(CostGate.builder(100).build()).build();
        cloud.failNext(SimulatedCloud.Operation.OFFERS, 1, Kind.TRANSIENT);
        assertEquals(1, p.gate(plan(fleet, change("c", "checkout", 2, 1))).approved().size());
    }

    @Test
    void builder_guardGiven_isUsedAsItIsNotWrappedInASecondOne() {
        SimulatedCloud cloud = sim().build();
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        GuardedCloud once = GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).maxAttempts(1).build();
        PreProvisioner p = PreProvisioner.builder(once).store(storeWith(fleet)).clock(clock)
                .gate(CostGate.builder(100).build()).build();
        cloud.failNext(SimulatedCloud.Operation.OFFERS, 1, Kind.TRANSIENT);
        CloudException e = assertThrows(CloudException.class, () -> p.gate(plan(fleet, change("c", "checkout", 2, 1))));
        assertEquals(Kind.TRANSIENT, e.kind());
    }

    @Test
    void builder_intentRetentionShorterThanTheCapsWindow_settledIntentsKeptForTheWindow() {
        // A settled launch 2 hours old: the launch cap counts it for a 24-hour window, so a 1-hour retention
        // keeps it; with a 30-minute window the 1-hour retention prunes it.
        assertEquals(List.of("old", "new"), intentsAfterALaunch(Duration.ofHours(24)));
        assertEquals(List.of("new"), intentsAfterALaunch(Duration.ofMinutes(30)));
    }

    private List<String> intentsAfterALaunch(Duration capsWindow) {
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        FleetStateStore store = storeWith(fleet);
        ProvisioningIntent old = new ProvisioningIntent("old", "c0", "fp-key-old", "checkout", "critical", "m.large",
                "us-east", PurchaseOption.ON_DEMAND, 1, 1, 0.096, T0.minus(Duration.ofHours(2)),
                ProvisioningIntent.Status.ABANDONED, List.of());
        store.compareAndSet(0, Fixtures.next(store.read("shop"), List.of(old)));
        PreProvisioner p = provisioner(sim().build(), store, 100).intentRetention(Duration.ofHours(1))
                .caps(HardCaps.builder().window(capsWindow).build()).build();
        p.run(plan(store.read("shop").state(), change("c", "checkout", 1, 1)));
        return store.read("shop").intents().stream()
                .map(i -> i.id().equals("old") ? "old" : "new").toList();
    }

    /** Checks on the intents a run leaves. */
    static final class FailedIntents {
        private FailedIntents() {
        }

        static void assertOneFailed(StoredFleet stored) {
            assertEquals(1, stored.intents().stream()
                    .filter(i -> i.status() == ProvisioningIntent.Status.FAILED).count(), stored.intents().toString());
        }
    }
}
