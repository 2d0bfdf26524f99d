package io.fleetpredict.core.loop;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.GapFill;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link FleetPredictor#record} and {@link FleetPredictor.Builder#build()} refuse, and that a refused
 * observation loses nothing: the history recorded before it predicts as if it had never come.
 */
class FleetPredictorInputTest {

    static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");

    static FleetPredictor.Builder firstCycle(MutableClock clock, SimulatedCloud sim) {
        return FleetPredictor.builder("shop").cloud(sim).metric(CPU, MetricKind.GAUGE_MEAN).budget(5).clock(clock);
    }

    /** The guide's week of checkout's CPU, every five minutes; {@code bad} is called once, halfway. */
    static void recordAWeek(FleetPredictor fleet, MutableClock clock, Runnable bad) {
        for (int step = 0; step < 7 * 24 * 12; step++) {
            if (step == 7 * 24 * 6) {
                bad.run();
            }
            double hour = step / 12.0 % 24;
            assertTrue(fleet.record(CPU, clock.instant(),
                    6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + Math.sin(step)), "step " + step);
            clock.advance(Duration.ofMinutes(5));
        }
    }

    static String predicted(CycleReport report) {
        return report.summary().lines().filter(l -> l.startsWith("predicted:")).findFirst().orElseThrow();
    }

    /** The summary of the first cycle after a clean week, the reference the others must match. */
    static String cleanWeek() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = firstCycle(clock, SimulatedCloud.builder().clock(clock).build()).build();
        recordAWeek(fleet, clock, () -> { });
        return predicted(fleet.cycle());
    }

    @Test
    void record_aYearAheadOfTheClock_refusedAndTheHistoryKept() {
        String clean = cleanWeek();
        assertTrue(clean.startsWith("predicted:   short_term CPU up to "), clean);
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = firstCycle(clock, SimulatedCloud.builder().clock(clock).build()).build();
        recordAWeek(fleet, clock, () -> {
            Instant ahead = clock.instant().plus(Duration.ofDays(365));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fleet.record(CPU, ahead, 6));
            assertEquals("value 6.0 of metric cpu_cores{service=checkout} at " + ahead + " is more than PT5M ahead "
                    + "of the clock (" + clock.instant() + ")", e.getMessage());
        });
        assertEquals(clean, predicted(fleet.cycle()), "the refused point changed nothing");
    }

    @Test
    void record_withinOneStepAheadOfTheClock_taken() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = firstCycle(clock, SimulatedCloud.builder().clock(clock).build()).build();
        assertTrue(fleet.record(CPU, T0.plus(Duration.ofMinutes(5)), 6));
        assertThrows(IllegalArgumentException.class, () -> fleet.record(CPU, T0.plus(Duration.ofMinutes(5)).plusNanos(1), 6));
    }

    @Test
    void record_givenMonitorWithoutAFutureBound_stillRefusesAYearAhead() {
        String clean = cleanWeek();
        MutableClock clock = MutableClock.at(T0);
        // The monitor's own default accepts any future time (history replayed on a clock at its start).
        ActivityMonitor monitor = ActivityMonitor.builder().step(Duration.ofMinutes(5)).clock(clock)
                .metric(CPU, MetricKind.GAUGE_MEAN).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .monitor(monitor).budget(5).clock(clock).build();
        recordAWeek(fleet, clock, () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fleet.record(CPU, clock.instant().plus(Duration.ofDays(365)), 6));
            assertTrue(e.getMessage().contains("is more than PT5M ahead of the clock"), e.getMessage());
        });
        assertEquals(clean, predicted(fleet.cycle()));
    }

    @Test
    void record_negativeCpu_refusedNamingMetricTimeAndValueAndNothingLaunched() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        FleetPredictor fleet = firstCycle(clock, sim).mode(PreProvisioner.Mode.APPLY).build();
        assertEquals("value -5.0 of metric cpu_cores{service=checkout} at " + T0 + " is negative; it is the use of a "
                + "resource, which cannot be", assertThrows(IllegalArgumentException.class,
                        () -> fleet.record(CPU, T0, -5)).getMessage());
        for (int step = 0; step < 7 * 24 * 12; step++) {
            Instant now = clock.instant();
            assertThrows(IllegalArgumentException.class, () -> fleet.record(CPU, now, -5));
            clock.advance(Duration.ofMinutes(5));
        }
        CycleReport report = fleet.cycle();
        assertTrue(report.predictions().isEmpty(), report.summary());
        assertEquals(0, sim.describe(DescribeRequest.all()).instances().size(), report.summary());
    }

    @Test
    void record_negativeValueOfAMetricMappedToAUsage_refused() {
        MutableClock clock = MutableClock.at(T0);
        MetricKey load = MetricKey.of("load", "checkout");
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .metric(load, MetricKind.GAUGE_MEAN)
                .mapping(MetricMapping.builder().usage(load, "checkout", ResourceType.CPU, ResourceUnit.CORES).build())
                .budget(5).clock(clock).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fleet.record(load, T0, -1));
        assertTrue(e.getMessage().contains("value -1.0 of metric load{service=checkout} at " + T0 + " is negative"),
                e.getMessage());
        assertTrue(fleet.record(load, T0, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu_core", "cpu_vcpus", "memory_gigs"})
    void build_misspeltResourceMetric_refusedListingTheUnitsAccepted(String name) {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor.Builder b = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .metric(MetricKey.of(name, "checkout"), MetricKind.GAUGE_MEAN).budget(5).clock(clock);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().startsWith("metric " + name + "{service=checkout} starts with the resource "),
                e.getMessage());
        assertTrue(e.getMessage().contains(name.startsWith("cpu") ? "units cores, millicores, vcpu"
                : "units MB, GB, TB, MiB, GiB, TiB"), e.getMessage());
    }

    /**
     * A monitor that cannot fill an empty bucket of a metric the loop reads: one missed bucket would fail every
     * cycle (reconcile and releases with it) until the bucket left the retention, so the build refuses it.
     */
    @Test
    void build_monitorWithARejectMetric_refusedNamingTheMetricAndThePoliciesThatWork() {
        MutableClock clock = MutableClock.at(T0);
        ActivityMonitor monitor = ActivityMonitor.builder().step(Duration.ofMinutes(5)).clock(clock)
                .metric(CPU, MetricKind.GAUGE_MEAN, GapFill.REJECT).build();
        FleetPredictor.Builder b = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .monitor(monitor).budget(5).clock(clock);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().startsWith("metric cpu_cores{service=checkout} has the gap policy REJECT"),
                e.getMessage());
        assertTrue(e.getMessage().contains("GapFill.PREVIOUS or GapFill.LINEAR (a gauge) or GapFill.ZERO (a counter)"),
                e.getMessage());
    }

    /**
     * Feedback tracking scores the fleet model's forecasts against the history it keeps; the near term alone keeps
     * none, so without a predictor the tracker would record nothing and say nothing: the build refuses it.
     */
    @Test
    void build_feedbackTrackingWithMetricsButNoPredictor_refused() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor.Builder b = firstCycle(clock, SimulatedCloud.builder().clock(clock).build())
                .feedbackTracking(AccuracyTracker.builder().clock(clock).build());
        IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
        assertEquals("feedbackTracking needs the built-in predict step: monitor(...) and predictor(...); no "
                + "predictor(...) is given", e.getMessage());
    }

    /** A metric the mapping leaves out is never read, so its gap policy is the host's business: a gap fails nothing. */
    @Test
    void cycle_rejectMetricTheMappingIgnores_builtAndAGapInItFailsNoCycle() {
        MutableClock clock = MutableClock.at(T0);
        MetricKey heartbeat = MetricKey.of("heartbeat", "checkout");
        ActivityMonitor monitor = ActivityMonitor.builder().step(Duration.ofMinutes(5)).clock(clock)
                .metric(CPU, MetricKind.GAUGE_MEAN).metric(heartbeat, MetricKind.GAUGE_MEAN, GapFill.REJECT).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .monitor(monitor).mapping(MetricMapping.builder().ignore(heartbeat).build()).budget(5).clock(clock)
                .build();
        monitor.record(heartbeat, clock.instant(), 1);
        recordAWeek(fleet, clock, () -> { });
        assertTrue(predicted(fleet.cycle()).startsWith("predicted:   short_term"), "predicts through the heartbeat's gap");
    }

    @Test
    void cycle_activityMetricsOnly_reportSaysThereIsNoResourceMetric() {
        MutableClock clock = MutableClock.at(T0);
        MetricKey transactions = MetricKey.of("transactions", "checkout");
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .metric(transactions, MetricKind.COUNTER).budget(5).clock(clock).build();
        for (int step = 0; step < 24 * 12; step++) {
            fleet.record(transactions, clock.instant(), 100);
            clock.advance(Duration.ofMinutes(5));
        }
        String line = predicted(fleet.cycle());
        assertTrue(line.startsWith("predicted:   nothing (no resource metric: none of the monitor's metrics "
                + "[transactions{service=checkout}] is a service's use of a resource"), line);
        assertFalse(line.contains("too little history"), line);
    }

    @Test
    void cycle_everyObservationLateForThePredictorsClock_reportSaysHowManyWereRefusedAndWhy() {
        // The host stamps a week on a clock of its own; the predictor keeps another, a month ahead.
        MutableClock host = MutableClock.at(T0);
        MutableClock later = MutableClock.at(T0.plus(Duration.ofDays(30)));
        FleetPredictor fleet = firstCycle(later, SimulatedCloud.builder().clock(later).build()).build();
        for (int step = 0; step < 7 * 24 * 12; step++) {
            assertFalse(fleet.record(CPU, host.instant(), 6), "step " + step);
            host.advance(Duration.ofMinutes(5));
        }
        String line = predicted(fleet.cycle());
        assertTrue(line.startsWith("predicted:   nothing (too little history yet: no usage metric of the monitor has "
                + "a closed bucket; 2016 observations of cpu_cores{service=checkout} were refused as late (record "
                + "returned false): the monitor's clock has closed every bucket before " + later.instant().minus(Duration.ofMinutes(5))), line);
    }

    @Test
    void cycle_resourceMetricWithoutAClosedBucket_reportSaysTooLittleHistory() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = firstCycle(clock, SimulatedCloud.builder().clock(clock).build()).build();
        assertEquals("predicted:   nothing (too little history yet: no usage metric of the monitor has a closed "
                + "bucket)", predicted(fleet.cycle()));
    }
}
