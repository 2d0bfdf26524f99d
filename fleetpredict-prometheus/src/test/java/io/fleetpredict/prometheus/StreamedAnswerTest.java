package io.fleetpredict.prometheus;

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
        assertEquals(Optional.of(new Sample(T0.plusMillis(500), 2.25)), source().latest("up", T0));
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
}
