package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A plan shown before each cycle ({@link FleetPredictor#preview}) changes nothing the cycles decide: the
 * built-in project step keeps a proposed change as made, so a preview that counted as a projection would hold
 * every scale-in of the cycle after it in its cooldown and keep the fleet at its peak.
 */
class FleetPredictorPreviewTest {

    private static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");
    private static final int WEEK = 7 * 24 * 12;
    private static final int CYCLES = 48;

    /** What one run did: each cycle's summary, the scale-ins the previews proposed and the instances left active. */
    private record Run(List<String> cycles, int previewedScaleIns, int active) {
    }

    /** A week of a daily wave at five-minute steps, then four hours of cycles, with or without a preview before each. */
    private static Run run(boolean preview) {
        MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T00:00:00Z"));
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(cloud).metric(CPU, MetricKind.GAUGE_MEAN)
                .budget(5.00).mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        int step = 0;
        for (; step < WEEK; step++) {
            fleet.record(CPU, clock.instant(), cpu(step));
            clock.advance(Duration.ofMinutes(5));
        }
        List<String> cycles = new ArrayList<>();
        int previewedScaleIns = 0;
        for (int c = 0; c < CYCLES; c++) {
            if (preview) {
                ProvisionalFleetState plan = fleet.preview(fleet.predict());
                fleet.gate(plan);
                previewedScaleIns += (int) plan.provisionalChanges().stream()
                        .filter(ch -> ch.action() == ChangeAction.SCALE_IN).count();
            }
            cycles.add(fleet.cycle().summary());
            fleet.record(CPU, clock.instant(), cpu(step++));
            clock.advance(Duration.ofMinutes(5));
        }
        return new Run(cycles, previewedScaleIns, cloud.describe(DescribeRequest.active()).instances().size());
    }

    private static double cpu(int step) {
        double hour = step / 12.0 % 24;
        return 6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + Math.sin(step);
    }

    @Test
    void preview_beforeEachCycle_leavesEveryCycleAsWithoutIt() {
        Run plain = run(false);
        Run previewed = run(true);
        long scaleIns = plain.cycles().stream().filter(s -> s.contains(" scale_in ")).count();
        assertTrue(scaleIns >= 2, "the scenario must release during the night: " + plain.cycles());
        assertTrue(previewed.previewedScaleIns() >= 2, "the previews must show the releases");
        assertEquals(plain.cycles(), previewed.cycles());
        assertEquals(plain.active(), previewed.active());
    }
}
