package io.fleetpredict.prometheus;

import static io.fleetpredict.prometheus.LoopbackServer.matrix;
import static io.fleetpredict.prometheus.PrometheusArgumentsTest.allocatedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpredict.forecast.GapPolicy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers are read as they are parsed: a large one allocates on the calling thread in proportion to the
 * points kept, not to a tree of its text, and varied answers give the points a whole-tree reading gives.
 */
class StreamedAnswerTest {

    static final Instant T0 = Instant.ofEpochSecond(1_700_000_000);
    static final Duration STEP = Duration.ofSeconds(15);
    static final int POINTS = 11_000;

    final LoopbackServer server = new LoopbackServer();

    @AfterEach
    void stop() {
        server.close();
    }

    PrometheusSource source() {
        return PrometheusSource.builder(server.url()).maxAttempts(1).build();
    }

    /** {@code series} series of {@link #POINTS} points each, with values as Prometheus writes them. */
    static String largeAnswer(int series) {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder b = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (int s = 0; s < series; s++) {
            b.append(s == 0 ? "" : ",").append("{\"metric\":{\"__name__\":\"node_cpu\",\"instance\":\"host-")
                    .append(s).append(":9100\"},\"values\":[");
            for (int i = 0; i < POINTS; i++) {
                // a rate's shortest round-trip text, 16 or 17 significant digits as a rule
                String value = new BigDecimal(Double.toString(random.nextDouble() * 8)).toPlainString();
                b.append(i == 0 ? "" : ",").append('[').append(T0.getEpochSecond() + i * 15L).append(".125,\"")
                        .append(value).append("\"]");
            }
            b.append("]}");
        }
        return b.append("]}}").toString();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 50})
    void largeAnswer_allocatesLessThanThriceItsBytes_onTheCallingThread(int series) {
        String answer = largeAnswer(series);
        int bytes = answer.getBytes(StandardCharsets.UTF_8).length;
        server.json(answer);
        PrometheusSource source = source();
        Instant end = T0.plus(STEP.multipliedBy(POINTS - 1));
        Runnable call = () -> {
            if (series == 1) {
                assertEquals(POINTS, source.range("node_cpu", T0.plusMillis(125), end.plusMillis(125), STEP,
                        GapPolicy.REJECT).size());
            } else {
                PrometheusException e = assertThrows(PrometheusException.class,
                        () -> source.samples("node_cpu", T0.plusMillis(125), end.plusMillis(125), STEP));
                assertTrue(e.getMessage().contains("returned 50 series [{\"__name__\":\"node_cpu\",\"instance\":"
                        + "\"host-0:9100\"}"), e.getMessage());
            }
        };
        call.run(); // once to load the classes the reading uses
        long allocated = allocatedBy(call);
        System.out.printf(Locale.ROOT, "%d series: answer %d bytes, %d bytes allocated by the calling thread (%.2f"
                + " times)%n", series, bytes, allocated, (double) allocated / bytes);
        assertTrue(allocated < 3L * bytes, allocated + " bytes allocated for an answer of " + bytes);
    }

    /** The points of a range answer as a reading of the whole tree finds them, NaN left out. */
    static List<Sample> treeReading(String answer) throws Exception {
        JsonNode values = new ObjectMapper().readTree(answer).path("data").path("result").path(0).path("values");
        List<Sample> samples = new ArrayList<>();
        for (JsonNode pair : values) {
            double v = Double.parseDouble(pair.get(1).asText());
            if (!Double.isNaN(v)) {
                samples.add(new Sample(Instant.ofEpochMilli(pair.get(0).decimalValue().movePointRight(3)
                        .setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact()), v));
            }
        }
        samples.sort(java.util.Comparator.comparing(Sample::time));
        return samples;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"job\":\"a\"},"
                + "\"values\":[[1700000000,\"1\"],[1700000015.000,\"0.30000000000000004\"],[1700000030,\"NaN\"],"
                + "[1700000045,\"-2.5e-7\"],[1700000060,\"1.7976931348623157e308\"],[1700000075,\"4.9e-324\"]]}]}}",
        // the fields in another order, blanks and escapes, labels beyond ASCII
        "{ \"data\" : { \"result\" : [ { \"values\" : [ [ 1700000015 , \"12345678901234567890\" ] , [1700000000,"
                + " \"\\u0031\\u002e5\"] ], \"metric\" : {\"na\\u00efve\":\"\u6771\u4eac \ud83d\ude80\"} } ],"
                + " \"resultType\" : \"matrix\" }, \"status\" : \"success\", \"infos\": [] }",
        // a result read before its type, and an empty one
        "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{},\"values\":[[1700000030,\"+7\"]]}],"
                + "\"resultType\":\"matrix\"}}",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{}}]}}",
        // timestamps beyond three decimals and in exponent form, rounded half to even as before
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":"
                + "[[1.70000003E9,\"3\"],[1700000045.0000001,\"4\"],[17000000600e-1,\"5\"]]}]}}"})
    void variedRangeAnswers_giveTheTreeReadingsPoints(String answer) throws Exception {
        server.json(answer);
        assertEquals(treeReading(answer),
                source().samples("up", T0, T0.plus(STEP.multipliedBy(5)), STEP));
    }

    @Test
    void variedInstantAnswers_giveTheirPoint() {
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.5,\"2.25\"]}}");
        assertEquals(Optional.of(new Sample(T0.plusMillis(500), 2.25)), source().latest("up", T0.plusMillis(500)));
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
                + "{\"\u00e9\":\"\u00fc\"},\"value\":[1700000000,\"-1e-3\"]}]}}");
        assertEquals(Optional.of(new Sample(T0, -0.001)), source().latest("up", T0));
        server.json("{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{},\"value\":[1700000000,\"NaN\"]}],"
                + "\"resultType\":\"vector\"}}");
        assertEquals(Optional.empty(), source().latest("up", T0));
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertEquals(Optional.empty(), source().latest("up", T0));
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1700000000,\"x\"]}}");
        PrometheusException e = assertThrows(PrometheusException.class, () -> source().latest("up", T0));
        assertEquals("query up: expected an instant vector, got a string", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+Inf", "-Inf", "1e999"})
    void infiniteValue_isRefusedAsBefore(String value) {
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                + "\"values\":[[1700000000,\"1\"],[1700000015,\"" + value + "\"]]}]}}");
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: value " + value + " at 2023-11-14T22:13:35Z is infinite", e.getMessage());
    }

    @Test
    void answerWithAKeyTwice_isReadByItsLastOne_asATreeIs() throws Exception {
        String answer = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                + "\"values\":[[1700000000,\"1\"],[1700000015,\"2\"]],\"values\":[[1700000030,\"3\"]]}]}}";
        server.json(answer);
        List<Sample> samples = source().samples("up", T0, T0.plus(STEP.multipliedBy(5)), STEP);
        assertEquals(List.of(new Sample(T0.plus(STEP.multipliedBy(2)), 3)), samples);
        assertEquals(treeReading(answer), samples);
    }

    @Test
    void faultsInTheData_yieldToTheWarningsAfterThem_asInATree() {
        // Prometheus writes warnings after the data: the data's faults are judged only once the whole is read
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                + "\"values\":[[1700000000,\"x\"]]},{\"metric\":{}}]},\"warnings\":[\"store down\"]}");
        PrometheusWarningsException e = assertThrows(PrometheusWarningsException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals(List.of("store down"), e.warnings().warnings());
    }

    @Test
    void valueAfterTheAnswer_isNotJson_asInATree() {
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}} {}");
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertTrue(e.getMessage().endsWith("; Trailing token (of type START_OBJECT) found after value (bound as"
                + " `com.fasterxml.jackson.databind.JsonNode`): not allowed as per"
                + " `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`"), e.getMessage());
    }

    // Answers in shapes Prometheus may write but the tests above do not: each is judged as a reading of the
    // whole tree judges it (duplicate keys by their last value, every number read), not as the streaming
    // happens to leave it.

    /** A matrix answer of one series at {@link #T0} holding the value 1, around {@code extra}. */
    static String oneSeriesWith(String extraTopLevel, String extraInData) {
        return "{\"status\":\"success\"," + extraTopLevel + "\"data\":{\"resultType\":\"matrix\"," + extraInData
                + "\"result\":[{\"metric\":{},\"values\":[[1700000000,\"1\"]]}]}}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"extra\":1e9999999999,|", "\"extra\":[1,[1e9999999999]],|",
        "|\"stats\":{\"samples\":1e9999999999},"})
    void numberOutOfRangeInAPartNotKept_isRefused_asInATree(String parts) {
        String[] p = parts.split("\\|", -1);
        server.json(oneSeriesWith(p[0], p[1]));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: the answer holds a number out of range", e.getMessage());
    }

    @Test
    void histogramsThatAreANumberOutOfRange_areRefused_asInATree() {
        server.json(matrix("{}", "[[1700000000,\"1\"]]").replace("\"values\"",
                "\"histograms\":1e9999999999,\"values\""));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: the answer holds a number out of range", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"extra\":{\"a\":[1.5e3,\"x\",{\"b\":null}]},|",
        "|\"stats\":{\"timings\":{\"evalTotalTime\":0.25,\"resultSortTime\":0}},"})
    void partsNotKept_areReadThrough_andThePointsRead(String parts) {
        String[] p = parts.split("\\|", -1);
        server.json(oneSeriesWith(p[0], p[1]));
        assertEquals(List.of(new Sample(T0, 1)), source().samples("up", T0, T0.plus(STEP), STEP));
    }

    @Test
    void dataGivenTwice_isReadByItsLastOne() throws Exception {
        String answer = oneSeriesWith("", "").replaceFirst("\\}\\}$",
                "},\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        server.json(answer);
        assertEquals(List.of(), source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals(treeReading(answer), List.of());
        // the last without a result: the first one's is not kept
        server.json(oneSeriesWith("", "").replaceFirst("\\}\\}$", "},\"data\":{\"resultType\":\"matrix\"}}"));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: the response has no result array", e.getMessage());
    }

    static String data(String inner) {
        return "{\"status\":\"success\",\"data\":{" + inner + "}}";
    }

    @Test
    void resultGivenTwice_isReadByItsLastOne_whateverTheFirstHeld() throws Exception {
        // a bad point, then a good one
        server.json(data("\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1700000000,\"x\"]]}],"
                + "\"result\":[{\"metric\":{},\"values\":[[1700000015,\"2\"]]}]"));
        assertEquals(List.of(new Sample(T0.plus(STEP), 2)), source().samples("up", T0, T0.plus(STEP), STEP));
        // points, then the series without them
        String noValues = data("\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1700000000,\"1\"]]}],"
                + "\"result\":[{\"metric\":{}}]");
        server.json(noValues);
        assertEquals(List.of(), source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals(treeReading(noValues), List.of());
        // one series, then two: the message names the two
        server.json(data("\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"a\":\"0\"},\"values\":[]}],"
                + "\"result\":[{\"metric\":{\"a\":\"1\"}},{\"metric\":{\"a\":\"2\"}}]"));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: returned 2 series [{\"a\":\"1\"}, {\"a\":\"2\"}]; it must return one (aggregate it,"
                + " e.g. sum(...))", e.getMessage());
    }

    static String seriesAnswer(int count) {
        StringBuilder b = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ",").append("{\"metric\":{\"i\":\"").append(i).append("\"},\"values\":[]}");
        }
        return b.append("]}}").toString();
    }

    @Test
    void tooManySeries_namesTheFirstFive_andSaysWhenThereAreMore() {
        server.json(seriesAnswer(5));
        PrometheusException five = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        String first5 = "[{\"i\":\"0\"}, {\"i\":\"1\"}, {\"i\":\"2\"}, {\"i\":\"3\"}, {\"i\":\"4\"}]";
        assertEquals("query up: returned 5 series " + first5 + "; it must return one (aggregate it, e.g. sum(...))",
                five.getMessage());
        server.json(seriesAnswer(6));
        PrometheusException six = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: returned 6 series " + first5 + "...; it must return one (aggregate it, e.g. sum(...))",
                six.getMessage());
    }

    @Test
    void seriesThatIsNotAnObject_isCountedWithoutLabels() {
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[[1,[2]],{\"metric\":"
                + "{\"a\":\"b\"}}]}}");
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: returned 2 series [, {\"a\":\"b\"}]; it must return one (aggregate it, e.g. sum(...))",
                e.getMessage());
    }

    @Test
    void fieldOfTheSeriesNotKept_isReadThrough() {
        server.json(matrix("{}", "[[1700000000,\"1\"]]").replace("\"values\"",
                "\"exemplars\":[{\"labels\":{\"trace_id\":\"a\"},\"value\":\"2\",\"timestamp\":1.5}],\"values\""));
        assertEquals(List.of(new Sample(T0, 1)), source().samples("up", T0, T0.plus(STEP), STEP));
    }

    @Test
    void nativeHistogramSamples_areRefused_andAnEmptyListOfThemIsNot() {
        server.json(matrix("{}", "[]").replace("\"values\":[]",
                "\"histograms\":[[1700000000,{\"count\":\"2\",\"sum\":\"3\",\"buckets\":[[0,\"0\",\"1\",\"2\"]]}]]"));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: returned native histogram samples, which are not numbers; query a number from them,"
                + " e.g. histogram_sum(...) or histogram_count(...)", e.getMessage());
        for (String none : List.of("[]", "{}", "null")) {
            server.json(matrix("{}", "[[1700000000,\"1\"]]").replace("\"values\"", "\"histograms\":" + none
                    + ",\"values\""));
            assertEquals(List.of(new Sample(T0, 1)), source().samples("up", T0, T0.plus(STEP), STEP), none);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"status\":\"success\",\"data\":[1,2]}|query up: the answer has no data",
        "{\"status\":\"success\",\"data\":\"x\"}|query up: the answer has no data",
        "[1,{\"status\":\"success\"}]|query up: [1,{\"status\":\"success\"}]"})
    void answerWithoutADataObject_isRefused(String answer, String message) {
        server.json(answer);
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals(message, e.getMessage());
    }

    @Test
    void emptyAnswer_isRefused() {
        server.json("");
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: the answer from " + server.url() + "/api/v1/query_range is empty", e.getMessage());
    }

    @Test
    void timestampWrittenAsAString_isRefused() {
        server.json(matrix("{}", "[[\"1700000000\",\"1\"]]"));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: a point has no numeric timestamp", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaNx", "xaN", "NxN", "Nax", "nan", "NAN"})
    void valueThatIsNearlyNaN_isNotANumber(String value) {
        server.json(matrix("{}", "[[1700000000,\"" + value + "\"]]"));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: value \"" + value + "\" at 2023-11-14T22:13:20Z is not a number", e.getMessage());
    }

    @Test
    void nanWrittenWithEscapes_isAGap() {
        server.json(matrix("{}", "[[1700000000,\"N\\u0061N\"],[1700000015,\"\\u004eaN\"],[1700000030,\"2\"]]"));
        assertEquals(List.of(new Sample(T0.plus(STEP.multipliedBy(2)), 2)),
                source().samples("up", T0, T0.plus(STEP.multipliedBy(2)), STEP));
    }

    @ParameterizedTest
    @CsvSource({"1700000000.5,500", "1700000000.05,50", "1700000000.125,125", "1700000000,0"})
    void timestampWithFewerThanThreeDecimals_isInMilliseconds(String time, long millis) {
        server.json(matrix("{}", "[[" + time + ",\"3\"]]"));
        Instant at = T0.plusMillis(millis);
        assertEquals(List.of(new Sample(at, 3)), source().samples("up", at, at, STEP));
    }

    @Test
    void negativeTimestamp_isReadAsSuch_andOutsideTheRange() {
        server.json(matrix("{}", "[[-4.5,\"1\"]]"));
        Instant start = Instant.ofEpochSecond(1000);
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", start, start.plusSeconds(1), Duration.ofMillis(500)));
        assertEquals("query up: point at 1969-12-31T23:59:55.500Z is outside the requested range", e.getMessage());
    }

    @Test
    void pointOfAnEarlierPage_inALaterPagesAnswer_isOutsideTheRequestedRange() {
        server.answer(ex -> LoopbackServer.answer(ex, 200, "application/json", matrix("{}",
                server.requests().size() == 1 ? "[[1700000000,\"1\"],[1700000015,\"2\"]]" : "[[1700000015,\"3\"]]")));
        PrometheusSource paged = PrometheusSource.builder(server.url()).maxAttempts(1).maxPointsPerRequest(2).build();
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> paged.samples("up", T0, T0.plus(STEP.multipliedBy(3)), STEP));
        assertEquals("query up: point at 2023-11-14T22:13:35Z is outside the requested range", e.getMessage());
    }

    @Test
    void instantTimestampOfSixteenDigits_reads_andOfSeventeenIsOutOfRange() {
        // the milliseconds of 16 digits of seconds fit a long; of 17 they do not
        Instant far = Instant.ofEpochSecond(1_000_000_000_000_000L);
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1000000000000000,\"1\"]}}");
        assertEquals(Optional.of(new Sample(far, 1)), source().latest("up", far));
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[10000000000000000,\"1\"]}}");
        PrometheusException e = assertThrows(PrometheusException.class, () -> source().latest("up", far));
        assertEquals("query up: the timestamp 10000000000000000 is out of range", e.getMessage());
    }

    @Test
    void pairOfThreeElements_isNamedWhole() {
        server.json(matrix("{}", "[[1700000000,\"1\"],[1700000015,\"2.5\",3]]"));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().samples("up", T0, T0.plus(STEP), STEP));
        assertEquals("query up: [1700000015,\"2.5\",3] is not a [time, value] pair", e.getMessage());
    }
}
