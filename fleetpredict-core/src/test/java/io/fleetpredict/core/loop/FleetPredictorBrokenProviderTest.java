package io.fleetpredict.core.loop;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.provision.ChangeOutcome;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.Fixtures;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.ProvisioningIntent;
import io.fleetpredict.core.provision.StoredFleet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A provider that breaks its contract by answering {@code null}: the cycle reports a typed failure, the store keeps
 * only what runs, and the next cycle with the provider mended launches what is missing.
 */
class FleetPredictorBrokenProviderTest {

    static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");

    /** The simulated cloud, answering null to every provision from the {@code nullFrom}-th on while broken. */
    static final class NullProvisions extends ForwardingCloudProvider {
        final SimulatedCloud sim;
        final int nullFrom;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean broken = new AtomicBoolean(true);

        NullProvisions(SimulatedCloud sim, int nullFrom) {
            this.sim = sim;
            this.nullFrom = nullFrom;
        }

        @Override
        protected CloudProvider delegate() {
            return sim;
        }

        @Override
        public @Nullable ProvisionResult provision(ProvisionRequest request) {
            return broken.get() && calls.incrementAndGet() >= nullFrom ? null : sim.provision(request);
        }
    }

    /** The guide's first cycle: a week of checkout's CPU every five minutes, on the predictor's clock. */
    static void recordAWeek(FleetPredictor fleet, MutableClock clock) {
        for (int step = 0; step < 7 * 24 * 12; step++) {
            recordOne(fleet, clock, step);
        }
    }

    static void recordOne(FleetPredictor fleet, MutableClock clock, int step) {
        double hour = step / 12.0 % 24;
        fleet.record(CPU, clock.instant(), 6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + Math.sin(step));
        clock.advance(Duration.ofMinutes(5));
    }

    static FleetStateStore emptyShop(MutableClock clock) {
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(new FleetState(1, "shop", 0, clock.instant(), List.of())));
        return store;
    }

    static FleetPredictor fleet(CloudProvider provider, FleetStateStore store, MutableClock clock) {
        // The guard waits on nothing, so the retries take no time.
        return FleetPredictor.builder("shop")
                .cloud(GuardedCloud.builder(provider).callTimeout(Duration.ZERO).sleeper(d -> { }).seed(1).build())
                .metric(CPU, MetricKind.GAUGE_MEAN).budget(5).mode(PreProvisioner.Mode.APPLY).store(store)
                .clock(clock).build();
    }

    @ParameterizedTest(name = "null from provision call {0}")
    @ValueSource(ints = {1, 2})
    void cycle_provisionAnswersNull_failureReportedStoreMatchesTheCloudAndTheNextCycleLaunchesTheRest(int nullFrom) {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        NullProvisions provider = new NullProvisions(sim, nullFrom);
        FleetStateStore store = emptyShop(clock);
        FleetPredictor fleet = fleet(provider, store, clock);
        recordAWeek(fleet, clock);

        CycleReport first = fleet.cycle();
        List<ChangeOutcome.Failed> failed = first.provisioning().outcomes().stream()
                .filter(ChangeOutcome.Failed.class::isInstance).map(ChangeOutcome.Failed.class::cast).toList();
        assertEquals(nullFrom == 1 ? 2 : 1, failed.size(), first.summary());
        for (ChangeOutcome.Failed f : failed) {
            assertEquals(CloudException.Kind.TRANSIENT, f.kind());
            assertTrue(f.message().contains("provider sim broke its contract: provision returned null"), f.message());
        }
        StoredFleet stored = store.read("shop");
        assertEquals(Fixtures.inventory(sim, "shop"), Fixtures.counted(stored.state()));
        assertTrue(stored.intents().stream().noneMatch(i -> i.status() == ProvisioningIntent.Status.OPEN),
                "nothing was launched under a failed intent, so none stays open");

        provider.broken.set(false);
        recordOne(fleet, clock, 7 * 24 * 12);
        CycleReport next = fleet.cycle();
        Map<String, Integer> runs = Fixtures.inventory(sim, "shop");
        assertEquals(runs, Fixtures.counted(store.read("shop").state()));
        assertTrue(next.provisioning().outcomes().stream().noneMatch(ChangeOutcome.Failed.class::isInstance),
                next.summary());
        // What failed is launched now, not taken as already on its way.
        for (ChangeOutcome.Failed f : failed) {
            PurchaseOption option = first.plan().provisionalChanges().stream()
                    .filter(c -> c.id().equals(f.changeId())).findFirst().orElseThrow().purchaseOption();
            assertTrue(next.provisioning().outcomes().stream().anyMatch(o -> o instanceof ChangeOutcome.Provisioned p
                    && p.purchaseOption() == option && !p.instanceIds().isEmpty()), next.summary());
            assertTrue(runs.getOrDefault("checkout/t.small/us-east/" + option.jsonName(), 0) > 0, runs.toString());
        }
    }

    @Test
    void cycle_describeAnswersNull_typedCloudExceptionNamingTheProviderAndTheCall() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        CloudProvider provider = new ForwardingCloudProvider() {
            @Override
            protected CloudProvider delegate() {
                return sim;
            }

            @Override
                public @Nullable DescribeResult describe(DescribeRequest request) {
                return null;
            }
        };
        FleetStateStore store = emptyShop(clock);
        FleetPredictor fleet = fleet(provider, store, clock);
        recordAWeek(fleet, clock);
        CloudException e = assertThrows(CloudException.class, fleet::cycle);
        assertTrue(e.getMessage().contains("provider sim broke its contract: describe returned null"), e.getMessage());
        assertInstanceOf(CloudException.class, assertThrows(CloudException.class, fleet::reconcile));
        assertEquals(0, store.read("shop").version(), "nothing was written");
    }
}
