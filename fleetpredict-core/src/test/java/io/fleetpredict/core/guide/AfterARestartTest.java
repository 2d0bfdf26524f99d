package io.fleetpredict.core.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.monitor.SeedReport;
import io.fleetpredict.forecast.GuideSamples;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sample of the guide's "After a restart": quoted, and the seeded predictor's first cycle is the live one's. */
class AfterARestartTest {

    private static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");
    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    /** The first program's CPU at a time: what the host's metrics system holds. */
    private static double cpuAt(Instant t) {
        long step = Duration.between(T0, t).toMinutes() / 5;
        double hour = step / 12.0 % 24;
        return 6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + Math.sin(step);
    }

    /** A metrics system: one value per five-minute bucket, from {@code from} up to (excluding) {@code to}. */
    private static final class Metrics {
        TimeSeries range(MetricKey metric, Instant from, Instant to) {
            double[] values = new double[(int) (Duration.between(from, to).toMinutes() / 5)];
            for (int i = 0; i < values.length; i++) {
                values[i] = cpuAt(from.plus(Duration.ofMinutes(5L * i)));
            }
            return TimeSeries.of(from, Duration.ofMinutes(5), values);
        }
    }

    @Test
    void afterARestart_quoted() throws Exception {
        GuideSamples.assertQuoted(EmbeddingGuideTest.SOURCES.resolve("AfterARestartTest.java"), "after-a-restart",
                EmbeddingGuideTest.GUIDE);
    }

    @Test
    void afterARestart_firstCyclePredictsAsTheLoopThatRecordedTheWeekLive() {
        // From five minutes before T0, so that the seven days the restarted predictor asks for were all recorded.
        MutableClock clock = MutableClock.at(T0.minus(Duration.ofMinutes(5)));
        FleetPredictor recorded = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .metric(CPU, MetricKind.GAUGE_MEAN).budget(5.00).clock(clock).build();
        for (int step = 0; step < 7 * 24 * 12 + 1; step++) {
            recorded.record(CPU, clock.instant(), cpuAt(clock.instant()));
            clock.advance(Duration.ofMinutes(5));
        }
        CycleReport live = recorded.cycle();

        MetricKey cpu = CPU;
        Metrics metrics = new Metrics();
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        // tag::after-a-restart[]
        FleetPredictor fleet = FleetPredictor.builder("shop")
                .cloud(cloud)
                .metric(cpu, MetricKind.GAUGE_MEAN)
                .budget(5.00)
                .clock(clock)
                .build();
        Instant end = fleet.closedBefore(cpu);                 // every bucket before it is closed
        TimeSeries week = metrics.range(cpu, end.minus(Duration.ofDays(7)), end);  // one value per 5-minute bucket
        SeedReport seeded = fleet.seed(cpu, week);             // before the first cycle
        // end::after-a-restart[]

        assertEquals(T0.plus(Duration.ofDays(7)), clock.instant());
        assertEquals(new SeedReport(CPU, 7 * 24 * 12, 0, 0), seeded);
        CycleReport first = fleet.cycle();
        assertTrue(first.summary().contains("predicted:   short_term CPU up to"), first.summary());
        assertEquals(live.predictions(), first.predictions());
    }
}
