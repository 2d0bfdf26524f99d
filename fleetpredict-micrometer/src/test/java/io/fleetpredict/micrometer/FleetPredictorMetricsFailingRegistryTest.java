package io.fleetpredict.micrometer;

import static io.fleetpredict.micrometer.FleetPredictorMetricsTest.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.feedback.AccuracyKey;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.core.provision.ChangeOutcome;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A registry that throws (here through a {@link MeterFilter} refusing one meter) never fails or alters the
 * cycle or the provider call being recorded, and a bind it breaks part way can be retried.
 */
class FleetPredictorMetricsFailingRegistryTest {

    /** A registry whose filter throws for the meters named {@code refused}, while {@code failing} is set. */
    static SimpleMeterRegistry refusing(String refused, AtomicBoolean failing) {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        r.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (failing.get() && id.getName().equals(refused)) {
                    throw new IllegalStateException("refused " + id.getName());
                }
                return id;
            }
        });
        return r;
    }

    @Test
    void cycle_registryRefusingTheChangesCounter_returnsTheReportAndSetsTheGauges() throws IOException {
        SimpleMeterRegistry broken = refusing("fleetpredict.changes", new AtomicBoolean(true));
        SimpleMeterRegistry healthy = new SimpleMeterRegistry();
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        metrics.bindTo(broken);
        metrics.bindTo(healthy);
        FleetPredictorMetricsTest.Loop loop = FleetPredictorMetricsTest.loop(metrics, true);

        CycleReport report = metrics.cycle(loop.predictor());

        double applied = report.provisioning().outcomes().stream().filter(ChangeOutcome.Provisioned.class::isInstance)
                .mapToDouble(o -> ((ChangeOutcome.Provisioned) o).costPerHour()).sum();
        assertFalse(applied == 0, "the example plan launches instances");
        for (SimpleMeterRegistry r : new SimpleMeterRegistry[] {broken, healthy}) {
            assertEquals(applied, r.get("fleetpredict.cost.applied").gauge().value(), 1e-12);
            assertEquals(report.provisioning().decision().costPerHour(),
                    r.get("fleetpredict.cost.planned").gauge().value(), 1e-12);
        }
        // The healthy registry and the broken one's other meters count everything.
        long changes = report.provisioning().outcomes().size();
        assertEquals(changes, healthy.get("fleetpredict.changes").counters().stream().mapToDouble(c -> c.count()).sum());
        assertEquals(1, count(broken, "fleetpredict.gate.decisions", "decision", "under_threshold"));
        assertEquals(1, broken.get("fleetpredict.cycle.duration").timer().count());
    }

    @Test
    void describe_registryRefusingCallCounts_returnsTheDelegatesAnswerOnce() {
        SimulatedCloud cloud = SimulatedCloud.builder().clock(MutableClock.at(Instant.parse("2026-01-01T00:00:00Z")))
                .build();
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        metrics.bindTo(refusing("fleetpredict.cloud.calls", new AtomicBoolean(true)));

        DescribeResult r = metrics.instrument(cloud).describe(DescribeRequest.all());

        assertEquals(cloud.describe(DescribeRequest.all()), r);
    }

    @Test
    void describe_registryRefusingCallCounts_passesOnTheDelegatesCloudException() {
        SimulatedCloud cloud = SimulatedCloud.builder().build();
        cloud.failNext(SimulatedCloud.Operation.DESCRIBE, 1, CloudException.Kind.QUOTA_EXCEEDED);
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        metrics.bindTo(refusing("fleetpredict.cloud.calls", new AtomicBoolean(true)));

        CloudException e = assertThrows(CloudException.class,
                () -> metrics.instrument(cloud).describe(DescribeRequest.all()));

        assertEquals(CloudException.Kind.QUOTA_EXCEEDED, e.kind());
    }

    @Test
    void cycle_registryRefusingOneAccuracyMeter_registersTheSeriesOtherMeters() throws IOException {
        AccuracyTracker tracker = AccuracyTracker.builder().build();
        tracker.register(new AccuracyKey("checkout", ResourceType.CPU, Horizon.SHORT_TERM), 1.0);
        SimpleMeterRegistry broken = refusing("fleetpredict.forecast.mape", new AtomicBoolean(true));
        SimpleMeterRegistry healthy = new SimpleMeterRegistry();
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").accuracy(tracker).build();
        metrics.bindTo(broken);
        metrics.bindTo(healthy);

        metrics.cycle(FleetPredictorMetricsTest.loop(metrics, true).predictor());

        assertNull(broken.find("fleetpredict.forecast.mape").tag("service", "checkout").gauge());
        for (String name : List.of("fleetpredict.forecast.coverage", "fleetpredict.forecast.mae",
                "fleetpredict.drift.alarms")) {
            assertEquals(1, broken.find(name).tag("service", "checkout").meters().size(), name);
        }
        for (String name : List.of("fleetpredict.forecast.mape", "fleetpredict.forecast.coverage",
                "fleetpredict.forecast.mae", "fleetpredict.drift.alarms")) {
            assertEquals(1, healthy.find(name).tag("service", "checkout").meters().size(), name);
        }
    }

    @Test
    void bindTo_failedPartWay_retryRegistersEveryMeter() {
        AtomicBoolean failing = new AtomicBoolean(true);
        SimpleMeterRegistry registry = refusing("fleetpredict.cost.applied", failing);
        FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("shop-eu").build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> metrics.bindTo(registry));
        assertEquals("refused fleetpredict.cost.applied", e.getMessage());

        failing.set(false);
        metrics.bindTo(registry);

        assertEquals(0, registry.get("fleetpredict.cost.applied").gauge().value());
        assertEquals(0, registry.get("fleetpredict.instances.ready").gauge().value());
    }
}
