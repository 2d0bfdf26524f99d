package io.fleetpredict.core.loop;

import static io.fleetpredict.core.loop.FleetPredictorInputTest.CPU;
import static io.fleetpredict.core.loop.FleetPredictorInputTest.firstCycle;
import static io.fleetpredict.core.loop.FleetPredictorInputTest.predicted;
import static io.fleetpredict.core.loop.FleetPredictorInputTest.recordAWeek;
import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.InvalidSeedException;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.monitor.MonitoredSeries;
import io.fleetpredict.core.monitor.SeedReport;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * A host that restarts seeds the new predictor with the history its old monitor held: the first cycle then
 * predicts as the old predictor's next cycle would have, with the margin the week earned, instead of nothing.
 */
class FleetPredictorSeedTest {

    /** A monitor as the predictor's own: five-minute buckets, a week kept, on the clock. */
    private static ActivityMonitor monitor(MutableClock clock) {
        return ActivityMonitor.builder().step(Duration.ofMinutes(5)).futureTolerance(Duration.ofMinutes(5))
                .clock(clock).metric(CPU, MetricKind.GAUGE_MEAN).build();
    }

    @Test
    void seed_theWeekTheLostMonitorHeld_firstCyclePredictsAsTheLoopThatRecordedItLive() {
        MutableClock clock = MutableClock.at(T0);
        ActivityMonitor lost = monitor(clock);
        FleetPredictor before = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .monitor(lost).budget(5).clock(clock).build();
        recordAWeek(before, clock, () -> { });
        MonitoredSeries week = lost.series(CPU);
        CycleReport live = before.cycle();
        assertTrue(predicted(live).startsWith("predicted:   short_term CPU up to "), live.summary());

        // The restart: a new predictor on the same clock, its own monitor empty.
        FleetPredictor unseeded = firstCycle(clock, SimulatedCloud.builder().clock(clock).build()).build();
        assertTrue(unseeded.cycle().predictions().isEmpty(), "without its history the first cycle predicts nothing");
        FleetPredictor after = firstCycle(clock, SimulatedCloud.builder().clock(clock).build()).build();

        SeedReport report = after.seed(week);

        assertEquals(new SeedReport(CPU, 7 * 24 * 12 - 1, 0, 0), report, "every closed bucket of the week");
        CycleReport restarted = after.cycle();
        assertEquals(predicted(live), predicted(restarted));
        assertEquals(live.predictions(), restarted.predictions());
    }

    @Test
    void seed_aRegularSeries_asTheWeekRecordedLiveThroughTheGivenMonitor() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor recorded = firstCycle(clock, SimulatedCloud.builder().clock(clock).build()).build();
        recordAWeek(recorded, clock, () -> { });
        // The same week as a metrics system returns it: the guide's formula, one value per five minutes.
        double[] values = new double[7 * 24 * 12 - 1];
        for (int step = 0; step < values.length; step++) {
            double hour = step / 12.0 % 24;
            values[step] = 6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + Math.sin(step);
        }
        ActivityMonitor given = monitor(clock);
        FleetPredictor seeded = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .monitor(given).budget(5).clock(clock).build();

        seeded.seed(CPU, TimeSeries.of(T0, Duration.ofMinutes(5), values));

        assertEquals(given.series(CPU).series(), TimeSeries.of(T0, Duration.ofMinutes(5), values));
        assertEquals(recorded.cycle().predictions(), seeded.cycle().predictions());
    }

    @Test
    void seed_negativeValueOfAMetricMappedToAUsage_refusedNamingIndexAndNothingSeeded() {
        MutableClock clock = MutableClock.at(T0.plus(Duration.ofHours(1)));
        MetricKey load = MetricKey.of("load", "checkout");
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .metric(load, MetricKind.GAUGE_MEAN)
                .mapping(MetricMapping.builder().usage(load, "checkout", ResourceType.CPU, ResourceUnit.CORES).build())
                .budget(5).clock(clock).build();
        InvalidSeedException e = assertThrows(InvalidSeedException.class,
                () -> fleet.seed(load, TimeSeries.of(T0, Duration.ofMinutes(5), 1, 2, -1, 3)));
        assertEquals(OptionalInt.of(2), e.index());
        assertEquals("cannot seed metric load{service=checkout}: value -1.0 at index 2 (" + T0.plus(Duration.ofMinutes(10))
                + ") is negative; it is the use of a resource, which cannot be; nothing was seeded", e.getMessage());
        assertEquals(new SeedReport(load, 4, 0, 0), fleet.seed(load, TimeSeries.of(T0, Duration.ofMinutes(5), 1, 2, 1, 3)),
                "the refused seed left the metric empty");
    }
}
