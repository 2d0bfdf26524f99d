package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static io.fleetpredict.core.provision.Fixtures.emptyFleet;
import static io.fleetpredict.core.provision.Fixtures.plan;
import static io.fleetpredict.core.provision.Fixtures.scaleIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.ProvisionalFleetState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reconcile against a cloud that forgets: an instance a done launch recorded that the cloud no longer lists
 * has ended, and is taken out of the state once its launch is older than the grace period (10 minutes by
 * default); a younger one may only be missing from a describe that lags the launch, and is kept.
 */
class ReconcilerVanishedTest {

    private static final Duration GRACE = Duration.ofMinutes(10);

    private final MutableClock clock = MutableClock.at(T0);
    private final SimulatedCloud sim = SimulatedCloud.builder().clock(clock).seed(1).build();
    private final ForgetfulCloud cloud = new ForgetfulCloud(sim, clock);
    private final FleetStateStore store = FleetStateStores.inMemory();

    ReconcilerVanishedTest() {
        store.create(StoredFleet.of(emptyFleet("shop", 0, "checkout", "critical")));
    }

    private PreProvisioner.Builder provisioner() {
        return PreProvisioner.builder(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO)
                        .sleeper(clock::advance).seed(1).build())
                .store(store).clock(clock).mode(PreProvisioner.Mode.APPLY).gate(CostGate.builder(1_000).build());
    }

    private List<String> launch(PreProvisioner p, String changeId, int count) {
        ProvisionalFleetState plan = plan(store.read("shop").state(), Fixtures.change(changeId, "checkout", count, 1));
        return p.run(plan).provisioned().get(0).instanceIds();
    }

    /** Ends the instance, and the cloud forgets it before any reconcile has seen it ended. */
    private void endUnseen(String id) {
        sim.release(ReleaseRequest.of("by-hand-" + id, Set.of(id)));
        cloud.forget(id);
    }

    private int counted() {
        return Fixtures.total(Fixtures.counted(store.read("shop").state()));
    }

    private int active() {
        return Fixtures.total(Fixtures.inventory(sim, "shop"));
    }

    /** The ids each done launch intent holds, in the store's order. */
    private List<List<String>> launchedIds() {
        return store.read("shop").intents().stream().filter(i -> i.kind() == ProvisioningIntent.Kind.LAUNCH
                && i.status() == ProvisioningIntent.Status.DONE).map(ProvisioningIntent::instanceIds).toList();
    }

    @Test
    void reconcile_launchedInstanceNoLongerListedPastTheGrace_takenOutOfTheStateAndItsIntent() {
        PreProvisioner p = provisioner().build();
        List<String> ids = launch(p, "up", 3);
        endUnseen(ids.get(1));
        clock.advance(GRACE.plusMinutes(1));

        ReconcileReport report = p.reconcile("shop");

        assertEquals(List.of(ids.get(1)), report.vanished());
        assertEquals(List.of(), report.ended(), "the cloud showed nothing ended");
        assertEquals(2, counted());
        assertEquals(List.of(List.of(ids.get(0), ids.get(2))), launchedIds());
        assertEquals(Fixtures.inventory(sim, "shop"), Fixtures.counted(store.read("shop").state()));
        assertEquals(store.read("shop").version(), report.version());
    }

    @Test
    void reconcile_missingWithinTheGrace_keptUntilListedOrTheGraceHasPassed() {
        PreProvisioner p = provisioner().build();
        List<String> ids = launch(p, "up", 3);
        String lagging = ids.get(0);
        String forgotten = ids.get(2);
        cloud.hideUntil(lagging, clock.instant().plus(Duration.ofMinutes(8)));
        endUnseen(forgotten);
        clock.advance(Duration.ofMinutes(5));

        ReconcileReport early = p.reconcile("shop");
        assertEquals(List.of(), early.vanished(), "both may be a describe lagging the launch");
        assertEquals(3, counted());
        assertEquals(List.of(ids), launchedIds());

        clock.advance(Duration.ofMinutes(5)); // the grace has passed; the lagging one is listed again
        ReconcileReport late = p.reconcile("shop");
        assertEquals(List.of(forgotten), late.vanished());
        assertEquals(2, counted());
        assertEquals(List.of(List.of(lagging, ids.get(1))), launchedIds());
    }

    @Test
    void reconcile_terminatedAndVanishedAmongRunning_eachListedOnceAndASecondReconcileChangesNothing() {
        PreProvisioner p = provisioner().build();
        List<String> first = launch(p, "up", 3);
        List<String> second = launch(p, "more", 2);
        sim.release(ReleaseRequest.of("by-hand", Set.of(first.get(0))));
        endUnseen(first.get(2));
        endUnseen(second.get(1));
        clock.advance(GRACE.plusMinutes(1));

        ReconcileReport report = p.reconcile("shop");

        assertEquals(List.of(first.get(0)), report.ended());
        assertEquals(new TreeSet<>(List.of(first.get(2), second.get(1))), new TreeSet<>(report.vanished()));
        assertEquals(2, counted());
        assertEquals(List.of(List.of(first.get(1)), List.of(second.get(0))), launchedIds());
        assertEquals(Fixtures.inventory(sim, "shop"), Fixtures.counted(store.read("shop").state()));

        ReconcileReport again = p.reconcile("shop");
        assertEquals(List.of(), again.ended());
        assertEquals(List.of(), again.vanished());
        assertEquals(report.version(), again.version(), "nothing written");
        assertEquals(2, counted());
    }

    /** A scale-in of two whose process died after writing its intent, before the release was sent. */
    private ProvisioningIntent openReleaseOfTwo() {
        PreProvisioner crashing = provisioner().checkpoint(step -> {
            if (step == PreProvisioner.Step.AFTER_INTENT) {
                throw new PreProvisionerCrashTest.Crash();
            }
        }).build();
        try {
            crashing.run(plan(store.read("shop").state(),
                    scaleIn("down", "checkout", "m.large", 2, PurchaseOption.ON_DEMAND, 1, clock.instant())));
        } catch (PreProvisionerCrashTest.Crash expected) {
            // the process died before the release was sent
        }
        return store.read("shop").intents().stream()
                .filter(i -> i.kind() == ProvisioningIntent.Kind.RELEASE).findFirst().orElseThrow();
    }

    @Test
    void reconcile_openReleaseNamingAnInstanceTheCloudForgot_releasesTheOthersAndCommitsOnce() {
        PreProvisioner p = provisioner().build();
        launch(p, "up", 3);
        ProvisioningIntent open = openReleaseOfTwo();
        String stillRunning = open.instanceIds().get(0);
        endUnseen(open.instanceIds().get(1));
        clock.advance(GRACE.plusMinutes(1));

        ReconcileReport report = p.reconcile("shop");

        assertEquals(List.of(open.id()), report.released());
        assertEquals(ProvisioningIntent.Status.DONE, store.read("shop").intent(open.id()).orElseThrow().status());
        Instance released = sim.describe(DescribeRequest.all().withInstanceIds(Set.of(stillRunning))).instances()
                .get(0);
        assertFalse(released.state().active(), "released again: " + released.state());
        assertEquals(1, active());
        assertEquals(1, counted());
        assertEquals(List.of(), report.vanished(), "the release owns its instances");
        ReconcileReport again = p.reconcile("shop");
        assertEquals(List.of(), again.released());
        assertEquals(report.version(), again.version());
    }

    @Test
    void reconcile_openReleaseAgainstAProviderListingMoreThanAsked_releasesOnlyItsOwnInstances() {
        PreProvisioner p = provisioner().build();
        List<String> up = launch(p, "up", 3);
        ProvisioningIntent open = openReleaseOfTwo();
        Set<String> untouched = new TreeSet<>(up);
        open.instanceIds().forEach(untouched::remove);
        cloud.ignoreFilters();
        clock.advance(GRACE.plusMinutes(1));

        ReconcileReport report = p.reconcile("shop");

        assertEquals(List.of(open.id()), report.released());
        Set<String> running = sim.describe(DescribeRequest.active().withTags(Map.of(PreProvisioner.TAG_FLEET,
                "shop"))).instances().stream().map(Instance::id).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(untouched, running, "the instance the release does not name still runs");
        assertEquals(1, counted());
    }

    static Stream<Long> seeds() {
        return LongStream.rangeClosed(1, 24).boxed();
    }

    /**
     * Random launches, instances ended by hand (seen ended by the next reconcile), instances that end and
     * are forgotten before any reconcile sees them, and launches a describe lists only after a few minutes;
     * after every reconcile the launches hold exactly the instances that run plus those that ended unseen
     * within the grace, the state counts exactly those, and a second reconcile writes nothing.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void reconcile_randomForgetAndEndSchedules_stateCountsWhatRunsOrHasNotHadTheGraceToBeListed(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        PreProvisioner p = provisioner().build();
        Map<String, Instant> launchedAt = new HashMap<>();
        Map<String, Instant> hiddenUntil = new HashMap<>();
        Set<String> endedSeen = new HashSet<>();
        Set<String> endedUnseen = new HashSet<>();
        for (int step = 0; step < 40; step++) {
            clock.advance(Duration.ofMinutes(1 + random.nextInt(6)));
            Instant now = clock.instant();
            List<String> running = launchedAt.keySet().stream().filter(id -> !endedSeen.contains(id)
                    && !endedUnseen.contains(id) && !hiddenUntil.getOrDefault(id, Instant.MIN).isAfter(now))
                    .sorted().toList();
            int action = random.nextInt(5);
            if (action == 0 || running.isEmpty()) {
                List<String> ids = launch(p, "c" + step, 1 + random.nextInt(3));
                ids.forEach(id -> launchedAt.put(id, now));
                if (random.nextBoolean()) {
                    Instant until = now.plus(Duration.ofMinutes(1 + random.nextInt(9)));
                    cloud.hideUntil(ids.get(0), until);
                    hiddenUntil.put(ids.get(0), until);
                }
            } else if (action == 1) {
                String id = running.get(random.nextInt(running.size()));
                sim.release(ReleaseRequest.of("by-hand-" + id, Set.of(id)));
                endedSeen.add(id);
            } else if (action == 2 && !endedSeen.isEmpty()) {
                cloud.forget(endedSeen.stream().sorted().toList().get(random.nextInt(endedSeen.size())));
            } else if (action == 3) {
                String id = running.get(random.nextInt(running.size()));
                endUnseen(id);
                endedUnseen.add(id);
            }

            ReconcileReport report = p.reconcile("shop");

            Set<String> expected = launchedAt.keySet().stream().filter(id -> !endedSeen.contains(id)
                    && !(endedUnseen.contains(id) && !launchedAt.get(id).plus(GRACE).isAfter(now)))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> held = launchedIds().stream().flatMap(List::stream)
                    .collect(Collectors.toCollection(TreeSet::new));
            String at = "seed " + seed + ", step " + step;
            assertEquals(expected, held, at);
            assertEquals(expected.size(), counted(), at);
            long listedActive = sim.describe(DescribeRequest.all().withInstanceIds(launchedAt.keySet())).instances()
                    .stream().filter(i -> i.state() == InstanceState.PENDING || i.state() == InstanceState.RUNNING)
                    .count();
            assertTrue(counted() >= listedActive, at + ": a running instance was taken out");
            ReconcileReport again = p.reconcile("shop");
            assertEquals(report.version(), again.version(), at + ": a second reconcile wrote");
            assertEquals(List.of(), again.vanished(), at);
            assertEquals(List.of(), again.ended(), at);
        }
        assertFalse(endedUnseen.isEmpty(), "the schedule ended no instance unseen");
        clock.advance(GRACE);
        p.reconcile("shop");
        Set<String> running = new TreeSet<>(launchedAt.keySet());
        running.removeAll(endedSeen);
        running.removeAll(endedUnseen);
        assertEquals(running, launchedIds().stream().flatMap(List::stream)
                .collect(Collectors.toCollection(TreeSet::new)), "seed " + seed + ", past every grace");
        assertEquals(running.size(), counted());
    }
}
