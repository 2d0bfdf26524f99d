package io.fleetpredict.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.TimeSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example query file of {@code docs/examples/integrations}, read under its dating from a real server, gives
 * each step exactly what happened in {@code [t, t + step)}, as a monitor's bucket and a CSV row hold it.
 *
 * <p>The server holds the raw series a cluster exposes, scraped every 15 s for three hours: counters whose rate
 * is constant within each 15-minute step and differs from the step before (events a second, and CPU seconds a
 * second, that is cores), and a memory gauge whose value changes every minute. So each step's increase, rate and
 * mean are known exactly, and a window off the step by even a few seconds reads another value. It also holds,
 * under the names {@code fleet:<metric>:increase15m}, {@code fleet:cpu_cores:avg15m} and
 * {@code fleet:memory_gib:avg15m}, what recording rules over 15 minutes record when their group is evaluated every
 * minute, 21.773 s past it (a group's evaluations are offset within its interval by a hash of its name): each the
 * server's own evaluation of the rule's expression at those times, as the rule manager writes it.
 */
class PrometheusExampleQueriesTest {

    static final Instant START = Instant.parse("2024-03-01T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(15);
    static final int STEPS = 12;
    static final Duration SCRAPE = Duration.ofSeconds(15);
    /** Where a rule group evaluated every minute evaluates, past each minute. */
    static final Duration RULE_OFFSET = Duration.ofMillis(21_773);
    static final double GIB = 1L << 30;

    /** The counters: a service, the metric's name, and its rate (a second) in each step. */
    private record Counter(String service, String name, double[] rates) {
    }

    static final List<Counter> COUNTERS = List.of(
            new Counter("catalogue", "page_views_total", rates(4.5, 2.25)),
            new Counter("checkout", "sessions_total", rates(2.75, 1.5)),
            new Counter("checkout", "transactions_total", rates(0.75, 0.5)),
            new Counter("catalogue", "container_cpu_usage_seconds_total", rates(20.5, 3.25)),
            new Counter("checkout", "container_cpu_usage_seconds_total", rates(18.25, 2.5)),
            new Counter("search", "container_cpu_usage_seconds_total", rates(11.0, 1.75)));
    /** The memory gauges, in GiB, by service: a value for each minute. */
    static final Map<String, double[]> MEMORY = Map.of("catalogue", minutes(15.5), "checkout", minutes(18.25));

    @TempDir
    static Path dir;
    static PrometheusServer raw;
    static PrometheusServer withRules;
    static PrometheusSource source;

    /** A rate for each step: {@code base}, then {@code base + swing}, {@code base - swing} and back, step by step. */
    private static double[] rates(double base, double swing) {
        double[] r = new double[STEPS];
        for (int k = 0; k < STEPS; k++) {
            r[k] = base + swing * ((k % 4) - 1.5);
        }
        return r;
    }

    /** A value for each minute, a sixteenth of a GiB apart, so that the mean of any 15 minutes differs. */
    private static double[] minutes(double base) {
        double[] v = new double[STEPS * 15];
        for (int m = 0; m < v.length; m++) {
            v[m] = base + ((m * 7) % 23) / 16.0;
        }
        return v;
    }

    @BeforeAll
    static void start() throws Exception {
        // OpenMetrics text: each family's samples together, under one TYPE line.
        Map<String, StringBuilder> families = new LinkedHashMap<>();
        int samples = (int) (STEP.multipliedBy(STEPS).toMillis() / SCRAPE.toMillis());
        for (Counter c : COUNTERS) {
            double total = 1000;
            for (int i = 0; i <= samples; i++) {
                sample(families, c.name(), c.service(), total, START.plus(SCRAPE.multipliedBy(i)));
                // the rate of the step the 15 s from this sample lie in
                total += c.rates()[Math.min(STEPS - 1, i * 15 / 900)] * 15;
            }
        }
        MEMORY.forEach((service, gib) -> {
            for (int i = 0; i < samples; i++) {
                sample(families, "container_memory_working_set_bytes", service, gib[i / 4] * GIB,
                        START.plus(SCRAPE.multipliedBy(i)));
            }
        });
        String rawText = text(families);
        raw = PrometheusServer.start(Files.createDirectories(dir.resolve("raw")), rawText, "");
        PrometheusSource rawSource = PrometheusSource.builder(raw.url()).timeout(Duration.ofSeconds(20)).build();
        // The recording rules the names stand for, evaluated as the rule manager evaluates them: once a minute, at
        // the group's offset, each evaluation the expression's instant value at that time.
        Instant firstRule = START.plus(STEP).plus(RULE_OFFSET);
        Instant lastRule = START.plus(STEP.multipliedBy(STEPS)).minusSeconds(60).plus(RULE_OFFSET);
        for (String[] rule : ruleExpressions()) {
            for (Sample s : rawSource.samples(rule[2], firstRule, lastRule, Duration.ofMinutes(1))) {
                sample(families, rule[0], rule[1], s.value(), s.time());
            }
        }
        raw.close();
        withRules = PrometheusServer.start(Files.createDirectories(dir.resolve("rules")), text(families), "");
        source = PrometheusSource.builder(withRules.url()).timeout(Duration.ofSeconds(20)).build();
    }

    private static String text(Map<String, StringBuilder> families) {
        StringBuilder sb = new StringBuilder();
        families.forEach((name, samples) -> sb.append("# TYPE ").append(name).append(" gauge\n").append(samples));
        return sb.append("# EOF\n").toString();
    }

    /** The recording rules over 15 minutes, one series each: the name, the service and the expression. */
    private static List<String[]> ruleExpressions() {
        List<String[]> out = new ArrayList<>();
        for (Counter c : COUNTERS) {
            String selector = String.format(Locale.ROOT, "%s{service=\"%s\"}[15m]", c.name(), c.service());
            out.add(c.name().startsWith("container_cpu")
                    ? new String[] {"fleet:cpu_cores:avg15m", c.service(), "sum(rate(" + selector + "))"}
                    : new String[] {"fleet:" + c.name().replace("_total", "") + ":increase15m", c.service(),
                        "sum(increase(" + selector + "))"});
        }
        MEMORY.keySet().forEach(service -> out.add(new String[] {"fleet:memory_gib:avg15m", service,
                "sum(avg_over_time(container_memory_working_set_bytes{service=\"" + service + "\"}[15m])) / 2^30"}));
        return out;
    }

    private static void sample(Map<String, StringBuilder> families, String name, String service, double value,
            Instant t) {
        families.computeIfAbsent(name, n -> new StringBuilder()).append(name).append("{service=\"").append(service).append("\"} ").append(value).append(' ')
                .append(java.math.BigDecimal.valueOf(t.toEpochMilli(), 3).toPlainString()).append('\n');
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        if (withRules != null) {
            withRules.close();
        }
    }

    /** What step {@code k} holds for a query of the example: the increase, the cores or the mean memory. */
    private static double expected(SeriesQuery q, int k) {
        if (q instanceof SeriesQuery.Usage u && u.type() == ResourceType.MEMORY) {
            double sum = 0;
            for (int m = 15 * k; m < 15 * k + 15; m++) {
                sum += MEMORY.get(u.service())[m];
            }
            return sum / 15;
        }
        String name = q instanceof SeriesQuery.Activity a ? a.metric() + "_total" : "container_cpu_usage_seconds_total";
        Counter c = COUNTERS.stream().filter(x -> x.service().equals(q.service()) && x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no series for " + q));
        return q instanceof SeriesQuery.Activity ? c.rates()[k] * STEP.toSeconds() : c.rates()[k];
    }

    /**
     * Every query of the example file, read under its dating from the first step a rule over 15 minutes has a whole
     * window for to the last: each value is its step's.
     */
    @Test
    void exampleQueryFile_readUnderItsDating_givesEachStepExactlyItsOwnWindow() {
        QuerySet set = QuerySet.read(Path.of("..", "docs", "examples", "integrations", "prometheus-queries.json"));
        assertEquals(STEP, set.step());
        for (SeriesQuery q : set.queries()) {
            TimeSeries s = source.range(q.promql(), START.plus(STEP), START.plus(STEP.multipliedBy(STEPS - 1)), set.step(),
                    GapPolicy.REJECT, set.dating());
            assertEquals(START.plus(STEP), s.start(), q.promql());
            assertEquals(STEPS - 1, s.size(), q.promql());
            for (int k = 1; k < STEPS; k++) {
                double want = expected(q, k);
                assertEquals(want, s.get(k - 1), Math.abs(want) * 1e-9, String.format(Locale.ROOT,
                        "%s, step %s", q.promql(), START.plus(STEP.multipliedBy(k))));
            }
        }
    }

    /**
     * A recording rule over the step, read at the step's end as a query file of rule names reads it, holds the window of its
     * own last evaluation within the step: here the 15 minutes to 38.227 s before the step's end, part of them the
     * step before. Its value is the rule's expression at that evaluation, not the step's.
     */
    @Test
    void recordingRuleOverTheStep_readAtTheStepsEnd_holdsTheWindowOfItsLastEvaluation() {
        for (int k = 1; k < STEPS; k++) {
            Instant t = START.plus(STEP.multipliedBy(k));
            double read = source.samples("sum(fleet:cpu_cores:avg15m{service=\"search\"})", t, t, STEP, Dating.STEP_START)
                    .get(0).value();
            Instant evaluated = t.plus(Duration.ofMinutes(14)).plus(RULE_OFFSET);
            double atEvaluation = source.latest("sum(rate(container_cpu_usage_seconds_total{service=\"search\"}[15m]))",
                    evaluated).orElseThrow().value();
            assertEquals(atEvaluation, read, 1e-9, "step " + t);
            double own = COUNTERS.get(5).rates()[k];
            assertTrue(Math.abs(read - own) > 0.01, String.format(Locale.ROOT, "step %s: the rule read %s, the step's"
                    + " own rate is %s", t, read, own));
        }
    }
}
