package io.fleetpredict.prometheus;

import static io.fleetpredict.prometheus.LoopbackServer.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers that are well-formed JSON but whose points are not what Prometheus sends: each is a
 * {@link PrometheusException} naming the query and the point, never a raw runtime exception or a
 * silently different series.
 */
class PrometheusPointsTest {

    static final Instant T0 = Instant.ofEpochSecond(1000);
    static final Instant T1 = Instant.ofEpochSecond(1060);
    static final Duration STEP = Duration.ofSeconds(15);

    final LoopbackServer server = new LoopbackServer();

    @AfterEach
    void stop() {
        server.close();
    }

    PrometheusSource source(int pointsPerRequest) {
        return PrometheusSource.builder(server.url()).maxAttempts(1).maxPointsPerRequest(pointsPerRequest).build();
    }

    PrometheusException rangeFails(String answer) {
        server.json(answer);
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source(11_000).samples("up", T0, T1, STEP));
        assertFalse(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().startsWith("query up: "), e.getMessage());
        return e;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[[1000,\"1.5d\"]]|\"1.5d\"",
        "[[1000,\" 7 \"]]|\" 7 \"",
        "[[1000,\"0x1p3\"]]|\"0x1p3\"",
        "[[1000,\"Infinity\"]]|\"Infinity\"",
        "[[1000,\"abc\"]]|\"abc\"",
        "[[1000,null]]|null",
        "[[1000,true]]|true"})
    void valueNotInPrometheusNumberSyntax_isNamedWithItsTime(String values, String shown) {
        PrometheusException e = rangeFails(matrix("{}", values));
        assertTrue(e.getMessage().contains("value " + shown + " at 1970-01-01T00:16:40Z is not a number"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[[1000,\"1\"],[1015,\"-2.5\"],[1030,\"1e3\"],[1045,\"NaN\"],[1060,\".5E-1\"]]|1,-2.5,1000,,0.05",
        "[[1000,1],[1015,\"+2\"],[1060,\"-0\"]]|1,2,,,-0.0"})
    void prometheusNumberSyntax_reads(String values, String expected) {
        server.json(matrix("{}", values));
        List<Sample> samples = source(11_000).samples("up", T0, T1, STEP);
        String[] want = expected.split(",", -1);
        List<Sample> expectedSamples = new java.util.ArrayList<>();
        for (int i = 0; i < want.length; i++) {
            if (!want[i].isEmpty()) {
                expectedSamples.add(new Sample(T0.plus(STEP.multipliedBy(i)), Double.parseDouble(want[i])));
            }
        }
        assertEquals(expectedSamples, samples);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+Inf", "-Inf"})
    void infiniteValue_isNamedWithItsTime(String inf) {
        PrometheusException e = rangeFails(matrix("{}", "[[1000,\"1\"],[1015,\"" + inf + "\"]]"));
        assertTrue(e.getMessage().contains("value " + inf + " at 1970-01-01T00:16:55Z is infinite"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e300", "-1e300", "9223372036854775.808", "1e999999999"})
    void timestampOutOfRange_isNamed(String time) {
        PrometheusException e = rangeFails(matrix("{}", "[[" + time + ",\"1\"]]"));
        assertTrue(e.getMessage().contains("timestamp") && e.getMessage().contains("is out of range"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e9999999999", "1e-999999999", "-1e-2147483648"})
    void timestampWithAHugeExponent_failsAsAnAnswerError(String time) {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> rangeFails(matrix("{}", "[[" + time + ",\"1\"]]")));
    }

    @Test
    void pointsOfAnAlignedGrid_nameTheCauseAndTheCure() {
        // a query frontend that aligns ranges to the step (Cortex, Mimir, Thanos) evaluates 1000 s at a 15 s
        // step from 990 s, so every point falls between the requested times
        PrometheusException e = rangeFails(matrix("{}", "[[1005,\"1\"],[1020,\"2\"]]"));
        assertTrue(e.getMessage().contains("point at 1970-01-01T00:16:45Z is off the requested grid of PT15S from"
                + " 1970-01-01T00:16:40Z") && e.getMessage().contains("a start that is a multiple of the step"),
                e.getMessage());
    }

    @Test
    void pointsOfAnAlignedGrid_underStepStart_sayNoStartHelpsAndNameTheCallersStart() {
        // Under STEP_START the source asks for 1014.999 s to 1074.999 s; an aligning frontend evaluates 1005 s,
        // 1020 s, ... instead, and no start makes 1 ms short of a step a multiple of it.
        server.json(matrix("{}", "[[1005,\"1\"],[1020,\"2\"]]"));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source(11_000).samples("up", T0, T1, STEP, Dating.STEP_START));

        assertFalse(e.retryable(), e.getMessage());
        assertEquals("query up: point at 1970-01-01T00:16:45Z is off the requested grid of PT15S from"
                + " 1970-01-01T00:16:40Z: dated at each step's start (STEP_START), each point is evaluated 1 ms"
                + " before its step ends, from 1970-01-01T00:16:54.999Z on; a query frontend that aligns ranges to"
                + " the step (Cortex and Mimir's align_queries_with_step, Thanos's"
                + " --query-range.align-range-with-step) moves every such time, whatever the start: turn that"
                + " alignment off for these queries, or query Prometheus itself", e.getMessage());
    }

    @Test
    void pointOutsideTheRequestedRange_isRefused() {
        PrometheusException e = rangeFails(matrix("{}", "[[1000,\"1\"],[1075,\"2\"]]"));
        assertTrue(e.getMessage().contains("point at 1970-01-01T00:17:55Z is outside the requested range"),
                e.getMessage());
    }

    @Test
    void twoPointsAtOneTime_areRefused() {
        PrometheusException e = rangeFails(matrix("{}", "[[1000,\"1\"],[1015,\"2\"],[1000,\"3\"]]"));
        assertTrue(e.getMessage().contains("two points at 1970-01-01T00:16:40Z"), e.getMessage());
    }

    @Test
    void pointsOutOfOrder_arePlacedByTheirTime() {
        server.json(matrix("{}", "[[1030,\"3\"],[1000,\"1\"],[1015,\"2\"]]"));
        assertEquals(List.of(new Sample(T0, 1), new Sample(T0.plus(STEP), 2), new Sample(T0.plus(STEP.multipliedBy(2)), 3)),
                source(11_000).samples("up", T0, T1, STEP));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void pointsInAnyOrderWithGaps_readAsTheSortedPoints(long seed) {
        // a page of 300 grid times, some left out, sent shuffled: every point lands at its own time
        java.util.Random random = new java.util.Random(seed);
        List<Sample> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (random.nextInt(4) > 0) {
                expected.add(new Sample(T0.plusSeconds(15L * i), random.nextInt(1000) / 8.0));
            }
        }
        List<Sample> shuffled = new java.util.ArrayList<>(expected);
        java.util.Collections.shuffle(shuffled, random);
        StringBuilder values = new StringBuilder("[");
        for (Sample p : shuffled) {
            values.append(values.length() > 1 ? "," : "").append('[').append(p.time().getEpochSecond())
                    .append(",\"").append(p.value()).append("\"]");
        }
        server.json(matrix("{}", values.append(']').toString()));
        assertEquals(expected, source(11_000).samples("up", T0, T0.plusSeconds(15 * 299), STEP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":[1000,\"1\"]}", "\"1\"", "[1000,\"1\"]"})
    void valuesNotAListOfPairs_areRefused(String values) {
        PrometheusException e = rangeFails(matrix("{}", values));
        assertTrue(e.getMessage().contains("not a list of [time, value] pairs")
                || e.getMessage().contains("is not a [time, value] pair"), e.getMessage());
    }

    @Test
    void nativeHistogramSeries_isRefusedNotReadAsEmpty() {
        PrometheusException e = rangeFails("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
                + "[{\"metric\":{},\"histograms\":[[1000,{\"count\":\"3\",\"sum\":\"1\"}]]}]}}");
        assertTrue(e.getMessage().contains("native histogram"), e.getMessage());
    }

    @Test
    void latest_nativeHistogramSample_isRefusedAsOne_notAsAMissingPoint() {
        // an instant vector's native histogram sample is under "histogram", in place of "value"
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"histogram\":[1060,{\"count\":\"3\",\"sum\":\"1\",\"buckets\":[[0,\"0\",\"1\",\"3\"]]}]}]}}");
        PrometheusException e = assertThrows(PrometheusException.class, () -> source(11_000).latest("up", T1));
        assertEquals("query up: returned native histogram samples, which are not numbers; query a number from them,"
                + " e.g. histogram_sum(...) or histogram_count(...)", e.getMessage());
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"histogram\":null,\"value\":[1060,\"2\"]}]}}");
        assertEquals(Optional.of(new Sample(T1, 2)), source(11_000).latest("up", T1), "an empty histogram field is none");
    }

    @Test
    void seriesThatChangesBetweenPages_isRefusedAsTwoSeries() {
        // each page of two points holds one series, but the labels differ from page to page: the same
        // range in one request is two series, which must not be stitched into one
        server.answer(ex -> {
            String body = server.requests().get(server.requests().size() - 1).body();
            String pod = body.contains("start=1000.000") ? "a" : "b";
            String start = body.replaceAll(".*start=(\\d+)\\.000.*", "$1");
            LoopbackServer.answer(ex, 200, "application/json", matrix("{\"pod\":\"" + pod + "\"}", "[[" + start + ",\"1\"]]"));
        });
        PrometheusException e = assertThrows(PrometheusException.class, () -> source(2).samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains("{\"pod\":\"a\"}") && e.getMessage().contains("{\"pod\":\"b\"}")
                && e.getMessage().contains("must return one"), e.getMessage());
    }

    @Test
    void sameSeriesOnEveryPage_isStitched() {
        server.answer(ex -> {
            String body = server.requests().get(server.requests().size() - 1).body();
            String start = body.replaceAll(".*start=(\\d+)\\.000.*", "$1");
            LoopbackServer.answer(ex, 200, "application/json", matrix("{\"pod\":\"a\"}", "[[" + start + ",\"" + start + "\"]]"));
        });
        assertEquals(List.of(new Sample(T0, 1000), new Sample(T0.plus(STEP.multipliedBy(2)), 1030),
                new Sample(T1, 1060)), source(2).samples("up", T0, T1, STEP));
    }

    @Test
    void history_negativeUsage_namesTheSeriesAndTheTime_andBuildsNothing() {
        server.json(matrix("{}", "[[1000,\"1\"],[1015,\"-0.5\"],[1030,\"1\"],[1045,\"1\"],[1060,\"1\"]]"));
        QuerySet queries = new QuerySet(STEP, List.of(new SeriesQuery.Usage("checkout",
                io.fleetpredict.core.ResourceType.CPU, io.fleetpredict.core.ResourceUnit.CORES, "up")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> source(11_000).history(queries, T0, T1, io.fleetpredict.forecast.GapPolicy.REJECT));
        assertTrue(e.getMessage().contains("checkout.CPU") && e.getMessage().contains("1970-01-01T00:16:55Z")
                && e.getMessage().contains("cannot be negative"), e.getMessage());
    }

    /**
     * A server whose clock is ahead and that evaluates at its own now, not at the time sent, or a cache that
     * answers for another time: the point it returns is dated after the evaluation time.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1060.001,\"2\"]}]}}",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1060.001,\"NaN\"]}]}}",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1060.001,\"2\"]}}"})
    void latest_pointDatedAfterTheEvaluationTime_isRefusedNamingTheQueryAndBothTimes(String answer) {
        server.json(answer);
        PrometheusException e = assertThrows(PrometheusException.class, () -> source(11_000).latest("up", T1));
        assertEquals("query up: the server returned a point at 1970-01-01T00:17:40.001Z for the evaluation time"
                + " 1970-01-01T00:17:40Z; a point after the time asked for is not the value then (the server did"
                + " not evaluate the query at that time)", e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void latest_pointAtOrBeforeTheEvaluationTime_isTheValue() {
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[1060,\"2\"]}]}}");
        // the time is sent to the millisecond: the point at that millisecond is at the time asked
        assertEquals(Optional.of(new Sample(T1, 2)), source(11_000).latest("up", T1.plusNanos(999_999)));
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1000,\"3\"]}}");
        assertEquals(Optional.of(new Sample(T0, 3)), source(11_000).latest("up", T1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\"}}",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":\"1\"}}",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{}}]}}",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1000]}]}}"})
    void latest_pointMissingOrMalformed_isNamed(String answer) {
        server.json(answer);
        PrometheusException e = assertThrows(PrometheusException.class, () -> source(11_000).latest("up", T1));
        assertTrue(e.getMessage().startsWith("query up: ") && e.getMessage().contains("[time, value] pair"),
                e.getMessage());
    }
}
