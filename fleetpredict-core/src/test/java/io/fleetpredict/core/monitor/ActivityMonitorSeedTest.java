package io.fleetpredict.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Seeding a monitor with history: it reads back as the same history recorded live, or is refused whole. */
class ActivityMonitorSeedTest {

    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final MetricKey SESSIONS = MetricKey.fleet("sessions");
    private static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");
    private static final MetricKey LATENCY = MetricKey.of("latency", "checkout");
    /** One-minute buckets, two of lateness, an hour of retention: the clock at 01:10 closes buckets before 01:08. */
    private static final Instant NOW = T0.plus(Duration.ofMinutes(70));

    private static ActivityMonitor monitor(MutableClock clock, MetricKey metric, MetricKind kind) {
        return ActivityMonitor.builder().step(Duration.ofMinutes(1)).latenessWindow(Duration.ofMinutes(2))
                .retention(Duration.ofHours(1)).clock(clock).metric(metric, kind).build();
    }

    /** Records three observations a minute from 00:10 to 01:05, with empty minutes. */
    private static ActivityMonitor recordedLive(MutableClock clock, MetricKey metric, MetricKind kind, long seed) {
        ActivityMonitor live = monitor(clock, metric, kind);
        Random random = new Random(seed);
        for (int minute = 10; minute < 65; minute++) {
            if (minute % 7 == 4 || minute == 20 || minute == 21) {
                continue;   // gaps: single empty minutes and a run of two
            }
            for (int k = 0; k < 3; k++) {
                Instant t = T0.plus(Duration.ofMinutes(minute)).plusSeconds(random.nextInt(60));
                live.record(metric, t, random.nextDouble() * 10);
            }
        }
        clock.set(NOW);
        return live;
    }

    @ParameterizedTest
    @EnumSource(MetricKind.class)
    void seed_fromALiveMonitorsSeries_readsBackTheSameSeriesGapsIncluded(MetricKind kind) {
        MutableClock clock = MutableClock.at(T0);
        ActivityMonitor live = recordedLive(clock, SESSIONS, kind, 7);
        MonitoredSeries recorded = live.series(SESSIONS);
        assertEquals(58, recorded.series().size(), "00:10 to 01:08");
        assertTrue(recorded.filledCount() > 3, recorded.gaps().toString());

        ActivityMonitor restarted = monitor(clock, SESSIONS, kind);
        SeedReport report = restarted.seed(recorded);

        assertEquals(recorded, restarted.series(SESSIONS));
        assertEquals(new SeedReport(SESSIONS, 58 - recorded.filledCount(), recorded.filledCount(), 0), report);
    }

    @ParameterizedTest
    @EnumSource(MetricKind.class)
    void seed_thenRecordingGoesOn_asIfTheHistoryHadBeenRecordedLive(MetricKind kind) {
        MutableClock liveClock = MutableClock.at(T0);
        ActivityMonitor live = recordedLive(liveClock, SESSIONS, kind, 11);
        MutableClock clock = MutableClock.at(NOW);
        ActivityMonitor restarted = monitor(clock, SESSIONS, kind);
        restarted.seed(live.series(SESSIONS));
        // The same later observations, in the still-open buckets and after: both monitors end equal.
        for (int second = 0; second < 600; second += 41) {
            Instant t = NOW.minus(Duration.ofMinutes(2)).plusSeconds(second);
            liveClock.set(Instant.ofEpochSecond(Math.max(t.getEpochSecond(), NOW.getEpochSecond())));
            clock.set(liveClock.instant());
            live.record(SESSIONS, t, second % 5);
            restarted.record(SESSIONS, t, second % 5);
        }
        assertEquals(live.series(SESSIONS), restarted.series(SESSIONS));
    }

    @Test
    void seed_aRegularSeries_readsBackItsValuesWithoutGaps() {
        MutableClock clock = MutableClock.at(NOW);
        ActivityMonitor monitor = monitor(clock, CPU, MetricKind.GAUGE_MEAN);
        TimeSeries history = TimeSeries.of(T0.plus(Duration.ofMinutes(65)), Duration.ofMinutes(1), 1.5, 0, 2.25);

        assertEquals(new SeedReport(CPU, 3, 0, 0), monitor.seed(CPU, history));

        MonitoredSeries read = monitor.series(CPU);
        assertEquals(history, read.series());
        assertEquals(List.of(), read.gaps());
        assertEquals(0, monitor.stats(CPU).accepted(), "seeded buckets are not observations");
    }

    @Test
    void closedBefore_theClockLessTheLatenessThenTheLatestObservation_whereASeedMayEnd() {
        MutableClock clock = MutableClock.at(NOW.plusSeconds(30));
        ActivityMonitor monitor = monitor(clock, CPU, MetricKind.GAUGE_MEAN);
        // 01:10:30 less two minutes of lateness is inside the bucket of 01:08, the first open one.
        assertEquals(T0.plus(Duration.ofMinutes(68)), monitor.closedBefore(CPU));
        monitor.seed(CPU, minutes(60, 1, 2, 3, 4, 5, 6, 7, 8));
        monitor.record(CPU, T0.plus(Duration.ofMinutes(75)), 1);
        assertEquals(T0.plus(Duration.ofMinutes(73)), monitor.closedBefore(CPU));
        assertThrows(IllegalArgumentException.class, () -> monitor.closedBefore(SESSIONS));
    }

    @Test
    void seed_olderThanTheRetention_dropsTheOldestAndSaysHowMany() {
        MutableClock clock = MutableClock.at(NOW);
        ActivityMonitor monitor = monitor(clock, CPU, MetricKind.GAUGE_MEAN);
        double[] values = new double[128];   // 23:00 the day before to 01:08: an hour and eight minutes too many
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        TimeSeries history = TimeSeries.of(T0.minus(Duration.ofMinutes(60)), Duration.ofMinutes(1), values);

        assertEquals(new SeedReport(CPU, 60, 0, 68), monitor.seed(CPU, history));

        // Buckets before 01:08 are closed and an hour is kept: 00:08 to 01:08, values 68 to 127.
        TimeSeries read = monitor.series(CPU).series();
        assertEquals(history.tail(60), read);
    }

    @Test
    void seed_beforeTheOldestBucketHeld_acceptedAndTheHeldBucketsUnchanged() {
        MutableClock clock = MutableClock.at(NOW);
        ActivityMonitor monitor = monitor(clock, SESSIONS, MetricKind.COUNTER);
        monitor.seed(SESSIONS, TimeSeries.of(T0.plus(Duration.ofMinutes(60)), Duration.ofMinutes(1), 5, 6, 7, 8, 9, 10, 11, 12));
        monitor.record(SESSIONS, NOW, 4);

        SeedReport report = monitor.seed(SESSIONS, TimeSeries.of(T0.plus(Duration.ofMinutes(50)), Duration.ofMinutes(1), 1, 2));

        assertEquals(new SeedReport(SESSIONS, 2, 0, 0), report);
        MonitoredSeries read = monitor.series(SESSIONS);
        // 00:50 and 00:51 seeded, 00:52 to 00:59 gaps (counters fill zero), 01:00 to 01:07 as seeded first.
        assertEquals(TimeSeries.of(T0.plus(Duration.ofMinutes(50)), Duration.ofMinutes(1),
                1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 7, 8, 9, 10, 11, 12), read.series());
        assertEquals(List.of(new MonitoredSeries.Gap(2, 10)), read.gaps());
    }

    /** Records an observation at 01:04 and 01:05 (both closed once the clock is at 01:10): the state refusals must keep. */
    private static ActivityMonitor holding(MetricKey metric, MetricKind kind) {
        MutableClock clock = MutableClock.at(T0.plus(Duration.ofMinutes(64)));
        ActivityMonitor monitor = monitor(clock, metric, kind);
        monitor.record(metric, clock.instant(), 3);
        monitor.record(metric, clock.instant().plusSeconds(60), 4);
        clock.set(NOW);
        return monitor;
    }

    private static InvalidSeedException refusedChangingNothing(ActivityMonitor monitor, MetricKey metric, Executable seed) {
        MonitoredSeries before = monitor.series(metric);
        MetricStats statsBefore = monitor.stats(metric);
        InvalidSeedException e = assertThrows(InvalidSeedException.class, seed);
        assertEquals(metric, e.metric());
        assertTrue(e.getMessage().startsWith("cannot seed metric " + metric), e.getMessage());
        assertEquals(before, monitor.series(metric));
        assertEquals(statsBefore, monitor.stats(metric));
        return e;
    }

    private static TimeSeries minutes(int fromMinute, double... values) {
        return TimeSeries.of(T0.plus(Duration.ofMinutes(fromMinute)), Duration.ofMinutes(1), values);
    }

    @Test
    void seed_anotherStep_refusedNamingBothSteps() {
        ActivityMonitor monitor = holding(CPU, MetricKind.GAUGE_MEAN);
        InvalidSeedException e = refusedChangingNothing(monitor, CPU, () -> monitor.seed(CPU,
                TimeSeries.of(T0, Duration.ofMinutes(5), 1, 2, 3)));
        assertEquals("cannot seed metric cpu_cores{service=checkout}: the history's step PT5M differs from the monitor's"
                + " step PT1M", e.getMessage());
        assertEquals(OptionalInt.empty(), e.index());
    }

    @Test
    void seed_startingBetweenBucketBoundaries_refusedNamingTheStartAndTheStep() {
        ActivityMonitor monitor = holding(CPU, MetricKind.GAUGE_MEAN);
        InvalidSeedException e = refusedChangingNothing(monitor, CPU, () -> monitor.seed(CPU,
                TimeSeries.of(T0.plusSeconds(30), Duration.ofMinutes(1), 1, 2, 3)));
        assertEquals("cannot seed metric cpu_cores{service=checkout}: the history starts at 2024-03-01T00:00:30Z, not on"
                + " a bucket boundary of step PT1M (the nearest earlier one is 2024-03-01T00:00:00Z)", e.getMessage());
    }

    @Test
    void seed_overlappingTheBucketsHeld_refused() {
        ActivityMonitor monitor = holding(CPU, MetricKind.GAUGE_MEAN);
        InvalidSeedException e = refusedChangingNothing(monitor, CPU, () -> monitor.seed(CPU, minutes(60, 1, 1, 1, 1, 1)));
        assertTrue(e.getMessage().endsWith("the metric already holds buckets from 2024-03-01T01:04:00Z, and a seed never"
                + " changes a bucket it holds; seed only history that ends at or before it"), e.getMessage());
        // Ending right at the first bucket held is accepted.
        assertEquals(new SeedReport(CPU, 4, 0, 0), monitor.seed(CPU, minutes(60, 1, 1, 1, 1)));
        refusedChangingNothing(monitor, CPU, () -> monitor.seed(CPU, minutes(62, 1, 1)));
    }

    @Test
    void seed_reachingABucketStillOpen_refusedNamingIt() {
        ActivityMonitor monitor = monitor(MutableClock.at(NOW), CPU, MetricKind.GAUGE_MEAN);
        InvalidSeedException e = refusedChangingNothing(monitor, CPU, () -> monitor.seed(CPU, minutes(66, 1, 1, 1)));
        assertTrue(e.getMessage().endsWith("it reaches the bucket starting 2024-03-01T01:08:00Z, which is still open;"
                + " seed only closed buckets, before it"), e.getMessage());
    }

    @Test
    void seed_aValueRecordRefuses_refusedWholeNamingIndexAndTime() {
        Map<MetricKey, MetricKind> metrics = Map.of(SESSIONS, MetricKind.COUNTER, CPU, MetricKind.GAUGE_MAX);
        metrics.forEach((metric, kind) -> {
            ActivityMonitor monitor = holding(metric, kind);
            assertThrows(IllegalArgumentException.class, () -> monitor.record(metric, NOW, -0.5));
            InvalidSeedException e = refusedChangingNothing(monitor, metric,
                    () -> monitor.seed(metric, minutes(50, 1, 2, -0.5, 4)));
            assertEquals(OptionalInt.of(2), e.index());
            assertEquals(Optional.of(T0.plus(Duration.ofMinutes(52))), e.time());
            assertTrue(e.getMessage().contains("value -0.5 at index 2 (2024-03-01T00:52:00Z) is negative;"), e.getMessage());
        });
        ActivityMonitor latency = holding(LATENCY, MetricKind.GAUGE_MEAN);
        InvalidSeedException e = refusedChangingNothing(latency, LATENCY,
                () -> latency.seed(LATENCY, minutes(50, 1, 2, 3, 1e101)));
        assertEquals(OptionalInt.of(3), e.index());
        assertTrue(e.getMessage().contains("exceeds the largest magnitude accepted"), e.getMessage());
        // A gauge that is not a resource's use may be negative, as record takes it.
        assertEquals(new SeedReport(LATENCY, 2, 0, 0), latency.seed(LATENCY, minutes(50, -1, -2)));
    }

    @Test
    void seed_aMonitoredSeriesOfAnotherKind_refusedNamingBoth() {
        ActivityMonitor monitor = holding(SESSIONS, MetricKind.COUNTER);
        InvalidSeedException e = refusedChangingNothing(monitor, SESSIONS, () -> monitor.seed(new MonitoredSeries(SESSIONS,
                MetricKind.GAUGE_MEAN, GapFill.PREVIOUS, minutes(50, 1, 2), List.of())));
        assertEquals("cannot seed metric sessions: the series' values were merged as GAUGE_MEAN, the monitor merges the"
                + " metric as COUNTER", e.getMessage());
    }

    @Test
    void seed_anUnknownMetric_refusedAsRecordRefusesIt() {
        ActivityMonitor monitor = holding(CPU, MetricKind.GAUGE_MEAN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> monitor.seed(SESSIONS, minutes(50, 1)));
        assertEquals("unknown metric sessions; registered metrics are [cpu_cores{service=checkout}]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> monitor.seed(new MonitoredSeries(SESSIONS,
                MetricKind.COUNTER, GapFill.ZERO, minutes(50, 1), List.of())));
    }
}
