package io.fleetpredict.micrometer;

import static io.fleetpredict.micrometer.FleetPredictorMetricsTest.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.feedback.AccuracyKey;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.PreProvisioner;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The binder under misuse and a misbehaving provider: counts stay true, and a mistake is named. */
class FleetPredictorMetricsInputTest {

    /** For the provider tests: metrics bound to a registry, and a simulated cloud to misbehave in front of. */
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();

    FleetPredictorMetricsInputTest() {
        metrics.bindTo(registry);
    }

    @Test
    void bindTo_sameRegistryTwice_countsAsARegistryBoundOnce() throws IOException {
        SimpleMeterRegistry twice = new SimpleMeterRegistry();
        SimpleMeterRegistry once = new SimpleMeterRegistry();
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        metrics.bindTo(twice);
        metrics.bindTo(once);
        metrics.bindTo(twice);
        FleetPredictorMetricsTest.Loop loop = FleetPredictorMetricsTest.loop(metrics, true);

        metrics.cycle(loop.predictor());
        loop.counted().describe(DescribeRequest.active());

        assertEquals(1, twice.get("fleetpredict.cycle.duration").timer().count());
        assertEquals(1, count(twice, "fleetpredict.gate.decisions"));
        assertTrue(count(once, "fleetpredict.instances.requested") > 0);
        for (String name : List.of("fleetpredict.instances.requested", "fleetpredict.instances.launched",
                "fleetpredict.gate.decisions")) {
            assertEquals(count(once, name), count(twice, name), name);
        }
        assertEquals(count(once, "fleetpredict.cloud.calls", "operation", "describe", "outcome", "ok"),
                count(twice, "fleetpredict.cloud.calls", "operation", "describe", "outcome", "ok"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fleet", "decision", "outcome", "operation", "service", "resource", "horizon", "reason", "kind"})
    void builder_extraTagWithAKeyTheMetersUse_isRefusedNamingIt(String key) {
        FleetPredictorMetrics.Builder b = FleetPredictorMetrics.builder("shop-eu");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.tags(Tags.of("env", "prod").and(key, "x")));
        assertEquals("extra tag '" + key + "' is a key the meters set themselves; they use fleet, decision, outcome, "
                + "operation, service, resource, horizon, reason and kind", e.getMessage());
    }

    @Test
    void instrument_providerThrowingAStrayException_countsTheCallAsAnErrorAndTheGuardsRetry() {
        AtomicInteger failures = new AtomicInteger(1);
        CloudProvider flaky = new ForwardingCloudProvider() {
            @Override
            protected CloudProvider delegate() {
                return cloud;
            }

            @Override
            public DescribeResult describe(DescribeRequest request) {
                if (failures.getAndDecrement() > 0) {
                    throw new IllegalStateException("connection reset");
                }
                return super.describe(request);
            }
        };
        CloudProvider counted = metrics.instrument(flaky);
        IllegalStateException direct = assertThrows(IllegalStateException.class,
                () -> counted.describe(DescribeRequest.active()));
        assertEquals("connection reset", direct.getMessage(), "passed on as it is, for the guard to judge");
        assertEquals(1, count(registry, "fleetpredict.cloud.calls", "operation", "describe", "outcome", "error"));

        failures.set(1);
        CloudProvider guarded = GuardedCloud.builder(counted).callTimeout(Duration.ZERO).sleeper(clock::advance)
                .build();
        guarded.describe(DescribeRequest.active());
        assertEquals(2, count(registry, "fleetpredict.cloud.calls", "operation", "describe", "outcome", "error"));
        assertEquals(1, count(registry, "fleetpredict.cloud.calls", "operation", "describe", "outcome", "ok"));
        assertEquals(2, count(registry, "fleetpredict.cloud.retries", "operation", "describe"),
                "the direct call's repeat and the guard's retry");
    }

    @Test
    void instrument_providerAnsweringNull_countsAnErrorAndLeavesTheGuardToSayWhat() {
        CloudProvider broken = new ForwardingCloudProvider() {
            @Override
            protected CloudProvider delegate() {
                return cloud;
            }

            @Override
            public ReleaseResult release(ReleaseRequest request) {
                return null;
            }

            @Override
            public DescribeResult describe(DescribeRequest request) {
                return null;
            }
        };
        CloudProvider counted = metrics.instrument(broken);

        assertNull(counted.release(ReleaseRequest.of("release-1", List.of("i-1"))));
        assertNull(counted.describe(DescribeRequest.active()));
        assertEquals(1, count(registry, "fleetpredict.cloud.calls", "operation", "release", "outcome", "error"));
        assertEquals(1, count(registry, "fleetpredict.cloud.calls", "operation", "describe", "outcome", "error"));
        assertEquals(0, count(registry, "fleetpredict.instances.released"));
        assertEquals(0, registry.get("fleetpredict.instances.ready").gauge().value());

        CloudProvider guarded = GuardedCloud.builder(counted).callTimeout(Duration.ZERO).sleeper(clock::advance)
                .build();
        CloudException e = assertThrows(CloudException.class, () -> guarded.describe(DescribeRequest.active()));
        assertTrue(e.getMessage().contains("returned null"), e.getMessage());
    }

    @Test
    void record_concurrentWithBindingNewRegistries_countsEveryCycleInTheFirstRegistry() throws Exception {
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        metrics.bindTo(first);
        CycleReport report = metrics.cycle(FleetPredictorMetricsTest.loop(metrics, true).predictor());
        List<SimpleMeterRegistry> later = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread binder = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                SimpleMeterRegistry r = new SimpleMeterRegistry();
                metrics.bindTo(r);
                later.add(r);
            }
        });
        Thread[] recorders = new Thread[3];
        for (int t = 0; t < recorders.length; t++) {
            recorders[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    metrics.record(report);
                }
            });
        }
        binder.start();
        for (Thread t : recorders) {
            t.start();
        }
        for (Thread t : recorders) {
            t.join();
        }
        binder.join();
        assertEquals(601, first.get("fleetpredict.cycle.duration").timer().count());
        for (SimpleMeterRegistry r : later) {
            assertTrue(r.get("fleetpredict.cycle.duration").timer().count() <= 600);
        }
    }

    /**
     * A registry bound while a cycle brings new series gets their accuracy meters. The registry's filter holds
     * the bind at the last meter of the last series known when the bind began, so the bind's walk has passed
     * (nearly) every place a series added now would take; the cycle is then recorded on another thread, and
     * the bind let go once that cycle has ended or waits for the bind.
     */
    @Test
    void bindTo_whileACycleBringsNewSeries_registersTheNewSeriesMetersThereToo() throws Exception {
        AccuracyTracker tracker = AccuracyTracker.builder().build();
        int known = 50;
        for (int i = 0; i < known; i++) {
            tracker.register(new AccuracyKey("known-" + i, ResourceType.CPU, Horizon.SHORT_TERM), 1.0);
        }
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").accuracy(tracker).build();
        metrics.bindTo(new SimpleMeterRegistry());
        CycleReport report = metrics.cycle(FleetPredictorMetricsTest.loop(metrics, true).predictor());
        List<AccuracyKey> added = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            AccuracyKey k = new AccuracyKey("new-" + i, ResourceType.CPU, Horizon.SHORT_TERM);
            tracker.register(k, 1.0);
            added.add(k);
        }
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        AtomicInteger seriesMeters = new AtomicInteger();
        SimpleMeterRegistry late = new SimpleMeterRegistry();
        late.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                // Four meters a series: the last of the known series' is the walk's last registration.
                if (id.getTag("service") != null && seriesMeters.incrementAndGet() == 4 * known) {
                    held.countDown();
                    try {
                        letGo.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return id;
            }
        });
        Thread binder = new Thread(() -> metrics.bindTo(late));
        binder.start();
        assertTrue(held.await(30, TimeUnit.SECONDS), "the bind did not reach the known series");
        Thread recorder = new Thread(() -> metrics.record(report));
        recorder.start();
        awaitEndedOrBlockedBy(recorder, binder);
        letGo.countDown();
        recorder.join();
        binder.join();
        metrics.record(report);

        long missing = added.stream()
                .filter(k -> late.find("fleetpredict.forecast.mape").tag("service", k.service()).gauge() == null)
                .count();
        assertEquals(0, missing, missing + " of " + added.size() + " new series have no gauge on the registry");
        for (String name : List.of("fleetpredict.forecast.coverage", "fleetpredict.forecast.mae",
                "fleetpredict.drift.alarms")) {
            assertEquals(known + added.size(), late.find(name).meters().size(), name);
        }
    }

    /** Waits until {@code thread} has ended, or waits for a lock {@code holder} holds. */
    private static void awaitEndedOrBlockedBy(Thread thread, Thread holder) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            ThreadInfo info = threads.getThreadInfo(thread.getId());
            if (thread.getState() == Thread.State.TERMINATED
                    || info != null && info.getThreadState() == Thread.State.BLOCKED
                    && info.getLockOwnerId() == holder.getId()) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError(thread.getName() + " neither ended nor waited for " + holder.getName());
    }

    /** The catalogue comes back as the provider gave it, and the call is counted. */
    @Test
    void instrument_offers_passesTheCatalogueOnAndCountsTheCall() {
        CloudProvider counted = metrics.instrument(cloud);

        assertEquals(SimulatedCloud.defaultCatalogue(), counted.offers());

        assertEquals(1, count(registry, "fleetpredict.cloud.calls", "operation", "offers", "outcome", "ok"));
    }

    /**
     * Ready counts the fleet's running instances in a describe that sees them all (all, active, or the fleet's
     * active instances): neither the booting, nor the released, nor another fleet's; a describe of some ids leaves
     * it as it was, and a release takes the released out at once. Counted by hand: 3 launched and booted, 1
     * launched later and booting, 1 of the first released, and 2 of another fleet booted.
     */
    @Test
    void instrument_describe_readyIsTheFleetsRunningInstancesOfTheLastDescribeSeeingThemAll() {
        CloudProvider counted = metrics.instrument(cloud);
        Offer offer = SimulatedCloud.defaultCatalogue().get(0);
        Map<String, String> fleet = Map.of(PreProvisioner.TAG_FLEET, "shop-eu");
        List<Instance> first = counted.provision(new ProvisionRequest("p1", offer.instanceType(), offer.region(),
                PurchaseOption.ON_DEMAND, 3, fleet)).instances();
        counted.provision(new ProvisionRequest("o1", offer.instanceType(), offer.region(), PurchaseOption.ON_DEMAND, 2,
                Map.of(PreProvisioner.TAG_FLEET, "shop-us")));
        clock.advance(Duration.ofHours(1));
        counted.provision(new ProvisionRequest("p2", offer.instanceType(), offer.region(), PurchaseOption.ON_DEMAND,
                1, fleet));

        counted.describe(DescribeRequest.all());
        assertEquals(3, registry.get("fleetpredict.instances.ready").gauge().value());
        counted.release(ReleaseRequest.of("r1", List.of(first.get(0).id())));
        assertEquals(2, registry.get("fleetpredict.instances.ready").gauge().value(), "released");

        counted.describe(DescribeRequest.all().withInstanceIds(Set.of(first.get(1).id())));
        counted.describe(DescribeRequest.active().withInstanceIds(Set.of(first.get(1).id())));
        counted.describe(DescribeRequest.active().withTags(Map.of(PreProvisioner.TAG_FLEET, "shop-us")));
        counted.describe(DescribeRequest.all().withStates(Set.of(InstanceState.PENDING)).withTags(fleet));
        assertEquals(2, registry.get("fleetpredict.instances.ready").gauge().value(), "a filtered describe");

        clock.advance(Duration.ofHours(1));
        counted.describe(PreProvisioner.activeFleet("shop-eu"));
        assertEquals(3, registry.get("fleetpredict.instances.ready").gauge().value(), "the fourth has booted");
    }

    /** A request repeated after it succeeded is a new poll, not a retry: only the repeat of a failure counts. */
    @Test
    void instrument_sameRequestAfterASuccess_isNotARetry() {
        CloudProvider counted = metrics.instrument(cloud);
        cloud.failNext(SimulatedCloud.Operation.DESCRIBE, 1, CloudException.Kind.TRANSIENT);
        assertThrows(CloudException.class, () -> counted.describe(DescribeRequest.active()));

        counted.describe(DescribeRequest.active());
        counted.describe(DescribeRequest.active());
        counted.describe(DescribeRequest.active());

        assertEquals(1, count(registry, "fleetpredict.cloud.retries", "operation", "describe"));
        assertEquals(3, count(registry, "fleetpredict.cloud.calls", "operation", "describe", "outcome", "ok"));
        assertEquals(1, count(registry, "fleetpredict.cloud.calls", "operation", "describe", "outcome", "transient"));
    }

    @Test
    void toString_namesTheFleet() {
        assertEquals("FleetPredictorMetrics[shop-eu]", metrics.toString());
    }
}
