package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.feedback.AccuracyKey;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.feedback.KeyAccuracy;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.predict.HorizonSpec;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.core.projection.CapacityOffers;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.projection.SlaDefaults;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.StoredFleet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loop's feedback scores each forecast step against the usage recorded over it, aggregated as its horizon
 * aggregates (the peak of the hour for hourly peaks), and against the capacity the fleet state allocates to the
 * service: figures that do not depend on the forecast. The service's CPU is 4 and 6 cores in turn every 15
 * minutes; the state allocates one instance of 2 cores, and the loop only plans, so the state stays so.
 */
class AccuracyFeedbackStepTest {

    private static final Instant START = Instant.parse("2025-03-03T00:00:00Z");
    private static final Duration TICK = Duration.ofMinutes(15);
    private static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");

    private static double cpu(Instant t) {
        return (t.getEpochSecond() / TICK.getSeconds()) % 2 == 0 ? 4 : 6;
    }

    @Test
    void feedback_hourlyPeaksAgainstTheAllocatedCapacity_shortfallOfThePeakOverTheStatesCores() {
        MutableClock clock = MutableClock.at(START);
        ActivityMonitor monitor = ActivityMonitor.builder().step(TICK).clock(clock)
                .metric(CPU, MetricKind.GAUGE_MEAN).build();
        Instant t = START;
        for (; t.isBefore(START.plus(Duration.ofDays(4))); t = t.plus(TICK)) {
            clock.set(t);
            monitor.record(CPU, t, cpu(t));
        }
        List<Offer> offers = SimulatedCloud.defaultCatalogue().stream()
                .filter(o -> o.instanceType().equals("m.large") && o.region().equals("us-east")).toList();
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).catalogue(offers).build();
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(new FleetState(1, "shop", 0, clock.instant(), List.of(new ServiceState("checkout",
                SlaDefaults.CRITICAL, List.of(new InstanceGroup("m.large", "us-east", PurchaseOption.ON_DEMAND, 1,
                        List.of(ResourceAmount.of(ResourceType.CPU, 2, ResourceUnit.CORES)))), List.of())))));
        AccuracyTracker tracker = AccuracyTracker.builder().clock(clock).build();
        FleetPredictor loop = FleetPredictor.builder("shop").monitor(monitor)
                .predictor(Predictor.builder().slaPolicies(SlaDefaults.policies()).fleetId("shop")
                        .horizons(List.of(HorizonSpec.mediumTerm())).build())
                .projection(ProjectionEngine.builder().slaPolicies(SlaDefaults.policies())
                        .offers(CapacityOffers.fromCloud(offers)).clock(clock).build())
                .feedbackTracking(tracker).cloud(cloud).store(store).thresholds(5, 0.5)
                .cycle(Duration.ofHours(1)).clock(clock).build();

        loop.cycle();
        Instant end = t.plus(Duration.ofHours(12));
        for (; t.isBefore(end); t = t.plus(TICK)) {
            clock.set(t);
            monitor.record(CPU, t, cpu(t));
            if (t.plus(TICK).getEpochSecond() % 3600 == 0) {
                clock.set(t.plus(TICK));
                loop.cycle();
            }
        }

        KeyAccuracy hourly = tracker.report().find(new AccuracyKey("checkout", ResourceType.CPU, Horizon.MEDIUM_TERM))
                .orElseThrow();
        assertTrue(hourly.count() >= 10, hourly.toString());
        assertEquals(hourly.count(), hourly.underProvisionedSteps(), "every hour's peak stood above 2 cores");
        assertEquals(6 - 2, hourly.maxShortfall(), 1e-9, "the hour's peak, 6, less the state's 2 cores");
    }
}
