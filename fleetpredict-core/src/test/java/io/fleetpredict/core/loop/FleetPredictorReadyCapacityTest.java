package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.projection.CapacityOffers;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.StoredFleet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The loop measures its SLA on what the cloud ran: each cycle asks the cloud which instances serve, and the
 * near-term bound's level moves with the share of time demand stood above them. A loop that plans only runs
 * nothing, so demand is short every step and the level rises from {@code 1 - target} at each cycle.
 */
class FleetPredictorReadyCapacityTest {

    private static final Instant START = Instant.parse("2025-03-03T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(1);
    private static final MetricKey CPU = MetricKey.of("cpu_cores", "web");

    @Test
    void cycle_nothingRunsForTheDemand_levelRisesFromOneLessTheTarget() {
        MutableClock clock = MutableClock.at(START);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).catalogue(List.of(new Offer("core", "c", "r-1",
                1, 1, 1, 0, 0.1, OptionalDouble.empty(), 0, Duration.ofMinutes(3)))).build();
        ActivityMonitor monitor = ActivityMonitor.builder().step(STEP).latenessWindow(Duration.ZERO)
                .retention(STEP.multipliedBy(8)).clock(clock).metric(CPU, MetricKind.GAUGE_MEAN).build();
        SlaPolicies policies = new SlaPolicies(1, "t", Map.of("t", new TierPolicy(1, 0.99, 0, 0, 0, null, null,
                Duration.ZERO, Duration.ofMinutes(3), Duration.ofMinutes(3), 0.01)), List.of());
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(new FleetState(1, "f", 1, START, List.of(new ServiceState("web", "t", List.of(),
                List.of())))));
        FleetPredictor loop = FleetPredictor.builder("f").monitor(monitor).cloud(cloud).store(store)
                .slaPolicies(policies).projection(ProjectionEngine.builder().slaPolicies(policies)
                        .offers(CapacityOffers.fromCloud(cloud.offers())).clock(clock).build())
                .thresholds(1e6, 1e6).cycle(STEP).mode(PreProvisioner.Mode.PLAN_ONLY).clock(clock).build();

        List<Double> levels = new ArrayList<>();
        Instant next = START;
        for (int s = 0; s < 40; s++) {
            if (s > 0) {
                clock.set(next.minus(STEP));
                monitor.record(CPU, next.minus(STEP), 10);
            }
            clock.set(next);
            next = next.plus(STEP);
            for (PredictedFleetState p : loop.cycle().predictions()) {
                Object level = p.model().parameters() == null ? null : p.model().parameters().get("level.web");
                if (level != null) {
                    levels.add(Double.parseDouble(level.toString()));
                    break;
                }
            }
        }

        assertTrue(levels.size() > 20, "near-term predictions in " + levels.size() + " cycles");
        assertEquals(0.99, levels.get(0), 1e-9, "1 - target before a step was measured");
        assertTrue(levels.get(levels.size() - 1) > levels.get(0) + 0.005, "the level rose: " + levels);
    }
}
