package io.fleetpredict.prometheus;

import static io.fleetpredict.prometheus.LoopbackServer.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.forecast.GapPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers a real server or the things in front of it give: outsized labels and error texts, an answer
 * cut short, a result without its type. Each fails with a short message that says what happened.
 */
class PrometheusAnswersTest {

    static final Instant T0 = Instant.ofEpochSecond(1000);
    static final Instant T1 = Instant.ofEpochSecond(1060);
    static final Duration STEP = Duration.ofSeconds(15);
    /** Longer than any message should be: a label value or error text this long is shown cut short. */
    static final String HUGE = "x".repeat(200_000);

    final LoopbackServer server = new LoopbackServer();

    @AfterEach
    void stop() {
        server.close();
    }

    PrometheusSource source() {
        return PrometheusSource.builder(server.url()).maxAttempts(1).build();
    }

    PrometheusSource paged() {
        return PrometheusSource.builder(server.url()).maxAttempts(1).maxPointsPerRequest(2).build();
    }

    @Test
    void manySeriesWithLongLabelValues_areNamedShort() {
        String series = "{\"metric\":{\"pod\":\"" + HUGE + "\"},\"values\":[[1000,\"1\"]]}";
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + series + ","
                + series.replace("\"pod\"", "\"node\"") + "]}}");
        PrometheusException e = assertThrows(PrometheusException.class, () -> source().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains("returned 2 series") && e.getMessage().contains("{\"pod\":\"xxx"),
                e.getMessage());
        assertTrue(e.getMessage().length() < 1_000, e.getMessage().length() + " characters");
    }

    @Test
    void seriesWithLongLabelsThatChangesBetweenPages_isNamedShort() {
        server.answer(ex -> {
            String body = server.requests().get(server.requests().size() - 1).body();
            String pod = body.contains("start=1000.000") ? "a" : "b";
            LoopbackServer.answer(ex, 200, "application/json", matrix("{\"pod\":\"" + pod + HUGE + "\"}", "[]"));
        });
        PrometheusException e = assertThrows(PrometheusException.class, () -> paged().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains("{\"pod\":\"axxx") && e.getMessage().contains("{\"pod\":\"bxxx"),
                e.getMessage());
        assertTrue(e.getMessage().length() < 1_000, e.getMessage().length() + " characters");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 400, 422, 503})
    void errorWithAHugeText_isShownShort(int status) {
        server.answer(ex -> LoopbackServer.answer(ex, status, "application/json",
                "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"" + HUGE + "\"}"));
        PrometheusException e = assertThrows(PrometheusException.class, () -> source().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains("execution: xxx"), e.getMessage());
        assertTrue(e.getMessage().length() < 1_000, e.getMessage().length() + " characters");
    }

    /**
     * A generated expression (a union of thousands of selectors) is sent whole but shown by its start and length,
     * whether the transport, the server or the answer's reading fails.
     */
    @ParameterizedTest
    @ValueSource(strings = {"error", "two series", "no data", "latest"})
    void longExpression_isSentWholeAndShownByItsStartAndLength(String failure) {
        String expression = "sum(" + "up{job=\"a\"} or ".repeat(2_000) + "up)";
        String series = "{\"metric\":{\"pod\":\"p\"},\"values\":[[1000,\"1\"]]}";
        switch (failure) {
            case "error" -> server.answer(ex -> LoopbackServer.answer(ex, 422, "application/json",
                    "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"too many samples\"}"));
            case "two series" -> server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                    + series + "," + series.replace("\"p\"", "\"q\"") + "]}}");
            default -> server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        }
        PrometheusException e = assertThrows(PrometheusException.class, () -> {
            if (failure.equals("latest")) {
                source().latest(expression, T0);
            } else {
                source().range(expression, T0, T1, STEP, io.fleetpredict.forecast.GapPolicy.REJECT);
            }
        });
        assertTrue(e.getMessage().contains(expression.substring(0, PrometheusApi.SHOWN) + "... ("
                + expression.length() + " characters)"), e.getMessage());
        assertTrue(e.getMessage().length() < 1_000, e.getMessage().length() + " characters");
        assertTrue(server.requests().get(0).body().contains(
                java.net.URLEncoder.encode(expression, StandardCharsets.UTF_8)), "the expression was not sent whole");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"result\":[]}", "{\"resultType\":null,\"result\":[]}", "{\"resultType\":\"\"}"})
    void resultWithoutItsType_saysSo(String data) {
        server.json("{\"status\":\"success\",\"data\":" + data + "}");
        PrometheusException e = assertThrows(PrometheusException.class, () -> source().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains("expected a range vector, got an answer without a result type"),
                e.getMessage());
        e = assertThrows(PrometheusException.class, () -> source().latest("up", T1));
        assertTrue(e.getMessage().contains("expected an instant vector, got an answer without a result type"),
                e.getMessage());
    }

    /** What the source logs on the standard error stream (slf4j-simple's) while the call runs. */
    static String logged(Runnable call) {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            call.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void acceptedWarningsAndInfos_areLoggedShort_andThePointsRead() {
        // Prometheus 2.45 and later add "infos" (advice such as a counter not named _total) beside "warnings"
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                + "\"values\":[[1000,\"1\"]]}]},\"warnings\":[\"remote read failed: " + HUGE + "\"],"
                + "\"infos\":[\"PromQL info: metric might not be a counter, name does not end in _total\"]}");
        PrometheusSource accepting = PrometheusSource.builder(server.url()).maxAttempts(1)
                .warningPolicy(WarningPolicy.ACCEPT).build();
        String log = logged(() -> assertEquals(java.util.List.of(new Sample(T0, 1)),
                accepting.samples("rate(x[5m])", T0, T1, STEP)));
        assertTrue(log.contains("WARN") && log.contains("rate(x[5m])") && log.contains("remote read failed: xxx"), log);
        assertTrue(log.contains("INFO") && log.contains("metric might not be a counter"), log);
        assertTrue(log.length() < 3_000, log.length() + " characters logged");
    }

    @Test
    void answerCutShort_saysItEndedEarly_andIsRetryable() {
        // the exchange is closed with 977 bytes unsent
        server.answer(ex -> LoopbackServer.sendPart(ex, 1_000, "{\"status\":\"success\",\"da"));
        PrometheusException e = assertThrows(PrometheusException.class, () -> source().samples("up", T0, T1, STEP));
        assertTrue(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains("the answer from " + server.url() + "/api/v1/query_range ended early"),
                e.getMessage());
        assertFalse(e.getMessage().contains("cannot reach"), e.getMessage());
    }

    /** A successful answer with one point and these warnings, as a Thanos gives when some stores did not answer. */
    static String partial(String... warnings) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                + "\"values\":[[1000,\"1\"]]}]},\"warnings\":[" + String.join(",", List.of(warnings).stream()
                .map(w -> "\"" + w.replace("\"", "\\\"") + "\"").toList()) + "]}";
    }

    static final String STORE_DOWN = "receive series from Addr: 10.0.0.3:10901 LabelSets: {cluster=\"eu\"}: rpc error:"
            + " code = DeadlineExceeded desc = context deadline exceeded";
    static final String NO_STORES = "No StoreAPIs matched for this query";

    @Test
    void answerWithWarnings_isRefusedByDefault_namingTheQueryAndTheWarnings() {
        server.json(partial(STORE_DOWN, NO_STORES));
        PrometheusWarningsException e = assertThrows(PrometheusWarningsException.class,
                () -> PrometheusSource.builder(server.url()).build().samples("sum(up)", T0, T1, STEP));
        assertFalse(e.retryable());
        assertEquals(1, server.requests().size(), "not retried");
        assertEquals("query sum(up): the answer from " + server.url() + "/api/v1/query_range came with 2 warnings, so"
                + " its points may not be all there are (a store or a remote read that did not answer); refused, as"
                + " the warning policy is REFUSE: " + STORE_DOWN + "; " + NO_STORES, e.getMessage());
        assertEquals(new AnswerWarnings("sum(up)", T0, T1, List.of(STORE_DOWN, NO_STORES)), e.warnings());
    }

    @Test
    void instantAnswerWithWarnings_isRefusedByDefault() {
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]},\"warnings\":[\""
                + NO_STORES + "\"]}");
        PrometheusWarningsException e = assertThrows(PrometheusWarningsException.class,
                () -> source().latest("up", T1));
        assertEquals(new AnswerWarnings("up", T1, T1, List.of(NO_STORES)), e.warnings());
    }

    @Test
    void manyLongWarnings_areShownShort_andKeptWhole() {
        String[] warnings = new String[7];
        java.util.Arrays.fill(warnings, HUGE);
        server.json(partial(warnings));
        PrometheusWarningsException e = assertThrows(PrometheusWarningsException.class,
                () -> source().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().endsWith("; and 2 more"), e.getMessage());
        assertTrue(e.getMessage().length() < 2_000, e.getMessage().length() + " characters");
        assertEquals(List.of(warnings), e.warnings().warnings());
    }

    @Test
    void everyQuery_asksForNoPartialResponse_unlessWarningsAreAccepted() {
        server.json(matrix("{}", "[[1000,\"1\"]]"));
        source().samples("up", T0, T1, STEP);
        PrometheusSource.builder(server.url()).warningPolicy(WarningPolicy.ACCEPT).build().samples("up", T0, T1, STEP);
        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        source().latest("up", T1);
        List<Boolean> asked = server.requests().stream().map(r -> r.body().contains("&partial_response=false")).toList();
        assertEquals(List.of(true, false, true), asked);
    }

    @Test
    void acceptedWarnings_reachTheListener_oncePerPage() {
        // each page answers one point, at its start, and the warning
        server.answer(ex -> {
            String body = server.requests().get(server.requests().size() - 1).body();
            String start = body.replaceAll(".*[?&]?start=([0-9]+)\\.000.*", "$1");
            LoopbackServer.answer(ex, 200, "application/json", partial(STORE_DOWN).replace("[[1000,", "[[" + start + ","));
        });
        List<AnswerWarnings> heard = new CopyOnWriteArrayList<>();
        PrometheusSource accepting = PrometheusSource.builder(server.url()).maxAttempts(1).maxPointsPerRequest(3)
                .warningPolicy(WarningPolicy.ACCEPT).warningListener(heard::add).build();
        // five grid points from 1000 s: pages of 1000..1030 and 1045..1060
        assertEquals(List.of(new Sample(T0, 1), new Sample(T0.plusSeconds(45), 1)),
                accepting.samples("up", T0, T1, STEP));
        assertEquals(List.of(new AnswerWarnings("up", T0, T0.plusSeconds(30), List.of(STORE_DOWN)),
                new AnswerWarnings("up", T0.plusSeconds(45), T1, List.of(STORE_DOWN))), heard);
    }

    @Test
    void refusedWarnings_inAHistory_nameTheSeriesAndKeepTheirType() {
        server.json(partial(NO_STORES));
        QuerySet queries = new QuerySet(STEP, List.of(
                new SeriesQuery.Usage("checkout", ResourceType.CPU, ResourceUnit.CORES, "sum(cpu)")));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source().history(queries, T0, T1, GapPolicy.LINEAR));
        PrometheusWarningsException refused = assertInstanceOf(PrometheusWarningsException.class, e);
        assertTrue(e.getMessage().startsWith("checkout.cpu.cores: query sum(cpu): the answer from"), e.getMessage());
        assertEquals(List.of(NO_STORES), refused.warnings().warnings());
    }

    @Test
    void answerWarnings_needAtLeastOneWarning() {
        assertThrows(IllegalArgumentException.class, () -> new AnswerWarnings("up", T0, T1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new AnswerWarnings("up", T1, T0, List.of("w")));
    }

    @Test
    void expressionOfTheLongestShownLength_isShownWhole_andOneLongerIsCut() {
        server.answer(ex -> LoopbackServer.answer(ex, 400, "application/json",
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no\"}"));
        String longest = "sum(" + "u".repeat(PrometheusApi.SHOWN - 5) + ")";
        assertEquals(PrometheusApi.SHOWN, longest.length());
        PrometheusException whole = assertThrows(PrometheusException.class,
                () -> source().latest(longest, T0));
        assertTrue(whole.getMessage().startsWith("query " + longest + ": HTTP 400"), whole.getMessage());
        String longer = longest + " ";
        PrometheusException cut = assertThrows(PrometheusException.class, () -> source().latest(longer, T0));
        assertTrue(cut.getMessage().startsWith("query " + longest + "... (201 characters): HTTP 400"), cut.getMessage());
    }

    @Test
    void errorTextOfTheLongestShownLength_isShownWhole_andOneLongerIsCut() {
        String longest = "e".repeat(PrometheusApi.SHOWN);
        server.answer(ex -> LoopbackServer.answer(ex, 404, "text/plain", longest));
        PrometheusException whole = assertThrows(PrometheusException.class, () -> source().latest("up", T0));
        assertTrue(whole.getMessage().endsWith("/api/v1/query: " + longest), whole.getMessage());
        server.answer(ex -> LoopbackServer.answer(ex, 404, "text/plain", longest + "f"));
        PrometheusException cut = assertThrows(PrometheusException.class, () -> source().latest("up", T0));
        assertTrue(cut.getMessage().endsWith("/api/v1/query: " + longest + "..."), cut.getMessage());
    }

    @Test
    void answerWarnings_describeTheQueryTheTimesAndTheFirstFiveWarnings() {
        assertEquals("up from 1970-01-01T00:16:40Z to 1970-01-01T00:17:40Z, with the warnings: a; b",
                new AnswerWarnings("up", T0, T1, List.of("a", "b")).describe());
        String expression = "x".repeat(250);
        assertEquals("x".repeat(200) + "... (250 characters) from 1970-01-01T00:16:40Z to 1970-01-01T00:16:40Z, with"
                + " the warnings: 1; 2; 3; 4; 5; and 2 more",
                new AnswerWarnings(expression, T0, T0, List.of("1", "2", "3", "4", "5", "6", "7")).describe());
    }
}
