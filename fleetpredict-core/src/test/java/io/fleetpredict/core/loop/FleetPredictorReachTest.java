package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
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
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The near-term prediction reaches from each cycle to when a launch made then would serve, one predicted state per
 * step; a reach of more steps than its error window holds is refused when the loop is built, not found by
 * exhausting the heap in its first cycle.
 */
class FleetPredictorReachTest {

    private static final Instant START = Instant.parse("2025-03-03T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(1);
    private static final MetricKey CPU = MetricKey.of("cpu_cores", "web");

    private static FleetPredictor.Builder loop(Duration bootTime, Duration cooldown) {
        MutableClock clock = MutableClock.at(START);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).catalogue(List.of(new Offer("core", "c", "r-1",
                1, 1, 1, 0, 0.1, OptionalDouble.empty(), 0, bootTime))).build();
        ActivityMonitor monitor = ActivityMonitor.builder().step(STEP).latenessWindow(Duration.ZERO)
                .retention(STEP.multipliedBy(8)).clock(clock).metric(CPU, MetricKind.GAUGE_MEAN).build();
        SlaPolicies policies = new SlaPolicies(1, "t", Map.of("t", new TierPolicy(1, 0.99, 0, 0, 0, null, null,
                Duration.ZERO, cooldown, cooldown, 0.01)), List.of());
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(new FleetState(1, "f", 1, START, List.of(new ServiceState("web", "t", List.of(),
                List.of())))));
        return FleetPredictor.builder("f").monitor(monitor).cloud(cloud).store(store)
                .slaPolicies(policies).projection(ProjectionEngine.builder().slaPolicies(policies)
                        .offers(CapacityOffers.fromCloud(cloud.offers())).clock(clock).build())
                .thresholds(1e6, 1e6).cycle(STEP).mode(PreProvisioner.Mode.PLAN_ONLY).clock(clock);
    }

    @Test
    void build_bootTimeOfDaysAtAOneMinuteStep_isRefusedNamingTheReachAndTheWindow() {
        FleetPredictor.Builder b = loop(Duration.ofDays(3650), Duration.ofMinutes(3));
        IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
        assertTrue(e.getMessage().contains("the longest boot time PT87600H")
                && e.getMessage().contains("more than the 10080 its error window of PT168H holds"), e.getMessage());
    }

    @Test
    void build_reachOfExactlyTheWindow_isBuiltAndOneStepMoreIsRefused() {
        // The reach is the boot time, the lead time plus scale-in cooldown (3 minutes) and the cycle (a minute);
        // it covers reach / step + 1 steps, so 10,080 one-minute steps (the window) leave 7 days less 5 minutes
        // of boot time, and one minute more is refused.
        Duration cooldown = Duration.ofMinutes(3);
        Duration fits = Duration.ofDays(7).minus(cooldown).minus(STEP.multipliedBy(2));
        assertEquals(10_080, NearTermPrediction.maxSteps(STEP));
        loop(fits, cooldown).build();
        assertThrows(IllegalStateException.class, () -> loop(fits.plus(STEP), cooldown).build());
    }
}
