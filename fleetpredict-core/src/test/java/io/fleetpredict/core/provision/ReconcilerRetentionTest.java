package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static io.fleetpredict.core.provision.Fixtures.emptyFleet;
import static io.fleetpredict.core.provision.Fixtures.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.ServiceState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Instances that run longer than the intent retention (24 hours by default): their done launch intent is
 * kept while it holds any of them, so reconcile still sees them end; an emptied launch is pruned like any
 * settled intent; and running instances a state from an earlier version counts but no intent holds are
 * adopted, once, with the counts unchanged.
 */
class ReconcilerRetentionTest {

    private static final Duration RETENTION = Duration.ofHours(24);

    private final MutableClock clock = MutableClock.at(T0);
    private final SimulatedCloud sim = SimulatedCloud.builder().clock(clock).seed(1).build();
    private final ForgetfulCloud cloud = new ForgetfulCloud(sim, clock);
    private final FleetStateStore store = FleetStateStores.inMemory();

    ReconcilerRetentionTest() {
        store.create(StoredFleet.of(emptyFleet("shop", 0, "checkout", "critical")));
    }

    private PreProvisioner provisioner() {
        return provisioner(store);
    }

    private PreProvisioner provisioner(FleetStateStore store) {
        return PreProvisioner.builder(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO)
                        .sleeper(clock::advance).seed(1).build())
                .store(store).clock(clock).mode(PreProvisioner.Mode.APPLY).gate(CostGate.builder(1_000).build())
                .intentRetention(RETENTION).build();
    }

    private static List<String> launch(PreProvisioner p, FleetStateStore store, String changeId, int count,
            PurchaseOption option) {
        ProvisionalFleetState plan = plan(store.read("shop").state(),
                Fixtures.change(changeId, "checkout", count, 1, option, T0.plusSeconds(3600)));
        return p.run(plan).provisioned().get(0).instanceIds();
    }

    private List<String> launch(PreProvisioner p, String changeId, int count) {
        return launch(p, store, changeId, count, PurchaseOption.ON_DEMAND);
    }

    private int counted() {
        return Fixtures.total(Fixtures.counted(store.read("shop").state()));
    }

    private int active() {
        return Fixtures.total(Fixtures.inventory(sim, "shop"));
    }

    private Set<String> activeIds() {
        return sim.describe(DescribeRequest.active().withTags(Map.of(PreProvisioner.TAG_FLEET, "shop"))).instances()
                .stream().map(Instance::id).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The ids the done launch intents hold. */
    private Set<String> held() {
        return store.read("shop").intents().stream().filter(i -> i.kind() == ProvisioningIntent.Kind.LAUNCH
                && i.status() == ProvisioningIntent.Status.DONE).flatMap(i -> i.instanceIds().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> intentIds() {
        return store.read("shop").intents().stream().map(ProvisioningIntent::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void reconcile_instanceLaunchedLongerThanTheRetentionAgoThenReleasedByHand_takenOutOfTheState() {
        PreProvisioner p = provisioner();
        List<String> old = launch(p, "old", 3);
        clock.advance(RETENTION.plusHours(2));
        launch(p, "new", 1); // a write, which prunes what the retention lets go
        sim.release(ReleaseRequest.of("by-hand", Set.of(old.get(1))));

        ReconcileReport report = p.reconcile("shop");

        assertEquals(List.of(old.get(1)), report.ended());
        assertEquals(3, counted());
        assertEquals(active(), counted());
    }

    @Test
    void reconcile_instanceLaunchedLongerThanTheRetentionAgoThenForgottenByTheCloud_takenOutOfTheState() {
        PreProvisioner p = provisioner();
        List<String> old = launch(p, "old", 2);
        clock.advance(RETENTION.multipliedBy(3));
        launch(p, "new", 1);
        sim.release(ReleaseRequest.of("by-hand", Set.of(old.get(0))));
        cloud.forget(old.get(0));

        ReconcileReport report = p.reconcile("shop");

        assertEquals(List.of(old.get(0)), report.vanished());
        assertEquals(2, counted());
        assertEquals(active(), counted());
    }

    @Test
    void reconcile_spotInstancesInterruptedDaysAfterTheirLaunch_takenOutOfTheState() {
        PreProvisioner p = provisioner();
        Set<String> spot = new TreeSet<>(launch(p, store, "spot", 6, PurchaseOption.SPOT));
        boolean endedOld = false;
        for (int day = 1; day <= 60 && !endedOld; day++) {
            Set<String> runningSpot = new TreeSet<>(spot);
            runningSpot.retainAll(activeIds());
            clock.advance(RETENTION.plusHours(1));
            launch(p, "c" + day, 1); // a write, which prunes what the retention lets go

            p.reconcile("shop");

            assertEquals(active(), counted(), "day " + day);
            // Running a retention and more after their launch, so an earlier version had pruned their intent.
            endedOld = day > 1 && !activeIds().containsAll(runningSpot);
        }
        assertTrue(endedOld, "no spot instance was interrupted after its first day");
    }

    @Test
    void write_doneLaunchHoldingARunningInstance_keptThroughManyRetentions() {
        PreProvisioner p = provisioner();
        launch(p, "old", 2);
        String oldIntent = store.read("shop").intents().get(0).id();
        for (int day = 1; day <= 5; day++) {
            clock.advance(RETENTION.plusHours(1));
            launch(p, "c" + day, 1);
        }

        assertTrue(intentIds().contains(oldIntent), "pruned while its instances run: " + intentIds());
        assertEquals(activeIds(), held());
    }

    @Test
    void write_launchEmptiedByEndedInstances_prunedOnceOlderThanTheRetention() {
        PreProvisioner p = provisioner();
        List<String> old = launch(p, "old", 2);
        String oldIntent = store.read("shop").intents().get(0).id();
        clock.advance(Duration.ofHours(2));
        sim.release(ReleaseRequest.of("by-hand", Set.copyOf(old)));
        p.reconcile("shop");
        launch(p, "young", 1); // within the retention: the emptied launch stays

        assertTrue(intentIds().contains(oldIntent), "pruned within the retention: " + intentIds());

        clock.advance(RETENTION);
        launch(p, "later", 1);

        assertFalse(intentIds().contains(oldIntent), "kept once empty and older than the retention");
        assertEquals(activeIds(), held());
        assertEquals(2, counted());
    }

    /** The store as an earlier version left it: the done launch holding {@code ids} pruned. */
    private void pruneAsBefore(List<String> ids) {
        StoredFleet s = store.read("shop");
        List<ProvisioningIntent> kept = s.intents().stream().filter(i -> !(i.kind() == ProvisioningIntent.Kind.LAUNCH
                && i.instanceIds().stream().anyMatch(ids::contains))).toList();
        assertTrue(store.compareAndSet(s.version(), Fixtures.next(s, kept)));
    }

    /** Sets the count of the fleet's one instance group, as an earlier version's state may hold it. */
    private void recount(int count) {
        StoredFleet s = store.read("shop");
        FleetState st = s.state();
        ServiceState checkout = st.services().get(0);
        InstanceGroup g = checkout.instanceGroups().get(0);
        FleetState recounted = new FleetState(st.schemaVersion(), st.fleetId(), st.version() + 1, st.asOf(),
                List.of(new ServiceState(checkout.name(), checkout.slaTier(), List.of(new InstanceGroup(
                        g.instanceType(), g.region(), g.purchaseOption(), count, g.capacityPerInstance())),
                        checkout.allocatedResources())));
        assertTrue(store.compareAndSet(s.version(), new StoredFleet(recounted, s.intents())));
    }

    /** The describes that look for orphans: active instances by tag, no ids. */
    /**
     * The describes of the fleet's whole active fleet since {@code from}: a reconcile's sweep of ended
     * instances makes one when a launch holds an instance; a search for orphans would make another.
     */
    private List<DescribeRequest> activeFleetDescribes(int from) {
        List<DescribeRequest> all = cloud.describes();
        return all.subList(from, all.size()).stream()
                .filter(r -> r.states().equals(DescribeRequest.active().states()) && r.instanceIds().isEmpty())
                .toList();
    }

    @Test
    void reconcile_orphansFromAnEarlierVersion_adoptedOnceWithTheCountsUnchangedAndTheirEndSeen() {
        PreProvisioner p = provisioner();
        List<String> orphans = launch(p, "old", 3);
        clock.advance(RETENTION.plusHours(1));
        launch(p, "new", 1);
        pruneAsBefore(orphans);
        p = provisioner(); // this version starts on the state an earlier one left
        Map<String, Integer> before = Fixtures.counted(store.read("shop").state());

        ReconcileReport report = p.reconcile("shop");

        assertEquals(new TreeSet<>(orphans), new TreeSet<>(report.orphans()));
        assertEquals(before, Fixtures.counted(store.read("shop").state()), "the counts already included them");
        assertEquals(activeIds(), held());
        ProvisioningIntent adopted = store.read("shop").intents().stream()
                .filter(i -> i.changeId().equals(Reconciler.ORPHANS_CHANGE_ID)).findFirst().orElseThrow();
        assertTrue(adopted.createdAt().isBefore(clock.instant().minus(RETENTION)),
                "outside every caps window: " + adopted.createdAt());

        ReconcileReport again = p.reconcile("shop");
        assertEquals(List.of(), again.orphans());
        assertEquals(report.version(), again.version(), "a second reconcile wrote");

        sim.release(ReleaseRequest.of("by-hand", Set.of(orphans.get(0))));
        ReconcileReport ended = p.reconcile("shop");
        assertEquals(List.of(orphans.get(0)), ended.ended());
        assertEquals(3, counted());
        assertEquals(active(), counted());
    }

    @Test
    void reconcile_moreTaggedInstancesThanTheStateCountsUnheld_adoptsOnlyAsManyAsItCounts() {
        PreProvisioner p = provisioner();
        List<String> orphans = launch(p, "old", 3);
        pruneAsBefore(orphans);
        recount(2); // an earlier version's state that no longer counted one of them
        clock.advance(RETENTION.plusHours(1));
        p = provisioner(); // this version starts on the state an earlier one left

        ReconcileReport report = p.reconcile("shop");

        assertEquals(2, report.orphans().size());
        assertEquals(2, counted());
        assertEquals(2, held().size());
        assertEquals(List.of(), p.reconcile("shop").orphans());
    }

    @Test
    void reconcile_stateCountingUntaggedInstancesAndNoOrphans_writesNothing() {
        StoredFleet s = store.read("shop");
        FleetState st = s.state();
        FleetState counting = new FleetState(st.schemaVersion(), st.fleetId(), st.version() + 1, st.asOf(),
                List.of(new ServiceState("checkout", "critical", List.of(Fixtures.group("m.large", 5)), List.of())));
        assertTrue(store.compareAndSet(s.version(), new StoredFleet(counting, s.intents())));
        PreProvisioner p = provisioner();
        launch(p, "new", 1);
        long version = store.read("shop").version();
        clock.advance(RETENTION.multipliedBy(2));

        ReconcileReport report = p.reconcile("shop");

        assertEquals(List.of(), report.orphans(), "the new launch is held, the five were launched otherwise");
        assertEquals(version, report.version());
        assertEquals(6, counted());
        int before = cloud.describes().size();
        p.reconcile("shop");
        assertEquals(List.of(PreProvisioner.activeFleet("shop")), activeFleetDescribes(before),
                "the sweep's only: orphans are looked for once, the five untagged would cost a describe every cycle");
    }

    @Test
    void reconcile_youngTaggedInstanceNoIntentHolds_notAdopted() {
        PreProvisioner p = provisioner();
        List<String> ids = launch(p, "new", 2);
        pruneAsBefore(ids);
        clock.advance(RETENTION.minusHours(1));
        p = provisioner(); // a provisioner that has not looked for orphans yet

        assertEquals(List.of(), p.reconcile("shop").orphans(), "no intent younger than the retention is pruned");
        assertEquals(Set.of(), held());
    }

    @Test
    void reconcile_orphansBesideALaunchStillHeld_adoptsOnlyWhatNoIntentHoldsUpToTheCount() {
        PreProvisioner p = provisioner();
        List<String> kept = launch(p, "kept", 2);
        List<String> orphans = launch(p, "old", 3);
        pruneAsBefore(orphans);
        recount(4); // the held two and two of the three no intent holds
        clock.advance(RETENTION.plusHours(1));
        p = provisioner();

        ReconcileReport report = p.reconcile("shop");

        assertEquals(orphans.subList(0, 2), report.orphans(), "the oldest unheld, as many as the count exceeds");
        Set<String> expected = new TreeSet<>(kept);
        expected.addAll(orphans.subList(0, 2));
        assertEquals(expected, held());
        assertEquals(4, counted());
    }

    @Test
    void reconcile_orphansCountedAsReservedAndAsSpot_adoptedIntoTheGroupsThatCountThem() {
        PreProvisioner p = provisioner();
        List<String> reserved = launch(p, store, "reserved", 2, PurchaseOption.RESERVED);
        List<String> spot = launch(p, store, "spot", 1, PurchaseOption.SPOT);
        pruneAsBefore(reserved);
        pruneAsBefore(spot);
        clock.advance(RETENTION.plusHours(1));
        p = provisioner();
        Map<String, Integer> before = Fixtures.counted(store.read("shop").state());

        ReconcileReport report = p.reconcile("shop");

        Set<String> all = new TreeSet<>(reserved);
        all.addAll(spot);
        assertEquals(all, new TreeSet<>(report.orphans()));
        Map<PurchaseOption, Set<String>> byOption = store.read("shop").intents().stream()
                .filter(i -> i.changeId().equals(Reconciler.ORPHANS_CHANGE_ID))
                .collect(Collectors.groupingBy(ProvisioningIntent::purchaseOption,
                        Collectors.flatMapping(i -> i.instanceIds().stream(), Collectors.toCollection(TreeSet::new))));
        assertEquals(Map.of(PurchaseOption.RESERVED, new TreeSet<>(reserved), PurchaseOption.SPOT,
                new TreeSet<>(spot)), byOption, "reserved capacity runs on on-demand instances");
        assertEquals(before, Fixtures.counted(store.read("shop").state()));
    }

    @Test
    void reconcile_everyCountedInstanceHeld_noDescribeLooksForOrphans() {
        PreProvisioner p = provisioner();
        launch(p, "up", 3);
        clock.advance(RETENTION.plusHours(1));
        p = provisioner();
        int from = cloud.describes().size();

        assertEquals(List.of(), p.reconcile("shop").orphans());
        assertEquals(List.of(PreProvisioner.activeFleet("shop")), activeFleetDescribes(from),
                "the sweep's only: nothing to adopt, nothing to look for");
    }

    @Test
    void reconcile_providerListingMoreThanAsked_adoptsOnlyRunningInstancesOfTheFleetAndService() {
        PreProvisioner p = provisioner();
        List<String> orphans = launch(p, "old", 3);
        pruneAsBefore(orphans);
        sim.release(ReleaseRequest.of("by-hand", Set.of(orphans.get(0)))); // ended before the upgrade
        sim.provision(new ProvisionRequest("other-fleet", "m.large", "us-east", PurchaseOption.ON_DEMAND, 1,
                Map.of(PreProvisioner.TAG_FLEET, "other", PreProvisioner.TAG_SERVICE, "checkout")));
        sim.provision(new ProvisionRequest("no-service", "m.large", "us-east", PurchaseOption.ON_DEMAND, 1,
                Map.of(PreProvisioner.TAG_FLEET, "shop")));
        clock.advance(RETENTION.plusHours(1));
        cloud.ignoreFilters();
        p = provisioner();

        ReconcileReport report = p.reconcile("shop");

        assertEquals(orphans.subList(1, 3), report.orphans(),
                "neither the ended one, another fleet's, nor one serving no service");
    }

    static Stream<Long> seeds() {
        return LongStream.rangeClosed(1, 16).boxed();
    }

    /**
     * Launches (on demand and spot) and ends (spot interruptions, releases by hand, instances ended and
     * forgotten by the cloud) at random over about eight retentions, an hour to six apart: after every
     * reconcile the state counts exactly the instances the cloud lists active and the done launches hold
     * exactly those; after every write each kept intent holds an instance or is younger than the
     * retention.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void reconcile_randomLaunchAndEndSchedulesOverSeveralRetentions_stateCountsWhatTheCloudRuns(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        PreProvisioner p = provisioner();
        int oldEnded = 0;
        for (int step = 0; step < 60; step++) {
            clock.advance(Duration.ofMinutes(60 + random.nextInt(300)));
            Instant now = clock.instant();
            List<Instance> running = sim.describe(DescribeRequest.active()
                    .withTags(Map.of(PreProvisioner.TAG_FLEET, "shop"))).instances().stream()
                    .sorted(Comparator.comparing(Instance::launchedAt).thenComparing(Instance::id)).toList();
            int action = random.nextInt(4);
            String at = "seed " + seed + ", step " + step;
            if (action == 0 || running.isEmpty()) {
                launch(p, store, "c" + step, 1 + random.nextInt(3),
                        random.nextBoolean() ? PurchaseOption.SPOT : PurchaseOption.ON_DEMAND);
                for (ProvisioningIntent i : store.read("shop").intents()) {
                    assertTrue(!i.instanceIds().isEmpty() || !i.createdAt().isBefore(now.minus(RETENTION)),
                            at + ": an emptied launch older than the retention outlived a write: " + i);
                }
            } else {
                // The oldest half the time: the instances whose launch an earlier version pruned.
                Instance ending = running.get(random.nextBoolean() ? 0 : random.nextInt(running.size()));
                String id = ending.id();
                oldEnded += ending.launchedAt().isBefore(now.minus(RETENTION)) ? 1 : 0;
                sim.release(ReleaseRequest.of("by-hand-" + id, Set.of(id)));
                if (action == 2) {
                    cloud.forget(id);
                }
            }

            p.reconcile("shop");

            assertEquals(active(), counted(), at);
            assertEquals(activeIds(), held(), at);
        }
        assertTrue(oldEnded > 0, "seed " + seed + ": no instance ended after the retention");
    }

    @Test
    void reconcile_orphansTheProviderDatesBeforeYear0000_adoptedAsOfYear0000AndReadBackFromTheDirectoryStore(
            @TempDir Path dir) {
        // Launched, by an earlier version, at a time the provider gives as year -1.
        clock.set(Instant.parse("-0001-06-01T00:00:00Z"));
        List<String> orphans = sim.provision(new ProvisionRequest("old", "m.large", "us-east",
                PurchaseOption.ON_DEMAND, 2, Map.of(PreProvisioner.TAG_FLEET, "shop", PreProvisioner.TAG_SERVICE,
                        "checkout"))).instances().stream().map(Instance::id).sorted().toList();
        clock.set(T0);
        FleetStateStore files = FleetStateStores.directory(dir);
        FleetState st = emptyFleet("shop", 0, "checkout", "critical");
        files.create(StoredFleet.of(new FleetState(st.schemaVersion(), "shop", 0, st.asOf(), List.of(
                new ServiceState("checkout", "critical", List.of(Fixtures.group("m.large", 2)), List.of())))));

        ReconcileReport report = provisioner(files).reconcile("shop");

        // An intent holds only an instant a document holds: the adoption is written as of year 0000, still
        // outside every caps window, and the store reads back what it committed.
        assertEquals(orphans, report.orphans().stream().sorted().toList());
        ProvisioningIntent adopted = FleetStateStores.directory(dir).read("shop").intents().stream()
                .filter(i -> i.changeId().equals(Reconciler.ORPHANS_CHANGE_ID)).findFirst().orElseThrow();
        assertEquals(Documents.EARLIEST_INSTANT, adopted.createdAt());
        assertEquals(orphans, adopted.instanceIds().stream().sorted().toList());
    }
}
