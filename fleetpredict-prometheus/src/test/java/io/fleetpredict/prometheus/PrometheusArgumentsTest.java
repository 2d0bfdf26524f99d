package io.fleetpredict.prometheus;

import static io.fleetpredict.prometheus.LoopbackServer.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.GapPolicy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The caller's side: ranges, steps, addresses and headers a user may get wrong are refused with an
 * {@link IllegalArgumentException} naming the argument, before any request is sent.
 */
class PrometheusArgumentsTest {

    static final Instant T0 = Instant.ofEpochSecond(1000);
    static final Instant T1 = Instant.ofEpochSecond(1060);
    static final Duration STEP = Duration.ofSeconds(15);

    final LoopbackServer server = new LoopbackServer().json(matrix("{}", "[[1000,\"1\"]]"));

    @AfterEach
    void stop() {
        server.close();
    }

    PrometheusSource source() {
        return PrometheusSource.builder(server.url()).maxAttempts(1).build();
    }

    @Test
    void stepBeyondMillisecondCounts_isNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> source().samples("up", T0, T1, Duration.ofSeconds(Long.MAX_VALUE)));
        assertTrue(e.getMessage().contains("beyond the millisecond timestamps"), e.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void longStepInARange_isOnePoint() {
        assertEquals(List.of(new Sample(T0, 1)),
                source().samples("up", T0, T1, ChronoUnit.CENTURIES.getDuration().multipliedBy(3)
                        .truncatedTo(ChronoUnit.MILLIS)));
    }

    /**
     * Bytes the calling thread allocates while it runs the call: the answer is parsed on it (its bytes are received
     * on the HTTP client's threads).
     */
    static long allocatedBy(Runnable call) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        call.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void rangeOfTheMostPoints_allocatesForThePointsReceived_notForTheCap() {
        // 50,000,000 points of 1 ms in one request, one point answered: storage sized from the range
        // would take 400 MB before the request is sent
        Instant end = T0.plusMillis(49_999_999);
        PrometheusSource source = PrometheusSource.builder(server.url()).maxAttempts(1)
                .maxPointsPerRequest(50_000_000).build();
        List<List<Sample>> got = new java.util.ArrayList<>();
        long bytes = allocatedBy(() -> got.add(source.samples("up", T0, end, Duration.ofMillis(1))));
        assertEquals(List.of(List.of(new Sample(T0, 1))), got);
        assertTrue(bytes < 8 << 20, bytes + " bytes allocated");

        server.json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        bytes = allocatedBy(() -> assertThrows(PrometheusException.class,
                () -> source.range("up", T0, end, Duration.ofMillis(1), GapPolicy.LINEAR)));
        assertTrue(bytes < 8 << 20, bytes + " bytes allocated");
    }

    @Test
    void rangeOfMoreThanTheMostPoints_isRefusedBeforeAnyRequest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> source().samples("up", T0, T0.plusMillis(50_000_000), Duration.ofMillis(1)));
        assertTrue(e.getMessage().contains("50000001 points"), e.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void rangeBeyondMillisecondTimestamps_isNamed() {
        for (Instant[] r : new Instant[][] {{Instant.MIN, T1}, {T0, Instant.MAX}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> source().samples("up", r[0], r[1], Duration.ofDays(365)));
            assertTrue(e.getMessage().contains("millisecond timestamps"), e.getMessage());
        }
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void startBetweenMilliseconds_isTheMillisecondTheServerEvaluates() {
        Instant start = T0.plusNanos(500_000);
        assertEquals(List.of(new Sample(T0, 1)), source().samples("up", start, T1, STEP));
        assertEquals(T0, source().range("up", start, T1, STEP, GapPolicy.LINEAR).start());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9090/?tenant=a", "http://127.0.0.1:9090/#top",
        "http://bob:secret@127.0.0.1:9090/"})
    void builder_rejectsAnAddressWithQueryFragmentOrCredentials(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusSource.builder(URI.create(url)));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/prom", "/prom/"})
    void addressWithAPath_isKept(String path) {
        PrometheusSource.builder(URI.create(server.url() + path)).build().samples("up", T0, T1, STEP);
        assertEquals("/prom/api/v1/query_range", server.requests().get(0).path());
    }

    @Test
    void promqlWithQuotesAndNewlines_isSentAsOneFormValue() {
        String promql = "sum(up{job=\"a\\\"b\", x=\"&query=evil\"})\nor vector(0)";
        source().samples(promql, T0, T1, STEP);
        String body = server.requests().get(0).body();
        assertEquals(1, body.split("query=", -1).length - 1, body);
        assertEquals(promql, java.net.URLDecoder.decode(body.substring(6, body.indexOf("&start=")),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "Content-Length", "Bad Name", "Connection"})
    void builder_rejectsAHeaderTheClientCannotSend(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusSource.builder(server.url()).header(name, "x"));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void builder_rejectsAHeaderValueWithANewline_withoutShowingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusSource.builder(server.url()).header("Authorization", "Bearer s3cret\nX-Evil: 1"));
        assertTrue(e.getMessage().contains("Authorization"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void builder_rejectsDurationsBeyondMilliseconds() {
        Duration forever = ChronoUnit.FOREVER.getDuration();
        assertThrows(IllegalArgumentException.class, () -> PrometheusSource.builder(server.url()).timeout(forever));
        assertThrows(IllegalArgumentException.class,
                () -> PrometheusSource.builder(server.url()).backoff(Duration.ZERO, forever));
    }
}
