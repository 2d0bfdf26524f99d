package io.fleetpredict.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.feedback.AccuracyKey;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.feedback.CusumDriftDetector;
import io.fleetpredict.core.feedback.PredictedPoint;
import io.fleetpredict.core.feedback.PredictionInterval;
import io.fleetpredict.core.feedback.Recorded;
import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.projection.CapacityOffers;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.provision.ChangeOutcome;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.ProvisioningReport;
import io.fleetpredict.core.provision.StateStoreException;
import io.fleetpredict.core.provision.StoredFleet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The binder on a real loop: {@link FleetPredictor} over the documented example fleet, the simulated cloud
 * throttling once, and an accuracy tracker with hand-computed errors.
 */
class FleetPredictorMetricsTest {

    static final Path EXAMPLES = Path.of("..", "docs", "examples");

    static <T extends io.fleetpredict.core.document.Document> T example(String name, Class<T> type) throws IOException {
        return Documents.read(Files.readString(EXAMPLES.resolve(name)), type);
    }

    /** A loop over the example documents; the store is seeded unless {@code seed} is false. */
    record Loop(FleetPredictor predictor, SimulatedCloud cloud, CloudProvider counted, MutableClock clock) {
    }

    /** The example loop's builder, every part but the cloud given; the cloud sells the example catalogue. */
    record Parts(FleetPredictor.Builder builder, SimulatedCloud cloud, MutableClock clock) {
    }

    static Parts parts(boolean seed) throws IOException {
        FleetState fleet = example("fleet-state.json", FleetState.class);
        PredictedFleetState predicted = example("predicted-fleet-state.json", PredictedFleetState.class);
        SlaPolicies sla = example("sla-policies.json", SlaPolicies.class);
        InstanceCatalogue catalogue = example("instance-catalogue.json", InstanceCatalogue.class);
        MutableClock clock = MutableClock.at(fleet.asOf());
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).catalogue(catalogue.toCloudOffers()).build();
        FleetStateStore store = FleetStateStores.inMemory();
        if (seed) {
            store.create(StoredFleet.of(fleet));
        }
        FleetPredictor.Builder b = FleetPredictor.builder(fleet.fleetId())
                .predict(now -> List.of(predicted))
                .projection(ProjectionEngine.builder().slaPolicies(sla).offers(CapacityOffers.fromCatalogue(catalogue))
                        .clock(clock).build())
                .events(new EventFeed(1, List.of()))
                .store(store).slaPolicies(sla).thresholds(1_000, 1_000).mode(PreProvisioner.Mode.APPLY).clock(clock);
        return new Parts(b, cloud, clock);
    }

    static Loop loop(FleetPredictorMetrics metrics, boolean seed) throws IOException {
        Parts parts = parts(seed);
        CloudProvider counted = metrics.instrument(parts.cloud());
        FleetPredictor p = parts.builder()
                .cloud(GuardedCloud.builder(counted).callTimeout(Duration.ZERO).sleeper(parts.clock()::advance).build())
                .build();
        return new Loop(p, parts.cloud(), counted, parts.clock());
    }

    /** The README's sample (quoted there verbatim; ReadmeSamplesTest in fleetpredict-cli checks). */
    @Test
    void readmeSample_bindsAndRecordsACycle() throws IOException {
        MeterRegistry registry = new SimpleMeterRegistry();
        AccuracyTracker tracker = AccuracyTracker.builder().build();
        Parts parts = parts(true);
        FleetPredictor.Builder builder = parts.builder();
        CloudProvider provider = parts.cloud();
        // tag::sample[]
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").accuracy(tracker).build();
        metrics.bindTo(registry);                                    // the host's MeterRegistry
        FleetPredictor loop = builder.cloud(metrics.instrument(provider)).build();   // counts calls and retries
        CycleReport report = metrics.cycle(loop);                    // instead of loop.cycle()
        // end::sample[]
        assertEquals(1, registry.get("fleetpredict.cycle.duration").timer().count());
        assertEquals(report.provisioning().decision().costPerHour(),
                registry.get("fleetpredict.cost.planned").gauge().value(), 1e-12);
        assertTrue(count(registry, "fleetpredict.cloud.calls", "operation", "provision", "outcome", "ok") >= 1);
    }

    static double count(MeterRegistry r, String name, String... tags) {
        return r.get(name).tags(tags).counter().count();
    }

    @Test
    void cycle_onARealLoop_publishesCostsInstancesDecisionsRetriesAndThrottles() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").tags(Tags.of("env", "test")).build();
        metrics.bindTo(registry);
        Loop loop = loop(metrics, true);
        loop.cloud().failNext(SimulatedCloud.Operation.PROVISION, 1, CloudException.Kind.THROTTLED);

        CycleReport report = metrics.cycle(loop.predictor());

        List<ChangeOutcome.Provisioned> launched = report.provisioning().outcomes().stream()
                .filter(ChangeOutcome.Provisioned.class::isInstance).map(ChangeOutcome.Provisioned.class::cast).toList();
        assertFalse(launched.isEmpty(), "the example plan launches instances: " + report.provisioning().outcomes());
        assertEquals(1, registry.get("fleetpredict.cycle.duration").tags("fleet", "shop-eu", "env", "test").timer().count());
        assertEquals(launched.stream().mapToInt(ChangeOutcome.Provisioned::requested).sum(),
                count(registry, "fleetpredict.instances.requested"));
        assertEquals(launched.stream().mapToInt(p -> p.instanceIds().size()).sum(),
                count(registry, "fleetpredict.instances.launched"));
        assertEquals(report.provisioning().decision().costPerHour(),
                registry.get("fleetpredict.cost.planned").gauge().value(), 1e-12);
        assertEquals(launched.stream().mapToDouble(ChangeOutcome.Provisioned::costPerHour).sum(),
                registry.get("fleetpredict.cost.applied").gauge().value(), 1e-12);
        assertEquals(1, count(registry, "fleetpredict.gate.decisions", "decision", "under_threshold"));
        assertEquals(launched.size(), count(registry, "fleetpredict.changes", "outcome", "provisioned"));
        // The guard retried the throttled provision with the same request.
        assertEquals(1, count(registry, "fleetpredict.cloud.throttles", "operation", "provision"));
        assertEquals(1, count(registry, "fleetpredict.cloud.retries", "operation", "provision"));
        assertEquals(1, count(registry, "fleetpredict.cloud.calls", "operation", "provision", "outcome", "throttled"));
        assertEquals(launched.size(), count(registry, "fleetpredict.cloud.calls", "operation", "provision", "outcome", "ok"));

        // Ready: running instances once booted, as the provider describes them; released: what was let go.
        assertEquals(0, registry.get("fleetpredict.instances.ready").gauge().value());
        loop.clock().advance(Duration.ofHours(1));
        int running = loop.counted().describe(DescribeRequest.active()).instances().size();
        assertTrue(running > 0);
        assertEquals(running, registry.get("fleetpredict.instances.ready").gauge().value());
        String first = launched.get(0).instanceIds().get(0);
        loop.counted().release(ReleaseRequest.of("release-1", List.of(first)));
        assertEquals(1, count(registry, "fleetpredict.instances.released"));
    }

    /** The fleet's running instances as the simulated cloud holds them, asked past the metrics. */
    static long running(SimulatedCloud cloud) {
        return cloud.describe(DescribeRequest.active().withTags(Map.of(PreProvisioner.TAG_FLEET, "shop-eu")))
                .instances().stream().filter(i -> i.state() == InstanceState.RUNNING).count();
    }

    /**
     * Wired as the README shows, the loop's own describes (of its fleet's active instances, each cycle) keep the
     * ready gauge at the fleet's running instances; nothing here describes through the metrics.
     */
    @Test
    void cycle_readmeWiring_readyGaugeIsTheFleetsRunningInstancesAfterEachCycle() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Parts parts = parts(true);
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        metrics.bindTo(registry);
        FleetPredictor loop = parts.builder().cloud(metrics.instrument(parts.cloud())).build();
        long seenRunning = 0;
        for (int i = 0; i < 4; i++) {
            metrics.cycle(loop);
            long running = running(parts.cloud());
            assertEquals(running, registry.get("fleetpredict.instances.ready").gauge().value(), "after cycle " + i);
            seenRunning = Math.max(seenRunning, running);
            parts.clock().advance(Duration.ofMinutes(30));
        }
        assertTrue(seenRunning > 0, "the example plan's instances boot within 30 minutes");
        assertTrue(registry.scrape().contains("fleetpredict_instances_ready{fleet=\"shop-eu\"} " + seenRunning + ".0"),
                registry.scrape());
    }

    /**
     * A cycle that throws is counted by kind and rethrown, the cost gauges stop showing the last good cycle's
     * numbers as current, and the time of the last good cycle stays; a good cycle sets the gauges again.
     */
    @Test
    void cycle_failing_isCountedByKind_costGaugesAreNaN_andTheLastSuccessStays() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        metrics.bindTo(registry);
        Parts parts = parts(true);
        PredictedFleetState predicted = example("predicted-fleet-state.json", PredictedFleetState.class);
        AtomicBoolean down = new AtomicBoolean();
        IllegalStateException outage = new IllegalStateException("prometheus down");
        FleetPredictor loop = parts.builder().predict(now -> {
            if (down.get()) {
                throw outage;
            }
            return List.of(predicted);
        }).cloud(metrics.instrument(parts.cloud())).build();
        assertTrue(Double.isNaN(registry.get("fleetpredict.cycle.last.success").gauge().value()), "no cycle yet");

        CycleReport good = metrics.cycle(loop);
        double endedAt = good.at().plus(good.elapsed()).toEpochMilli() / 1000.0;
        assertTrue(registry.get("fleetpredict.cost.applied").gauge().value() > 0, "the first cycle launches");
        down.set(true);
        for (int i = 0; i < 3; i++) {
            parts.clock().advance(Duration.ofMinutes(30));
            assertSame(outage, assertThrows(IllegalStateException.class, () -> metrics.cycle(loop)));
        }

        assertEquals(3, count(registry, "fleetpredict.cycle.failures", "kind", "other"));
        assertTrue(Double.isNaN(registry.get("fleetpredict.cost.planned").gauge().value()));
        assertTrue(Double.isNaN(registry.get("fleetpredict.cost.applied").gauge().value()));
        assertEquals(endedAt, registry.get("fleetpredict.cycle.last.success").gauge().value(), 1e-3);
        assertEquals(1, registry.get("fleetpredict.cycle.duration").timer().count());
        String text = registry.scrape();
        assertTrue(text.contains("fleetpredict_cycle_failures_total{fleet=\"shop-eu\",kind=\"other\"} 3.0"), text);
        assertTrue(text.contains("fleetpredict_cost_applied_per_hour{fleet=\"shop-eu\"} NaN"), text);
        assertTrue(text.contains("# TYPE fleetpredict_cycle_last_success_seconds gauge"), text);

        down.set(false);
        parts.clock().advance(Duration.ofMinutes(30));
        CycleReport again = metrics.cycle(loop);
        assertEquals(again.provisioning().decision().costPerHour(),
                registry.get("fleetpredict.cost.planned").gauge().value(), 1e-12);
        assertEquals(again.at().plus(again.elapsed()).toEpochMilli() / 1000.0,
                registry.get("fleetpredict.cycle.last.success").gauge().value(), 1e-3);
        assertEquals(3, count(registry, "fleetpredict.cycle.failures", "kind", "other"));
    }

    @Test
    void cycle_storeWithoutTheFleet_countsTheConflictAndRethrows() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        metrics.bindTo(registry);
        Loop loop = loop(metrics, false);
        StateStoreException e = assertThrows(StateStoreException.class, () -> metrics.cycle(loop.predictor()));
        assertEquals(1, count(registry, "fleetpredict.store.conflicts", "reason", e.reason().name().toLowerCase(java.util.Locale.ROOT)));
        assertEquals(1, count(registry, "fleetpredict.cycle.failures", "kind", "state_store"));
        assertEquals(0, registry.get("fleetpredict.cycle.duration").timer().count());
    }

    @Test
    void record_withAccuracy_publishesMapeCoverageAndDriftPerSeries() throws IOException {
        AccuracyTracker tracker = AccuracyTracker.builder().build();
        AccuracyKey key = new AccuracyKey("checkout", ResourceType.CPU, Horizon.SHORT_TERM);
        // Predicted 110 and 90 against 100 twice: MAPE (10% + 10%) / 2 = 10%; one actual of two inside [95, 105].
        tracker.record(key, new PredictedPoint(110, new PredictionInterval(95, 115, 80), 120, 0.05), 100, Duration.ofMinutes(5));
        tracker.record(key, new PredictedPoint(90, new PredictionInterval(80, 95, 80), 120, 0.05), 100, Duration.ofMinutes(5));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").accuracy(tracker).build();
        metrics.bindTo(registry);
        metrics.cycle(loop(metrics, true).predictor());

        String[] tags = {"service", "checkout", "resource", "cpu", "horizon", "short_term"};
        assertEquals(10.0, registry.get("fleetpredict.forecast.mape").tags(tags).gauge().value(), 1e-9);
        assertEquals(0.5, registry.get("fleetpredict.forecast.coverage").tags(tags).gauge().value(), 1e-12);
        assertEquals(10.0, registry.get("fleetpredict.forecast.mae").tags(tags).gauge().value(), 1e-12);
        assertEquals(tracker.report().find(key).orElseThrow().driftAlarms(),
                registry.get("fleetpredict.drift.alarms").tags(tags).functionCounter().count());
    }

    @Test
    void prometheusRegistry_scrape_showsTheMetricsInTheExpositionFormat() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        metrics.bindTo(registry);
        Loop loop = loop(metrics, true);
        loop.cloud().failNext(SimulatedCloud.Operation.PROVISION, 1, CloudException.Kind.THROTTLED);
        CycleReport report = metrics.cycle(loop.predictor());
        String text = registry.scrape();
        assertTrue(text.contains("fleetpredict_cycle_duration_seconds_count{fleet=\"shop-eu\"} 1"), text);
        assertTrue(text.contains("fleetpredict_cloud_throttles_total{fleet=\"shop-eu\",operation=\"provision\"} 1"), text);
        assertTrue(text.contains("fleetpredict_gate_decisions_total{decision=\"under_threshold\",fleet=\"shop-eu\"} 1"), text);
        assertTrue(text.contains("# TYPE fleetpredict_cost_planned_per_hour gauge"), text);
        String planned = text.lines().filter(l -> l.startsWith("fleetpredict_cost_planned_per_hour{")).findFirst().orElseThrow();
        assertEquals(report.provisioning().decision().costPerHour(),
                Double.parseDouble(planned.substring(planned.lastIndexOf(' ') + 1)), 1e-9);
    }

    /**
     * Every kind of outcome is counted under its own tag: a release, a planned release or a change waiting for
     * its launch time is not a failure. The report is the example loop's, with its outcomes replaced by one of
     * each kind but two failures (so that no two tags swapped count alike) and two launches (3 requested, 2
     * launched at 0.5 an hour, partial; 2 of 2 at 0.25).
     */
    @Test
    void record_everyKindOfOutcome_countsEachUnderItsOwnTag() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        metrics.bindTo(registry);
        CycleReport real = loop(metrics, true).predictor().cycle();
        ProvisioningReport p = real.provisioning();
        List<ChangeOutcome> outcomes = List.of(
                new ChangeOutcome.Provisioned("c1", "web", "m.large", "us-east", PurchaseOption.ON_DEMAND, 3,
                        List.of("i-1", "i-2"), 0.5, true, List.of(), 1),
                new ChangeOutcome.Provisioned("c2", "web", "m.large", "us-east", PurchaseOption.ON_DEMAND, 2,
                        List.of("i-3", "i-4"), 0.25, false, List.of(), 1),
                new ChangeOutcome.Planned("c3", "web", "m.large", "us-east", PurchaseOption.ON_DEMAND, 1, 0.1, List.of()),
                new ChangeOutcome.PlannedRelease("c4", "web", "m.large", "us-east", PurchaseOption.ON_DEMAND,
                        List.of("i-5"), 0.1, List.of()),
                new ChangeOutcome.Released("c5", "web", "m.large", "us-east", PurchaseOption.ON_DEMAND,
                        List.of("i-6"), 0.1, List.of(), 1),
                new ChangeOutcome.Waiting("c6", real.at().plus(Duration.ofMinutes(10))),
                new ChangeOutcome.AlreadySatisfied("c7", "running"),
                new ChangeOutcome.Capped("c8", 4, List.of()),
                new ChangeOutcome.Skipped("c9", "no offer"),
                new ChangeOutcome.Failed("c10", CloudException.Kind.CAPACITY_UNAVAILABLE, "none left"),
                new ChangeOutcome.Failed("c11", CloudException.Kind.QUOTA_EXCEEDED, "over quota"));
        CycleReport report = new CycleReport(real.cycle(), real.at(), real.elapsed(), real.predictions(), real.plan(),
                new ProvisioningReport(p.fleetId(), p.mode(), p.at(), p.decision(), outcomes, Optional.empty(),
                        Optional.empty(), p.version()),
                real.feedback(), real.unpredicted(), real.warnings());

        assertEquals(outcomes.stream().map(Object::getClass).collect(java.util.stream.Collectors.toSet()),
                Set.of(ChangeOutcome.class.getPermittedSubclasses()), "one outcome of every kind");

        metrics.record(report);

        for (String outcome : List.of("partial", "provisioned", "planned", "planned_release", "released", "waiting",
                "satisfied", "capped", "skipped")) {
            assertEquals(1, count(registry, "fleetpredict.changes", "outcome", outcome), outcome);
        }
        assertEquals(2, count(registry, "fleetpredict.changes", "outcome", "failed"));
        assertEquals(11, registry.get("fleetpredict.changes").counters().stream().mapToDouble(c -> c.count()).sum());
        assertEquals(5, count(registry, "fleetpredict.instances.requested"));
        assertEquals(4, count(registry, "fleetpredict.instances.launched"));
        assertEquals(0.75, registry.get("fleetpredict.cost.applied").gauge().value(), 1e-12);
    }

    /**
     * A registry bound after a cycle has shown a series gets that series' accuracy gauges too, and the drift
     * alarm count is the number of observations the tracker flagged, counted from what it returned.
     */
    @Test
    void bindTo_registryBoundAfterASeriesWasSeen_publishesItsAccuracyAndDriftAlarms() throws IOException {
        AccuracyTracker tracker = AccuracyTracker.builder()
                .driftDetectors(() -> new CusumDriftDetector(0.5, 2, 4, 10)).build();
        AccuracyKey key = new AccuracyKey("checkout", ResourceType.CPU, Horizon.SHORT_TERM);
        long flagged = 0;
        for (int i = 0; i < 40; i++) {
            // Ten errors of plus and minus 1 to calibrate on, then the actuals run 50 above the forecast.
            double actual = i < 10 ? 100 + (i % 2 == 0 ? 1 : -1) : 150;
            Recorded r = tracker.record(key, new PredictedPoint(100, new PredictionInterval(90, 110, 80), 120, 0.05),
                    actual, Duration.ofMinutes(5));
            flagged += r.drift() ? 1 : 0;
        }
        assertTrue(flagged > 0, "the shift raised no alarm");
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").accuracy(tracker).build();
        SimpleMeterRegistry early = new SimpleMeterRegistry();
        metrics.bindTo(early);
        metrics.cycle(loop(metrics, true).predictor());

        SimpleMeterRegistry late = new SimpleMeterRegistry();
        metrics.bindTo(late);

        String[] tags = {"service", "checkout", "resource", "cpu", "horizon", "short_term"};
        for (SimpleMeterRegistry registry : List.of(early, late)) {
            // |100 - 101|, |100 - 99| ten times, then |100 - 150| thirty times, over 40.
            assertEquals((10 * 1.0 + 30 * 50.0) / 40, registry.get("fleetpredict.forecast.mae").tags(tags).gauge().value(),
                    1e-9);
            assertEquals(flagged, registry.get("fleetpredict.drift.alarms").tags(tags).functionCounter().count());
        }
    }

    /** The wiring docs/integrations.md shows: the loop calls the cloud through the watched guard. */
    @Test
    void watch_docsWiring_theLoopUsesTheGuardAndTheGaugeIsZero() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        metrics.bindTo(registry);
        Parts parts = parts(true);
        FleetPredictor.Builder builder = parts.builder();
        CloudProvider provider = parts.cloud();
        GuardedCloud guard = metrics.watch(GuardedCloud.builder(metrics.instrument(provider)).build());
        FleetPredictor loop = builder.cloud(guard).build();
        metrics.cycle(loop);
        assertTrue(count(registry, "fleetpredict.cloud.calls", "operation", "describe", "outcome", "ok") >= 1);
        assertEquals(0, registry.get("fleetpredict.cloud.stuck").gauge().value());
    }

    /**
     * A guard over a provider whose describe hangs and ignores its thread's interruption, as a blocking read
     * without a time limit does: each attempt that timed out counts as stuck while it runs, in every registry
     * bound before or after the guard was given, and no more once it returns.
     */
    @Test
    void watch_providerThatHangs_stuckGaugeCountsTimedOutCallsUntilTheyReturn() throws InterruptedException {
        SimulatedCloud sim = SimulatedCloud.builder().clock(MutableClock.at(Instant.parse("2025-03-01T12:00:00Z")))
                .build();
        AtomicBoolean hanging = new AtomicBoolean(true);
        CloudProvider provider = new ForwardingCloudProvider() {
            @Override
            protected CloudProvider delegate() {
                return sim;
            }

            @Override
            public DescribeResult describe(DescribeRequest request) {
                while (hanging.get()) {
                    LockSupport.parkNanos(5_000_000L);
                }
                return super.describe(request);
            }
        };
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        SimpleMeterRegistry early = new SimpleMeterRegistry();
        metrics.bindTo(early);
        assertNull(early.find("fleetpredict.cloud.stuck").gauge(), "no guard given yet");
        ExecutorService executor = Executors.newCachedThreadPool();
        try {
            GuardedCloud guard = metrics.watch(GuardedCloud.builder(metrics.instrument(provider))
                    .callTimeout(Duration.ofMillis(50)).maxAttempts(1).executor(executor).build());
            PrometheusMeterRegistry late = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            metrics.bindTo(late);
            assertEquals(0, early.get("fleetpredict.cloud.stuck").gauge().value());

            for (int i = 0; i < 2; i++) {
                CloudException e = assertThrows(CloudException.class, () -> guard.describe(DescribeRequest.all()));
                assertEquals(CloudException.Kind.TIMED_OUT, e.kind(), e.getMessage());
            }
            assertEquals(2, guard.stuckCalls());
            assertEquals(2, early.get("fleetpredict.cloud.stuck").tags("fleet", "shop-eu").gauge().value());
            assertTrue(late.scrape().contains("fleetpredict_cloud_stuck{fleet=\"shop-eu\"} 2.0"), late.scrape());

            hanging.set(false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (early.get("fleetpredict.cloud.stuck").gauge().value() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, early.get("fleetpredict.cloud.stuck").gauge().value(), "the attempts returned");
        } finally {
            hanging.set(false);
            executor.shutdown();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
