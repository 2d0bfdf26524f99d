package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The intent journal on its own: what a write prunes, what a commit does to the state and the intents,
 * that a commit or settle losing a compare-and-set to another writer is redone on the fresh state, and
 * that each is idempotent.
 */
class IntentJournalTest {

    private final MutableClock clock = MutableClock.at(T0);
    private final SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(1).build();

    /** A store whose next {@code races} compare-and-sets each lose to another writer that adds an intent first. */
    private static final class RacingStore implements FleetStateStore {
        final FleetStateStore delegate = FleetStateStores.inMemory();
        final AtomicInteger races = new AtomicInteger();
        int lost;

        @Override
        public StoredFleet read(String fleetId) {
            return delegate.read(fleetId);
        }

        @Override
        public boolean create(StoredFleet initial) {
            return delegate.create(initial);
        }

        @Override
        public boolean compareAndSet(long expectedVersion, StoredFleet next) {
            if (races.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                StoredFleet current = delegate.read(next.fleetId());
                List<ProvisioningIntent> intents = new ArrayList<>(current.intents());
                intents.add(Fixtures.intent("other-" + current.version()));
                assertTrue(delegate.compareAndSet(current.version(), Fixtures.next(current, intents)));
                lost++;
            }
            return delegate.compareAndSet(expectedVersion, next);
        }

        @Override
        public List<FleetState> history(String fleetId) {
            return delegate.history(fleetId);
        }
    }

    private final RacingStore store = new RacingStore();
    private final IntentJournal journal = new IntentJournal(store, cloud, clock, Duration.ofHours(24));

    private StoredFleet stored(ProvisioningIntent... intents) {
        store.create(StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical")));
        StoredFleet v0 = store.read("shop");
        assertTrue(store.compareAndSet(0, Fixtures.next(v0, List.of(intents))));
        return store.read("shop");
    }

    private static ProvisioningIntent created(String id, Instant at, ProvisioningIntent.Status status) {
        return new ProvisioningIntent(id, "c1", "fp-key-" + id, "checkout", "critical", "m.large", "us-east",
                PurchaseOption.ON_DEMAND, 2, 2, 0.096, at, status, List.of());
    }

    private static ProvisioningIntent release(String id, List<String> instances) {
        return new ProvisioningIntent(id, "down", "fp-rel-" + id, "checkout", "critical", "m.large", "us-east",
                PurchaseOption.ON_DEMAND, instances.size(), instances.size(), 0.096, T0,
                ProvisioningIntent.Status.OPEN, instances, ProvisioningIntent.Kind.RELEASE);
    }

    private static int count(StoredFleet s) {
        return Fixtures.total(Fixtures.counted(s.state()));
    }

    @Test
    void write_prunesSettledIntentsOlderThanTheRetentionAndKeepsOpenOnesWhateverTheirAge() {
        Instant cutoff = T0.minus(Duration.ofHours(24));
        StoredFleet s = stored(
                created("open-old", cutoff.minusSeconds(3600), ProvisioningIntent.Status.OPEN),
                created("done-old", cutoff.minusNanos(1), ProvisioningIntent.Status.DONE),
                created("done-at-cutoff", cutoff, ProvisioningIntent.Status.DONE),
                created("failed-recent", T0.minusSeconds(60), ProvisioningIntent.Status.FAILED));
        assertTrue(journal.write(s, Fixtures.intent("new"), T0));
        StoredFleet after = store.read("shop");
        assertEquals(List.of("open-old", "done-at-cutoff", "failed-recent", "new"),
                after.intents().stream().map(ProvisioningIntent::id).toList());
        assertEquals(s.version() + 1, after.version());
        assertFalse(journal.write(s, Fixtures.intent("late"), T0), "written against a version no longer current");
    }

    @Test
    void commitLaunch_countsTheInstancesMarksTheIntentDoneAndIsIdempotent() {
        stored(Fixtures.intent("a"));
        long version = journal.commitLaunch("shop", "a", List.of("i-1", "i-2"), null);
        StoredFleet after = store.read("shop");
        assertEquals(after.version(), version);
        assertEquals(Map.of("checkout/m.large/us-east/on_demand", 2), Fixtures.counted(after.state()));
        ProvisioningIntent done = after.intent("a").orElseThrow();
        assertEquals(ProvisioningIntent.Status.DONE, done.status());
        assertEquals(List.of("i-1", "i-2"), done.instanceIds());
        // The capacity per instance comes from the provider's offer: the state held no m.large yet.
        InstanceGroup g = after.state().services().get(0).instanceGroups().get(0);
        assertEquals(cloudCores(), g.capacityPerInstance().stream()
                .filter(a -> a.type() == ResourceType.CPU).findFirst().orElseThrow().amount(), 1e-12);

        assertEquals(version, journal.commitLaunch("shop", "a", List.of("i-1", "i-2"), null), "done already");
        assertEquals(version, store.read("shop").version());
        assertEquals(2, count(store.read("shop")));
    }

    private double cloudCores() {
        return cloud.offers().stream().filter(o -> o.instanceType().equals("m.large") && o.region().equals("us-east"))
                .findFirst().orElseThrow().cpuCores();
    }

    @Test
    void commitLaunch_losingTheCompareAndSet_isRedoneOnTheFreshStateKeepingTheOtherWrite() {
        stored(Fixtures.intent("a"));
        store.races.set(2);
        long version = journal.commitLaunch("shop", "a", List.of("i-1", "i-2"), null);
        assertEquals(2, store.lost);
        StoredFleet after = store.read("shop");
        assertEquals(after.version(), version);
        assertEquals(ProvisioningIntent.Status.DONE, after.intent("a").orElseThrow().status());
        assertEquals(2, count(after), "counted once, not once per attempt");
        assertTrue(after.intent("other-1").isPresent() && after.intent("other-2").isPresent(),
                "the other writer's intents are kept");
    }

    @Test
    void commitRelease_takesTheInstancesOutOfTheStateAndTheirLaunchAndIsIdempotentUnderRaces() {
        stored(Fixtures.intent("up"));
        journal.commitLaunch("shop", "up", List.of("i-1", "i-2"), null);
        StoredFleet launched = store.read("shop");
        List<ProvisioningIntent> intents = new ArrayList<>(launched.intents());
        intents.add(release("down", List.of("i-2")));
        assertTrue(store.compareAndSet(launched.version(), Fixtures.next(launched, intents)));
        store.races.set(1);
        long version = journal.commitRelease("shop", "down");
        assertEquals(1, store.lost);
        StoredFleet after = store.read("shop");
        assertEquals(after.version(), version);
        assertEquals(1, count(after));
        assertEquals(List.of("i-1"), after.intent("up").orElseThrow().instanceIds());
        ProvisioningIntent down = after.intent("down").orElseThrow();
        assertEquals(ProvisioningIntent.Status.DONE, down.status());
        assertEquals(List.of("i-2"), down.instanceIds(), "a release keeps the instances it names");
        assertTrue(after.intent("other-" + (launched.version() + 1)).isPresent());

        assertEquals(version, journal.commitRelease("shop", "down"), "done already");
        assertEquals(1, count(store.read("shop")));
    }

    @Test
    void settle_onlyAnOpenIntentAndRedoneWhenTheCompareAndSetIsLost() {
        stored(Fixtures.intent("a"), created("b", T0, ProvisioningIntent.Status.DONE));
        store.races.set(1);
        assertTrue(journal.settle("shop", "a", ProvisioningIntent.Status.ABANDONED));
        assertEquals(1, store.lost);
        StoredFleet after = store.read("shop");
        assertEquals(ProvisioningIntent.Status.ABANDONED, after.intent("a").orElseThrow().status());
        assertEquals(0, count(after), "the state is not touched");
        long version = after.version();
        assertFalse(journal.settle("shop", "a", ProvisioningIntent.Status.FAILED), "no longer open");
        assertFalse(journal.settle("shop", "b", ProvisioningIntent.Status.FAILED), "done");
        assertFalse(journal.settle("shop", "missing", ProvisioningIntent.Status.FAILED), "never written");
        assertEquals(version, store.read("shop").version(), "nothing written for them");
    }

    @Test
    void inFlight_startedUntilFinished() {
        assertFalse(journal.inFlight("a"));
        journal.started("a");
        assertTrue(journal.inFlight("a"));
        assertFalse(journal.inFlight("b"));
        journal.finished("a");
        assertFalse(journal.inFlight("a"));
    }
}
