package io.fleetpredict.prometheus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.GapFill;
import io.fleetpredict.core.monitor.IngestReport;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.monitor.MonitoredSeries;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.TimeSeries;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real Prometheus server whose TSDB was backfilled with a seeded trace: what is read back equals
 * what was written, long ranges are paged under the server's real point limit, and gaps follow the policy.
 */
@DisplayName("PrometheusSource against a real Prometheus server")
class PrometheusSourceTest {

    static final Instant START = Instant.parse("2024-02-26T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(15);
    /** Four weeks at 15 minutes. */
    static final int POINTS = 4 * 7 * 96;
    /** Nine days at one minute: more than Prometheus's 11,000-point limit in one request. */
    static final int MINUTE_POINTS = 9 * 24 * 60;
    /** Steps of the memory series with no sample, and one whose sample is NaN. */
    static final Set<Integer> MISSING = Set.of(10, 11, 12, 500);
    static final int NAN_INDEX = 700;

    static final List<Double> CPU = new ArrayList<>();
    static final List<Double> MEMORY = new ArrayList<>();
    static final List<Double> TRANSACTIONS = new ArrayList<>();
    static final List<Double> REQUESTS = new ArrayList<>();
    /** A series that began three days before the trace's end, and one that stopped after 1,000 steps. */
    static final int NEW_POINTS = 3 * 96;
    static final List<Double> NEW_CPU = new ArrayList<>();
    static final int STOPPED_POINTS = 1000;
    static final List<Double> STOPPED_CPU = new ArrayList<>();
    /** One sample a minute for three hours, its value the minute's index: each minute's bucket is known. */
    static final int MINUTES = 180;

    @TempDir
    static Path dir;
    static PrometheusServer server;
    static PrometheusSource source;

    @BeforeAll
    static void start() {
        Random r = new Random(20240226);
        for (int i = 0; i < POINTS; i++) {
            double day = Math.sin(2 * Math.PI * i / 96.0);
            double tx = Math.round((400 + 250 * day + 30 * r.nextGaussian()) * 10) / 10.0;
            TRANSACTIONS.add(tx);
            CPU.add(Math.round((2 + 0.02 * tx + 0.4 * r.nextGaussian()) * 1000) / 1000.0);
            MEMORY.add(MISSING.contains(i) ? null : i == NAN_INDEX ? Double.NaN : 16 + Math.round(r.nextGaussian() * 100) / 100.0);
        }
        for (int i = 0; i < MINUTE_POINTS; i++) {
            REQUESTS.add((double) (1000 + r.nextInt(500)));
        }
        for (int i = 0; i < NEW_POINTS; i++) {
            NEW_CPU.add(10 + (i % 96) / 16.0);
        }
        for (int i = 0; i < STOPPED_POINTS; i++) {
            STOPPED_CPU.add(3 + (i % 7) / 4.0);
        }
        List<Double> minuteIndex = new ArrayList<>();
        for (int i = 0; i < MINUTES; i++) {
            minuteIndex.add((double) i);
        }
        String om = new OpenMetrics()
                .gauge("fp_new_cores", "service=\"search\"", at(POINTS - NEW_POINTS), STEP, NEW_CPU)
                .gauge("fp_stopped_cores", "service=\"search\"", START, STEP, STOPPED_CPU)
                .gauge("fp_minute_index", "instance=\"a\"", START, Duration.ofMinutes(1), minuteIndex)
                .gauge("fp_cpu_cores", "service=\"checkout\"", START, STEP, CPU)
                .gauge("fp_memory_gib", "service=\"checkout\"", START, STEP, MEMORY)
                .gauge("fp_transactions", "service=\"checkout\"", START, STEP, TRANSACTIONS)
                .gauge("fp_requests", "service=\"checkout\"", START, Duration.ofMinutes(1), REQUESTS)
                .gauge("fp_requests", "service=\"search\"", START, Duration.ofMinutes(1), REQUESTS)
                .text();
        server = PrometheusServer.start(dir, om, "");
        source = PrometheusSource.builder(server.url()).timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Instant at(int index) {
        return START.plus(STEP.multipliedBy(index));
    }

    static double[] values(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The README's sample (quoted there verbatim; ReadmeSamplesTest in fleetpredict-cli checks). */
    @Test
    void readmeSample_readsAHistoryAndTheLatestPoint() {
        String url = server.url().toString();
        Instant start = START;
        Instant end = at(POINTS - 1);
        // tag::sample[]
        PrometheusSource prometheus = PrometheusSource.builder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).maxAttempts(4).build();
        QuerySet queries = new QuerySet(Duration.ofMinutes(15), List.of(
                new SeriesQuery.Usage("checkout", ResourceType.CPU, ResourceUnit.CORES,
                        "sum(fp_cpu_cores{service=\"checkout\"})"),
                new SeriesQuery.Activity("checkout", "transactions", "sum(fp_transactions{service=\"checkout\"})")));
        FleetHistory history = prometheus.history(queries, start, end, GapPolicy.LINEAR);   // paged, retried
        Optional<Sample> latest = prometheus.latest("sum(fp_cpu_cores)", end);           // empty if stale
        // end::sample[]
        assertArrayEquals(values(CPU), history.usage("checkout").get(ResourceType.CPU).values());
        assertEquals(CPU.get(POINTS - 1), latest.orElseThrow().value());
    }

    @Test
    void range_backfilledSeries_readsBackExactly() {
        TimeSeries cpu = source.range("fp_cpu_cores{service=\"checkout\"}", START, at(POINTS - 1), STEP, GapPolicy.REJECT);
        assertEquals(START, cpu.start());
        assertEquals(STEP, cpu.step());
        assertArrayEquals(values(CPU), cpu.values());
    }

    @Test
    void range_smallPages_stitchesTheSameSeries() {
        PrometheusSource paged = PrometheusSource.builder(server.url()).maxPointsPerRequest(97).build();
        TimeSeries tx = paged.range("fp_transactions", START, at(POINTS - 1), STEP, GapPolicy.REJECT);
        assertArrayEquals(values(TRANSACTIONS), tx.values());
        // A range that does not fill its last page, and one starting mid-trace.
        TimeSeries part = paged.range("fp_transactions", at(5), at(5 + 200), STEP, GapPolicy.REJECT);
        assertArrayEquals(values(TRANSACTIONS.subList(5, 206)), part.values());
    }

    @Test
    void range_overTheServersPointLimit_isPagedByDefault_andRefusedInOnePage() {
        Instant end = START.plus(Duration.ofMinutes(MINUTE_POINTS - 1));
        TimeSeries requests = source.range("fp_requests{service=\"checkout\"}", START, end, Duration.ofMinutes(1),
                GapPolicy.REJECT);
        assertArrayEquals(values(REQUESTS), requests.values());

        PrometheusSource onePage = PrometheusSource.builder(server.url()).maxPointsPerRequest(MINUTE_POINTS).build();
        PrometheusException e = assertThrows(PrometheusException.class, () -> onePage.range(
                "fp_requests{service=\"checkout\"}", START, end, Duration.ofMinutes(1), GapPolicy.REJECT));
        assertTrue(e.getMessage().contains("bad_data") && e.getMessage().contains("11,000"), e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void range_missingAndNanSamples_areGapsFilledByThePolicy() {
        String q = "fp_memory_gib";
        PrometheusException rejected = assertThrows(PrometheusException.class,
                () -> source.range(q, START, at(POINTS - 1), STEP, GapPolicy.REJECT));
        assertTrue(rejected.getMessage().contains(at(10).toString()), rejected.getMessage());

        TimeSeries linear = source.range(q, START, at(POINTS - 1), STEP, GapPolicy.LINEAR);
        double[] expected = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            Double v = MEMORY.get(i);
            expected[i] = v == null || v.isNaN() ? Double.NaN : v;
        }
        // Independent reference: straight lines between the observed neighbours.
        for (int i = 0; i < POINTS; i++) {
            if (Double.isNaN(expected[i])) {
                int lo = i - 1;
                int hi = i;
                while (Double.isNaN(expected[hi])) {
                    hi++;
                }
                double a = expected[lo];
                double b = expected[hi];
                for (int j = i; j < hi; j++) {
                    expected[j] = a + (b - a) * (j - lo) / (hi - lo);
                }
            }
        }
        assertArrayEquals(expected, linear.values(), 1e-12);

        List<Sample> samples = source.samples(q, START, at(POINTS - 1), STEP);
        assertEquals(POINTS - MISSING.size() - 1, samples.size());
        assertTrue(samples.stream().noneMatch(s -> s.time().equals(at(NAN_INDEX)) || s.time().equals(at(500))));
    }

    @Test
    void history_querySet_buildsTheFleetHistory() {
        QuerySet set = new QuerySet(STEP, List.of(
                new SeriesQuery.Usage("checkout", ResourceType.CPU, ResourceUnit.CORES, "sum(fp_cpu_cores)"),
                new SeriesQuery.Usage("checkout", ResourceType.MEMORY, ResourceUnit.GIB, "fp_memory_gib{service=\"checkout\"}"),
                new SeriesQuery.Activity("checkout", "transactions", "fp_transactions")));
        FleetHistory h = source.history(set, START, at(POINTS - 1), GapPolicy.PREVIOUS);
        assertEquals(Set.of("checkout"), h.services());
        assertArrayEquals(values(CPU), h.usage("checkout").get(ResourceType.CPU).values());
        assertArrayEquals(values(TRANSACTIONS), h.activity("checkout").get("transactions").values());
        assertEquals(MEMORY.get(9), h.usage("checkout").get(ResourceType.MEMORY).get(12));
        assertEquals(ResourceUnit.GIB, h.unit("checkout", ResourceType.MEMORY));
    }

    @Test
    void range_startingBeforeTheSeriesBegan_startsAtItsFirstPoint_underEveryPolicy() {
        // four weeks asked for, three days there: no step before the first point is invented
        for (GapPolicy policy : GapPolicy.values()) {
            TimeSeries cpu = source.range("sum(fp_new_cores)", START, at(POINTS - 1), STEP, policy);
            assertEquals(at(POINTS - NEW_POINTS), cpu.start(), policy.name());
            assertArrayEquals(values(NEW_CPU), cpu.values(), policy.name());
        }
    }

    @Test
    void range_pastTheSeriesLastPoint_endsThere_underEveryPolicy() {
        // a series that stopped reporting is not carried on (nor refused under REJECT): it ends at its last point
        for (GapPolicy policy : GapPolicy.values()) {
            TimeSeries cpu = source.range("sum(fp_stopped_cores)", START, at(POINTS - 1), STEP, policy);
            assertEquals(START, cpu.start(), policy.name());
            assertEquals(at(STOPPED_POINTS), cpu.end(), policy.name());
            assertArrayEquals(values(STOPPED_CPU), cpu.values(), policy.name());
        }
    }

    @Test
    void history_seriesStartingAndEndingAtDifferentTimes_stayOnOneGrid() {
        QuerySet set = new QuerySet(STEP, List.of(
                new SeriesQuery.Usage("checkout", ResourceType.CPU, ResourceUnit.CORES, "sum(fp_cpu_cores)"),
                new SeriesQuery.Activity("checkout", "transactions", "sum(fp_transactions)"),
                new SeriesQuery.Usage("search", ResourceType.CPU, ResourceUnit.CORES, "sum(fp_new_cores)"),
                new SeriesQuery.Usage("search", ResourceType.MEMORY, ResourceUnit.GIB, "sum(fp_stopped_cores)")));
        FleetHistory h = source.history(set, START.minus(STEP.multipliedBy(5)), at(POINTS - 1), GapPolicy.LINEAR);
        TimeSeries checkout = h.usage("checkout").get(ResourceType.CPU);
        TimeSeries search = h.usage("search").get(ResourceType.CPU);
        TimeSeries stopped = h.usage("search").get(ResourceType.MEMORY);
        assertEquals(START, checkout.start(), "the range began five steps before the trace");
        assertArrayEquals(values(CPU), checkout.values());
        assertEquals(at(POINTS - NEW_POINTS), search.start());
        assertArrayEquals(values(NEW_CPU), search.values());
        assertEquals(at(STOPPED_POINTS), stopped.end());
        // one grid: each series' value at a time is the trace's value at that time
        assertEquals(checkout.end(), search.end());
        assertEquals(h.end(), checkout.end());
        assertEquals(CPU.get(POINTS - NEW_POINTS), checkout.get(POINTS - NEW_POINTS));
        assertEquals(STEP, h.step());
    }

    /**
     * After a restart: a monitor seeded from Prometheus holds the buckets a monitor that recorded every sample
     * live holds. One sample a minute, its value the minute's index, so a 15-minute bucket's mean is known.
     */
    @Test
    void range_datedAtStepStart_seedsTheBucketsLiveRecordingMakes() {
        MetricKey load = MetricKey.fleet("load");
        Instant end = START.plus(Duration.ofMinutes(MINUTES));
        ManualClock liveClock = new ManualClock();
        ActivityMonitor live = ActivityMonitor.builder().step(STEP).clock(liveClock)
                .metric(load, MetricKind.GAUGE_MEAN).build();
        for (int i = 0; i < MINUTES; i++) {
            live.record(load, START.plusSeconds(60L * i), i);
            liveClock.advance(Duration.ofMinutes(1));
        }
        ActivityMonitor restarted = ActivityMonitor.builder().step(STEP).clock(Clock.fixed(end, ZoneOffset.UTC))
                .metric(load, MetricKind.GAUGE_MEAN).build();
        Instant lastClosed = restarted.closedBefore(load).minus(STEP);
        String promql = "avg_over_time(fp_minute_index{instance=\"a\"}[15m])";
        // the recipe of docs/integrations.md and docs/guides/embedding.md (quoted there):
        // tag::restart[]
        TimeSeries past = source.range("avg_over_time(fp_minute_index{instance=\"a\"}[15m])", START,
                restarted.closedBefore(load).minus(STEP), STEP, GapPolicy.REJECT, Dating.STEP_START);
        restarted.seed(load, past);                // each value covers its bucket; the last closed one too
        // end::restart[]
        TimeSeries seeded = restarted.series(load).series();
        TimeSeries recorded = live.series(load).series();
        assertEquals(START, seeded.start());
        assertEquals(restarted.closedBefore(load), seeded.end(), "the last closed bucket is seeded too");
        assertTrue(seeded.size() >= MINUTES / 15 - 1, "every bucket the lateness window has closed: " + seeded.size());
        for (int k = 0; k < seeded.size(); k++) {
            assertEquals(15 * k + 7.0, recorded.get(k), "live bucket " + k);
            assertEquals(recorded.get(k), seeded.get(k), 1e-9, "seeded bucket " + k + " at " + seeded.timeAt(k));
        }
        // dated when evaluated, the same expression gives each bucket about the one before it (Prometheus 2's
        // windows are closed at both ends, so the sample at the boundary counts too)
        TimeSeries late = source.range(promql, START, lastClosed, STEP, GapPolicy.REJECT);
        assertEquals(recorded.get(0), late.get(1), 0.5);
        assertEquals(recorded.get(1), late.get(2), 0.5);
    }

    @Test
    void samplesAndFeed_datedAtStepStart_giveEachBucketItsOwnWindow() {
        String promql = "avg_over_time(fp_minute_index[15m])";
        Instant end = START.plus(Duration.ofMinutes(MINUTES)).minus(STEP);
        List<Sample> samples = source.samples(promql, START, end, STEP, Dating.STEP_START);
        assertEquals(MINUTES / 15, samples.size());
        for (int k = 0; k < samples.size(); k++) {
            assertEquals(START.plus(STEP.multipliedBy(k)), samples.get(k).time());
            assertEquals(15 * k + 7.0, samples.get(k).value(), 1e-9, "bucket " + k);
        }
        MetricKey load = MetricKey.fleet("load");
        ActivityMonitor replay = ActivityMonitor.builder().step(STEP).latenessWindow(Duration.ZERO)
                .clock(Clock.fixed(START, ZoneOffset.UTC)).metric(load, MetricKind.GAUGE_MEAN).build();
        IngestReport report = source.feed(replay, load, promql, START, end, Dating.STEP_START);
        assertEquals(MINUTES / 15, report.accepted());
        TimeSeries fed = replay.series(load).series();
        assertEquals(START, fed.start());
        for (int k = 0; k < fed.size(); k++) {
            assertEquals(15 * k + 7.0, fed.get(k), 1e-9, "bucket " + k);
        }
    }

    @Test
    void range_datedAtStepStart_readsNoStepThatHasNotEnded() {
        // the source's clock stands 20 minutes into the trace's last hour: the step from 15 past has not ended
        Instant lastHour = START.plus(Duration.ofMinutes(MINUTES - 60));
        PrometheusSource at = PrometheusSource.builder(server.url())
                .clock(Clock.fixed(lastHour.plus(Duration.ofMinutes(20)), ZoneOffset.UTC)).build();
        TimeSeries s = at.range("avg_over_time(fp_minute_index[15m])", START, START.plus(Duration.ofMinutes(MINUTES)),
                STEP, GapPolicy.REJECT, Dating.STEP_START);
        assertEquals(lastHour.plus(STEP), s.end());
        assertEquals(15 * (s.size() - 1) + 7.0, s.get(s.size() - 1), 1e-9);
        PrometheusException none = assertThrows(PrometheusException.class, () -> at.range("fp_minute_index",
                lastHour.plus(Duration.ofMinutes(30)), lastHour.plus(Duration.ofMinutes(45)), STEP, GapPolicy.LINEAR,
                Dating.STEP_START));
        assertTrue(none.getMessage().contains("no step of the range has ended"), none.getMessage());
    }

    @Test
    void history_querySetDatedAtStepStart_datesEachPointAtItsStepsStart() {
        QuerySet set = QuerySet.parse("{\"schema_version\": 1, \"step\": \"PT15M\", \"dating\": \"step_start\","
                + " \"queries\": [{\"service\": \"s\", \"resource\": \"cpu\", \"unit\": \"cores\","
                + " \"promql\": \"avg_over_time(fp_minute_index[15m])\"}]}");
        assertEquals(Dating.STEP_START, set.dating());
        TimeSeries cpu = source.history(set, START, START.plus(Duration.ofMinutes(MINUTES - 15)), GapPolicy.REJECT)
                .usage("s").get(ResourceType.CPU);
        assertEquals(START, cpu.start());
        assertEquals(MINUTES / 15, cpu.size());
        assertEquals(7.0, cpu.get(0), 1e-9);
    }

    @Test
    void history_queryWithNoData_namesTheSeries() {
        QuerySet set = new QuerySet(STEP, List.of(
                new SeriesQuery.Usage("checkout", ResourceType.CPU, ResourceUnit.CORES, "fp_no_such_metric")));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source.history(set, START, at(100), GapPolicy.LINEAR));
        assertTrue(e.getMessage().startsWith("checkout.cpu.cores: ") && e.getMessage().contains("no data"), e.getMessage());
    }

    @Test
    void feed_missingSamples_areFilledByTheMonitorsGapFill() {
        MetricKey memory = MetricKey.of("memory_gib", "checkout");
        // Replaying history: the monitor's clock stands at the replay's start, so no bucket is closed early.
        ActivityMonitor monitor = ActivityMonitor.builder().step(STEP).retention(STEP.multipliedBy(POINTS))
                .latenessWindow(Duration.ZERO).clock(Clock.fixed(START, ZoneOffset.UTC)).metric(memory, MetricKind.GAUGE_MEAN, GapFill.PREVIOUS).build();
        IngestReport report = source.feed(monitor, memory, "fp_memory_gib", START, at(POINTS - 1));
        assertEquals(POINTS - MISSING.size() - 1, report.accepted());
        MonitoredSeries s = monitor.series(memory);
        assertEquals(POINTS - 1, s.series().size(), "the last bucket is still open");
        assertEquals(List.of(new MonitoredSeries.Gap(10, 13), new MonitoredSeries.Gap(500, 501),
                new MonitoredSeries.Gap(NAN_INDEX, NAN_INDEX + 1)), s.gaps());
        assertEquals(MEMORY.get(9), s.series().get(11));
        assertEquals(MEMORY.get(POINTS - 2), s.series().get(POINTS - 2));
    }

    @Test
    void latest_instantQuery_givesThePointAtOrBeforeTheTime() {
        assertEquals(new Sample(at(POINTS - 1), CPU.get(POINTS - 1)),
                source.latest("sum(fp_cpu_cores)", at(POINTS - 1)).orElseThrow());
        assertEquals(CPU.get(40), source.latest("fp_cpu_cores", at(40).plusSeconds(120)).orElseThrow().value());
        assertTrue(source.latest("fp_memory_gib", at(11)).isEmpty(), "a missing sample is no point");
        assertTrue(source.latest("fp_memory_gib", at(NAN_INDEX)).isEmpty(), "a NaN sample is no point");
        assertTrue(source.latest("fp_cpu_cores", at(POINTS - 1).plus(Duration.ofMinutes(10))).isEmpty(),
                "past the lookback the series is gone");
        assertEquals(3.5, source.latest("3.5", at(3)).orElseThrow().value());
    }

    @Test
    void latest_datesThePointAtTheEvaluationTime_whateverItsOffsetOrAtModifier() {
        // a point after the time asked for is refused as not Prometheus's: the real server never returns one
        Instant t = at(40).plusSeconds(120);
        assertEquals(new Sample(t, CPU.get(40)), source.latest("fp_cpu_cores", t).orElseThrow());
        assertEquals(new Sample(t, CPU.get(38)), source.latest("fp_cpu_cores offset 30m", t).orElseThrow());
        assertEquals(new Sample(t, CPU.get(42)), source.latest("fp_cpu_cores offset -30m", t).orElseThrow());
        assertEquals(new Sample(t, CPU.get(50)),
                source.latest("fp_cpu_cores @ " + at(50).getEpochSecond(), t).orElseThrow());
        assertEquals(new Sample(t, at(50).getEpochSecond()),
                source.latest("timestamp(fp_cpu_cores @ " + at(50).getEpochSecond() + ")", t).orElseThrow());
    }

    @Test
    void range_startBetweenSecondsAndAStepThatDoesNotDivideIt_readsTheServersGrid() {
        // evaluated half a second after each sample, the lookback finds that sample; the range ends 7 minutes
        // past the tenth step, so the grid, like the server's, stops at the tenth
        Instant start = START.plusMillis(500);
        List<Sample> expected = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            expected.add(new Sample(at(i).plusMillis(500), TRANSACTIONS.get(i)));
        }
        assertEquals(expected, source.samples("fp_transactions", start, at(10).plus(Duration.ofMinutes(7)), STEP));
    }

    @Test
    void query_answeringInfinityAStringOrAMatrix_isNamed() {
        PrometheusException inf = assertThrows(PrometheusException.class,
                () -> source.samples("-fp_transactions / 0", START, at(3), STEP));
        assertTrue(inf.getMessage().contains("value -Inf at " + START + " is infinite"), inf.getMessage());
        PrometheusException string = assertThrows(PrometheusException.class, () -> source.latest("\"up\"", at(3)));
        assertTrue(string.getMessage().endsWith("expected an instant vector, got a string"), string.getMessage());
        PrometheusException matrix = assertThrows(PrometheusException.class,
                () -> source.latest("fp_transactions[30m]", at(3)));
        assertTrue(matrix.getMessage().endsWith("expected an instant vector, got a matrix"), matrix.getMessage());
        PrometheusException rangeOfString = assertThrows(PrometheusException.class,
                () -> source.samples("\"up\"", START, at(3), STEP));
        assertTrue(rangeOfString.getMessage().contains("HTTP 400") && rangeOfString.getMessage().contains("bad_data"),
                rangeOfString.getMessage());
    }

    @Test
    void query_manySeries_isAnErrorListingThem() {
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source.latest("fp_requests", START.plusSeconds(60)));
        assertTrue(e.getMessage().contains("returned 2 series") && e.getMessage().contains("search"), e.getMessage());
    }

    @Test
    void noPartialResponse_isAskedForByDefault_andIgnoredByPrometheus() {
        // Thanos's partial_response=false, sent with every query of the default source: Prometheus reads
        // the same points with it as without it (the other tests here send it too)
        PrometheusSource accepting = PrometheusSource.builder(server.url()).warningPolicy(WarningPolicy.ACCEPT).build();
        assertArrayEquals(values(CPU), source.range("fp_cpu_cores", START, at(POINTS - 1), STEP, GapPolicy.REJECT).values());
        assertArrayEquals(values(CPU), accepting.range("fp_cpu_cores", START, at(POINTS - 1), STEP, GapPolicy.REJECT)
                .values());
        assertEquals(source.latest("fp_cpu_cores", at(40)), accepting.latest("fp_cpu_cores", at(40)));
    }

    @Test
    void query_badPromql_failsAtOnceWithTheServersError() {
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source.samples("sum(fp_cpu_cores", START, at(3), STEP));
        assertTrue(e.getMessage().contains("HTTP 400") && e.getMessage().contains("bad_data"), e.getMessage());
        assertFalse(e.retryable());
        assertFalse(e.getMessage().contains("attempts"), e.getMessage());
    }
}
