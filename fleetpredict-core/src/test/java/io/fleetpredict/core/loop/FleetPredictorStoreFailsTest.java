package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.ProvisioningIntent;
import io.fleetpredict.core.provision.StateStoreException;
import io.fleetpredict.core.provision.StoredFleet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A store whose write fails after the cloud has launched: the cycle's exception names what was launched and
 * says the next cycle adopts it, and the next cycles do, launching nothing twice.
 */
class FleetPredictorStoreFailsTest {

    private static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");

    @Test
    void cycle_storeFailsCommittingALaunch_throwsNamingTheLaunchedInstancesAndTheNextCycleAdoptsThem() {
        MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T00:00:00Z"));
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetStateStore inner = FleetStateStores.inMemory();
        inner.create(StoredFleet.of(new FleetState(1, "shop", 0, clock.instant(), List.of())));
        AtomicInteger writes = new AtomicInteger();
        AtomicBoolean armed = new AtomicBoolean();
        // The first write of the cycle is the launch's intent, the second the commit that counts the launch.
        FleetStateStore store = new FleetStateStore() {
            @Override
            public StoredFleet read(String id) {
                return inner.read(id);
            }

            @Override
            public boolean create(StoredFleet f) {
                return inner.create(f);
            }

            @Override
            public boolean compareAndSet(long v, StoredFleet next) {
                if (armed.get() && writes.incrementAndGet() == 2) {
                    throw new StateStoreException(StateStoreException.Reason.IO, "shop", "disk full", null);
                }
                return inner.compareAndSet(v, next);
            }

            @Override
            public List<FleetState> history(String id) {
                return inner.history(id);
            }
        };
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(cloud).store(store)
                .metric(CPU, MetricKind.GAUGE_MEAN).budget(5.00).mode(PreProvisioner.Mode.APPLY).clock(clock)
                .build();
        int step = 0;
        for (; step < 7 * 24 * 12; step++) {
            fleet.record(CPU, clock.instant(), cpu(step));
            clock.advance(Duration.ofMinutes(5));
        }
        armed.set(true);

        StateStoreException e = assertThrows(StateStoreException.class, fleet::cycle);

        List<Instance> launched = cloud.describe(DescribeRequest.active()).instances();
        assertTrue(!launched.isEmpty(), "the cloud launched before the store failed");
        assertEquals(StateStoreException.Reason.IO, e.reason());
        String m = e.getMessage();
        for (Instance i : launched) {
            assertTrue(m.contains(i.id()), m);
        }
        assertTrue(m.contains("launched " + launched.size() + " x ") && m.contains("for service checkout")
                && m.contains("disk full") && m.contains("next cycle"), m);
        ProvisioningIntent open = inner.read("shop").intents().stream()
                .filter(i -> i.status() == ProvisioningIntent.Status.OPEN).findFirst().orElseThrow();
        assertTrue(m.contains("intent " + open.id() + " stays open"), m);

        // The next cycles count the open intent and adopt it: the store comes to hold what the cloud runs.
        for (int c = 0; c < 3; c++) {
            fleet.record(CPU, clock.instant(), cpu(step++));
            clock.advance(Duration.ofMinutes(5));
            fleet.cycle();
        }
        List<Instance> active = cloud.describe(DescribeRequest.active()).instances();
        assertEquals(active.size(), inner.read("shop").state().services().stream()
                .flatMap(s -> s.instanceGroups().stream()).mapToInt(InstanceGroup::count).sum());
        assertTrue(active.stream().map(Instance::id).toList().containsAll(launched.stream().map(Instance::id).toList()));
        assertTrue(inner.read("shop").intents().stream().noneMatch(i -> i.status() == ProvisioningIntent.Status.OPEN));
    }

    private static double cpu(int step) {
        double hour = step / 12.0 % 24;
        return 6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + Math.sin(step);
    }
}
