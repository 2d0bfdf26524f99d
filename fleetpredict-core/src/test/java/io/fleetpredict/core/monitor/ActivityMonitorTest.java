package io.fleetpredict.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.core.monitor.MonitoredSeries.Gap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-computable cases: every expected value below is worked out in the comment beside it. */
class ActivityMonitorTest {

    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final MetricKey SESSIONS = MetricKey.fleet("sessions");
    private static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");
    private static final MetricKey BANDWIDTH = MetricKey.of("bandwidth_mbps", "checkout");
    private static final double EXACT = 0.0;

    private static Instant at(int minutes, int seconds) {
        return T0.plusSeconds(minutes * 60L + seconds);
    }

    private static ActivityMonitor.Builder minuteMonitor() {
        return ActivityMonitor.builder()
                .step(Duration.ofMinutes(1))
                .latenessWindow(Duration.ofMinutes(2))
                .retention(Duration.ofHours(1))
                .clock(Clock.fixed(T0, ZoneOffset.UTC));
    }

    @Test
    void series_counter_sumsEachBucketAndZeroFillsMarkedGaps() {
        ActivityMonitor monitor = minuteMonitor().metric(SESSIONS, MetricKind.COUNTER).build();
        monitor.record(SESSIONS, at(0, 5), 3);
        monitor.record(SESSIONS, at(0, 59), 4);
        monitor.record(SESSIONS, at(1, 0), 5);
        monitor.record(SESSIONS, at(3, 30), 1);
        // Latest time 00:06 minus 2 min lateness: buckets before 00:04 are closed.
        monitor.record(SESSIONS, at(6, 0), 2);

        MonitoredSeries s = monitor.series(SESSIONS);

        assertEquals(T0, s.series().start());
        assertArrayEquals(new double[] {7, 5, 0, 1}, s.series().values(), EXACT);
        assertEquals(List.of(new Gap(2, 3)), s.gaps());
        assertTrue(s.isFilled(2));
        assertFalse(s.isFilled(3));
        assertEquals(GapFill.ZERO, s.gapFill());
    }

    @Test
    void series_gaugeMean_averagesBucketsAndCarriesPreviousIntoGaps() {
        ActivityMonitor monitor = minuteMonitor().metric(CPU, MetricKind.GAUGE_MEAN).build();
        monitor.recordAll(List.of(
                Observation.of(CPU, at(0, 0), 1), Observation.of(CPU, at(0, 20), 2),
                Observation.of(CPU, at(0, 40), 4), Observation.of(CPU, at(2, 0), 10),
                Observation.of(CPU, at(5, 0), 0)));

        MonitoredSeries s = monitor.series(CPU);

        // mean(1, 2, 4) = 7/3; minute 1 empty carries 7/3; minute 2 = 10. Closed up to 00:03.
        assertArrayEquals(new double[] {7.0 / 3, 7.0 / 3, 10}, s.series().values(), EXACT);
        assertEquals(List.of(new Gap(1, 2)), s.gaps());
    }

    @Test
    void series_linearGapFill_interpolatesBetweenObservedBuckets() {
        ActivityMonitor monitor = minuteMonitor().metric(CPU, MetricKind.GAUGE_MEAN, GapFill.LINEAR).build();
        monitor.record(CPU, at(0, 0), 2);
        monitor.record(CPU, at(3, 0), 8);
        monitor.record(CPU, at(6, 0), 0);

        // Buckets 0..3 closed: 2, then 4 and 6 on the line to 8 at minute 3.
        assertArrayEquals(new double[] {2, 4, 6, 8}, monitor.series(CPU).series().values(), EXACT);
        assertEquals(List.of(new Gap(1, 3)), monitor.series(CPU).gaps());
    }

    @Test
    void series_gaugeMax_takesTheLargestObservation() {
        ActivityMonitor monitor = minuteMonitor().metric(BANDWIDTH, MetricKind.GAUGE_MAX).build();
        monitor.recordAll(List.of(
                Observation.of(BANDWIDTH, at(0, 10), 120), Observation.of(BANDWIDTH, at(0, 50), 340),
                Observation.of(BANDWIDTH, at(0, 30), 90), Observation.of(BANDWIDTH, at(1, 0), 5),
                Observation.of(BANDWIDTH, at(4, 0), 0)));

        assertArrayEquals(new double[] {340, 5}, monitor.series(BANDWIDTH).series().values(), EXACT);
    }

    @Test
    void record_outOfOrderWithinWindow_mergesIntoItsBucketAndIsCounted() {
        ActivityMonitor monitor = minuteMonitor().metric(SESSIONS, MetricKind.COUNTER).build();
        assertTrue(monitor.record(SESSIONS, at(5, 0), 1));
        // Watermark 00:03: bucket [00:03, 00:04) is still open, so both are merged.
        assertTrue(monitor.record(SESSIONS, at(4, 30), 2));
        assertTrue(monitor.record(SESSIONS, at(3, 10), 3));
        assertTrue(monitor.record(SESSIONS, at(3, 10), 3));
        monitor.record(SESSIONS, at(8, 0), 0);

        MonitoredSeries s = monitor.series(SESSIONS);
        // Closed up to 00:06, starting at the first observed bucket 00:03: 3 + 3, 2, 1.
        assertEquals(at(3, 0), s.series().start());
        assertArrayEquals(new double[] {6, 2, 1}, s.series().values(), EXACT);
        MetricStats stats = monitor.stats(SESSIONS);
        assertEquals(5, stats.accepted());
        assertEquals(3, stats.outOfOrder());
        assertEquals(0, stats.late());
    }

    @Test
    void record_olderThanWindow_isCountedReportedAndLeavesSeriesUnchanged() {
        List<Rejection> seen = new ArrayList<>();
        ActivityMonitor monitor = minuteMonitor().metric(SESSIONS, MetricKind.COUNTER).onRejected(seen::add).build();
        monitor.record(SESSIONS, at(1, 0), 4);
        monitor.record(SESSIONS, at(5, 0), 1);
        MonitoredSeries before = monitor.series(SESSIONS);

        // Watermark 00:03: the bucket of 00:02:59 has closed.
        assertFalse(monitor.record(SESSIONS, at(2, 59), 7));

        assertEquals(before, monitor.series(SESSIONS));
        assertEquals(1, monitor.stats(SESSIONS).late());
        assertEquals(1, seen.size());
        assertEquals(RejectReason.LATE, seen.get(0).reason());
        assertTrue(seen.get(0).message().contains("sessions at 2024-03-01T00:02:59Z is late"), seen.get(0).message());
        assertTrue(seen.get(0).message().contains("buckets before 2024-03-01T00:03:00Z are closed"), seen.get(0).message());
    }

    @Test
    void recordAll_mixedBatch_countsEveryObservationOnceWithReasons() {
        List<Rejection> seen = new ArrayList<>();
        ActivityMonitor monitor = minuteMonitor()
                .metric(SESSIONS, MetricKind.COUNTER)
                .metric(CPU, MetricKind.GAUGE_MEAN)
                .onRejected(seen::add)
                .build();
        monitor.record(SESSIONS, at(10, 0), 1);
        MetricKey unknown = MetricKey.fleet("page_views");

        IngestReport report = monitor.recordAll(List.of(
                Observation.of(SESSIONS, at(9, 0), 1),              // out of order, open
                Observation.of(SESSIONS, at(7, 0), 1),              // late: watermark 00:08
                Observation.of(SESSIONS, at(11, 0), -1),            // negative counter
                Observation.of(CPU, at(11, 0), Double.NaN),         // not finite
                Observation.of(CPU, at(11, 0), Double.POSITIVE_INFINITY),
                Observation.of(CPU, at(11, 0), -2.5),               // a resource's use cannot be negative
                Observation.of(CPU, at(11, 0), 1e101),              // too large
                Observation.of(unknown, at(11, 0), 1)));

        assertEquals(1, report.accepted());
        assertEquals(1, report.outOfOrder());
        assertEquals(Map.of(SESSIONS, 1L), report.late());
        assertEquals(Map.of(RejectReason.NEGATIVE_COUNTER, 1L, RejectReason.NOT_FINITE, 2L,
                RejectReason.NEGATIVE_USAGE, 1L, RejectReason.TOO_LARGE, 1L, RejectReason.UNKNOWN_METRIC, 1L),
                report.invalid());
        assertEquals(8, report.submitted());
        assertEquals(7, report.examples().size());
        assertEquals(7, seen.size());
        assertEquals(1, monitor.unknownMetricRejections());
        assertEquals(Map.of(RejectReason.NOT_FINITE, 2L, RejectReason.NEGATIVE_USAGE, 1L, RejectReason.TOO_LARGE, 1L),
                monitor.stats(CPU).invalid());
        assertEquals(1, monitor.stats(SESSIONS).late());
        assertEquals(Map.of(RejectReason.NEGATIVE_COUNTER, 1L), monitor.stats(SESSIONS).invalid());
    }

    @Test
    void recordAll_unsortedBatch_appliesInTimeOrderSoNothingInsideIsLate() {
        ActivityMonitor monitor = minuteMonitor().metric(SESSIONS, MetricKind.COUNTER).build();
        // In arrival order 00:20 would close 00:00; in time order nothing is late.
        IngestReport report = monitor.recordAll(List.of(
                Observation.of(SESSIONS, at(20, 0), 1), Observation.of(SESSIONS, at(0, 0), 2)));

        assertEquals(2, report.accepted());
        assertEquals(0, report.lateTotal());
        assertEquals(2.0, monitor.series(SESSIONS).series().get(0), EXACT);
    }

    @Test
    void series_clockPassesWithoutData_closesBucketsAsGaps() {
        MutableClock clock = MutableClock.at(T0);
        ActivityMonitor monitor = minuteMonitor().clock(clock).metric(CPU, MetricKind.GAUGE_MEAN).build();
        monitor.record(CPU, at(0, 0), 3);
        assertEquals(0, monitor.series(CPU).series().size());

        clock.advance(Duration.ofMinutes(6));

        // Clock 00:06 minus 2 min: buckets 0..3 closed; 1..3 carry 3 forward.
        MonitoredSeries s = monitor.series(CPU);
        assertArrayEquals(new double[] {3, 3, 3, 3}, s.series().values(), EXACT);
        assertEquals(List.of(new Gap(1, 4)), s.gaps());
        assertFalse(monitor.record(CPU, at(3, 59), 1), "bucket closed by the clock");
    }

    @Test
    void series_pastRetention_evictsOldestBuckets() {
        ActivityMonitor monitor = minuteMonitor().retention(Duration.ofMinutes(3))
                .metric(SESSIONS, MetricKind.COUNTER).build();
        for (int m = 0; m < 10; m++) {
            monitor.record(SESSIONS, at(m, 0), m);
        }
        // Latest 00:09 minus 2: closed before 00:07; retention keeps the last 3 closed buckets.
        MonitoredSeries s = monitor.series(SESSIONS);
        assertEquals(at(4, 0), s.series().start());
        assertArrayEquals(new double[] {4, 5, 6}, s.series().values(), EXACT);
        MetricStats stats = monitor.stats(SESSIONS);
        // Capacity: 3 retained + 2 lateness + 1 open; live buckets are 00:04 .. 00:09.
        assertEquals(6, stats.bucketCapacity());
        assertEquals(6, stats.retainedBuckets());
    }

    @Test
    void series_rejectPolicyWithGap_throwsNamingMetricAndTime() {
        ActivityMonitor monitor = minuteMonitor().metric(CPU, MetricKind.GAUGE_MEAN, GapFill.REJECT).build();
        monitor.record(CPU, at(0, 0), 1);
        monitor.record(CPU, at(2, 0), 1);
        monitor.record(CPU, at(6, 0), 1);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> monitor.series(CPU));
        assertEquals("metric cpu_cores{service=checkout} has no observation in the bucket starting "
                + "2024-03-01T00:01:00Z and its gap policy is REJECT", e.getMessage());
    }

    @Test
    void series_allBucketsEvictedForPrevious_isEmpty() {
        MutableClock clock = MutableClock.at(T0);
        ActivityMonitor monitor = minuteMonitor().clock(clock).retention(Duration.ofMinutes(3))
                .metric(CPU, MetricKind.GAUGE_MEAN).build();
        monitor.record(CPU, at(0, 0), 1);
        clock.advance(Duration.ofHours(1));

        MonitoredSeries s = monitor.series(CPU);
        assertTrue(s.series().isEmpty());
        assertEquals(at(58, 0), s.series().start());
    }

    @Test
    void record_unknownMetric_throwsNamingItAndTheRegisteredOnes() {
        ActivityMonitor monitor = minuteMonitor().metric(SESSIONS, MetricKind.COUNTER).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> monitor.record(MetricKey.of("cpu_cores", "search"), T0, 1));
        assertEquals("unknown metric cpu_cores{service=search}; registered metrics are [sessions]", e.getMessage());
        assertEquals(1, monitor.unknownMetricRejections());
        assertThrows(IllegalArgumentException.class, () -> monitor.series(CPU));
    }

    @Test
    void record_badValues_throwClearMessagesAndAreCounted() {
        ActivityMonitor monitor = minuteMonitor().metric(SESSIONS, MetricKind.COUNTER).build();
        assertEquals("value NaN of metric sessions at 2024-03-01T00:00:00Z is not finite",
                assertThrows(IllegalArgumentException.class, () -> monitor.record(SESSIONS, T0, Double.NaN)).getMessage());
        assertEquals("value -Infinity of metric sessions at 2024-03-01T00:00:00Z is not finite",
                assertThrows(IllegalArgumentException.class,
                        () -> monitor.record(SESSIONS, T0, Double.NEGATIVE_INFINITY)).getMessage());
        assertEquals("value -3.0 of metric sessions at 2024-03-01T00:00:00Z is negative; a counter counts events",
                assertThrows(IllegalArgumentException.class, () -> monitor.record(SESSIONS, T0, -3)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> monitor.record(SESSIONS, Instant.parse("2300-01-01T00:00:00Z"), 1)).getMessage()
                .contains("outside the supported range"));
        assertEquals(Map.of(RejectReason.NOT_FINITE, 2L, RejectReason.NEGATIVE_COUNTER, 1L,
                RejectReason.TIME_OUT_OF_RANGE, 1L), monitor.stats(SESSIONS).invalid());
        assertEquals(0, monitor.stats(SESSIONS).accepted());
    }

    @Test
    void record_negativeUsage_rejectedAndCountedLikeNaNWhileActivityMayBeNegative() {
        MetricKey balance = MetricKey.fleet("net_signups");
        ActivityMonitor monitor = minuteMonitor().metric(CPU, MetricKind.GAUGE_MEAN)
                .metric(BANDWIDTH, MetricKind.GAUGE_MAX).metric(balance, MetricKind.GAUGE_MEAN).build();
        assertEquals("value -5.0 of metric cpu_cores{service=checkout} at 2024-03-01T00:00:00Z is negative; it is the "
                + "use of a resource, which cannot be", assertThrows(IllegalArgumentException.class,
                        () -> monitor.record(CPU, T0, -5)).getMessage());
        IngestReport batch = monitor.recordAll(List.of(new Observation(BANDWIDTH, T0, -1),
                new Observation(BANDWIDTH, T0, 2), new Observation(CPU, T0, 0)));
        assertEquals(2, batch.accepted());
        assertTrue(monitor.record(balance, T0, -3), "activity is not a resource: it may be negative");
        assertEquals(Map.of(RejectReason.NEGATIVE_USAGE, 1L), monitor.stats(CPU).invalid());
        assertEquals(Map.of(RejectReason.NEGATIVE_USAGE, 1L), monitor.stats(BANDWIDTH).invalid());
        assertEquals(Map.of(), monitor.stats(balance).invalid());
    }

    @Test
    void record_beyondFutureTolerance_isRejected() {
        ActivityMonitor monitor = minuteMonitor().futureTolerance(Duration.ofMinutes(10))
                .metric(SESSIONS, MetricKind.COUNTER).build();
        assertTrue(monitor.record(SESSIONS, at(10, 0), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> monitor.record(SESSIONS, at(10, 1), 1));
        assertEquals("value 1.0 of metric sessions at 2024-03-01T00:10:01Z is more than PT10M ahead of the clock "
                + "(2024-03-01T00:00:00Z)", e.getMessage());
    }

    @Test
    void builder_badConfiguration_failsWithTheBadValue() {
        assertEquals("step: must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> ActivityMonitor.builder().step(Duration.ZERO)).getMessage());
        assertEquals("step: must be positive, was PT-1M", assertThrows(IllegalArgumentException.class,
                () -> ActivityMonitor.builder().step(Duration.ofMinutes(-1))).getMessage());
        assertEquals("lateness: must not be negative, was PT-1S", assertThrows(IllegalArgumentException.class,
                () -> ActivityMonitor.builder().latenessWindow(Duration.ofSeconds(-1))).getMessage());
        assertEquals("no metric registered; call metric(key, kind) at least once",
                assertThrows(IllegalArgumentException.class, () -> ActivityMonitor.builder().build()).getMessage());
        assertEquals("retention PT30S must be at least one step PT1M", assertThrows(IllegalArgumentException.class,
                () -> minuteMonitor().retention(Duration.ofSeconds(30)).metric(SESSIONS, MetricKind.COUNTER).build())
                .getMessage());
        assertEquals("metric sessions is already registered", assertThrows(IllegalArgumentException.class,
                () -> minuteMonitor().metric(SESSIONS, MetricKind.COUNTER).metric(SESSIONS, MetricKind.GAUGE_MEAN))
                .getMessage());
        assertEquals("retention PT8760H plus lateness PT2M at step PT1S needs 31536121 buckets per metric; "
                + "the limit is 1000000", assertThrows(IllegalArgumentException.class,
                () -> minuteMonitor().step(Duration.ofSeconds(1)).retention(Duration.ofDays(365))
                        .metric(SESSIONS, MetricKind.COUNTER).build()).getMessage());
    }

    @Test
    void metricKey_badNames_failWithTheName() {
        assertEquals("name must be letters, digits, '_', '.' or '-', was \"cpu cores\"",
                assertThrows(IllegalArgumentException.class, () -> MetricKey.fleet("cpu cores")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetricKey.of("cpu", ""));
        assertEquals("cpu{service=checkout}", MetricKey.of("cpu", "checkout").toString());
    }

    /** The refused name is shown with its line break escaped, so a message that is logged stays one line. */
    @Test
    void metricKey_nameOrServiceWithALineBreak_failsShowingItEscaped() {
        assertEquals("name must be letters, digits, '_', '.' or '-', was \"tx\\u000a[main] ERROR forged\"",
                assertThrows(IllegalArgumentException.class,
                        () -> MetricKey.fleet("tx\n[main] ERROR forged")).getMessage());
        assertEquals("service must be empty or letters, digits, '_', '.' or '-', was \"a\\u000db\"",
                assertThrows(IllegalArgumentException.class, () -> MetricKey.of("tx", "a\rb")).getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void series_inWindowDataInAnyOrder_isIdentical(long seed) {
        Random rnd = new Random(seed);
        List<Observation> data = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            // All within 20 minutes and a 30-minute lateness window: nothing can be late in any order.
            Instant t = T0.plusMillis(rnd.nextInt(20 * 60_000));
            data.add(Observation.of(CPU, t, rnd.nextDouble() * Math.pow(10, rnd.nextInt(8))));
            data.add(Observation.of(SESSIONS, t, rnd.nextInt(5)));
        }
        MonitoredSeries cpuFirst = null;
        MonitoredSeries sessionsFirst = null;
        for (int run = 0; run < 4; run++) {
            Collections.shuffle(data, rnd);
            MutableClock clock = MutableClock.at(T0);
            ActivityMonitor monitor = minuteMonitor().clock(clock).latenessWindow(Duration.ofMinutes(30))
                    .metric(CPU, MetricKind.GAUGE_MEAN).metric(SESSIONS, MetricKind.COUNTER).build();
            if (run % 2 == 0) {
                data.forEach(o -> monitor.record(o.metric(), o.time(), o.value()));
            } else {
                monitor.recordAll(data.subList(0, 2500));
                monitor.recordAll(data.subList(2500, data.size()));
            }
            // Clock 00:50 minus 30 min lateness closes exactly the 20 observed minutes.
            clock.advance(Duration.ofMinutes(50));
            MonitoredSeries cpu = monitor.series(CPU);
            MonitoredSeries sessions = monitor.series(SESSIONS);
            assertEquals(20, cpu.series().size());
            if (run == 0) {
                cpuFirst = cpu;
                sessionsFirst = sessions;
            } else {
                assertEquals(cpuFirst, cpu, "run " + run);
                assertEquals(sessionsFirst, sessions, "run " + run);
            }
        }
    }
}
