package io.fleetpredict.prometheus;

import static io.fleetpredict.prometheus.LoopbackServer.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.forecast.GapPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mistakes a caller can make in a builder or a query that used to pass until a request was made (or the
 * whole range fetched): each is refused before any request, naming what is wrong.
 */
class PrometheusCallerMistakesTest {

    static final Instant T0 = Instant.ofEpochSecond(1000);
    static final Instant T1 = Instant.ofEpochSecond(1060);
    static final Duration STEP = Duration.ofSeconds(15);

    final LoopbackServer server = new LoopbackServer().json(matrix("{}", "[[1000,\"1\"]]"));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void builder_timeoutOfLongMaxMilliseconds_isRefusedNamingTheLongest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusSource.builder(server.url()).timeout(Duration.ofMillis(Long.MAX_VALUE)));
        assertEquals("timeout must be at most PT2562047H47M16.854S (about 292 years, the longest Prometheus takes as"
                + " a query's timeout), was PT2562047788015H12M55.807S", e.getMessage());
    }

    /** 300 years: within a long's milliseconds, beyond Go's int64 nanoseconds, which Prometheus refuses. */
    @Test
    void builder_timeoutOfThreeHundredYears_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> PrometheusSource.builder(server.url()).timeout(Duration.ofDays(300 * 365)));
        assertThrows(IllegalArgumentException.class,
                () -> PrometheusSource.builder(server.url()).timeout(PrometheusSource.MAX_TIMEOUT.plusMillis(1)));
    }

    /** The longest timeout is sent as seconds whose nanoseconds are still an int64, as the server parses them. */
    @Test
    void builder_longestTimeout_isSentAsSecondsWithinInt64Nanoseconds() {
        PrometheusSource.builder(server.url()).timeout(PrometheusSource.MAX_TIMEOUT).build()
                .samples("up", T0, T1, STEP);
        String body = server.requests().get(0).body();
        assertTrue(body.contains("timeout=9223372036.854"), body);
        assertTrue(new java.math.BigDecimal("9223372036.854").movePointRight(9)
                .compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) <= 0);
    }

    @Test
    void range_nullGapPolicy_isRefusedBeforeAnyRequest() {
        PrometheusSource source = PrometheusSource.builder(server.url()).maxAttempts(1).build();
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> source.range("up", T0, T1, STEP, null));
        assertEquals("gaps", e.getMessage());
        assertTrue(server.requests().isEmpty(), server.requests().toString());
    }

    @Test
    void history_noUsageQuery_isRefusedBeforeAnyRequest() {
        PrometheusSource source = PrometheusSource.builder(server.url()).maxAttempts(1).build();
        QuerySet activityOnly = new QuerySet(STEP, List.of(new SeriesQuery.Activity("checkout", "orders", "sum(orders)")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> source.history(activityOnly, T0, T1, GapPolicy.LINEAR));
        assertTrue(e.getMessage().contains("no resource usage query"), e.getMessage());
        assertTrue(server.requests().isEmpty(), server.requests().toString());
    }

    @Test
    void history_activityOfAServiceWithoutUsage_isRefusedBeforeAnyRequest() {
        PrometheusSource source = PrometheusSource.builder(server.url()).maxAttempts(1).build();
        QuerySet queries = new QuerySet(STEP, List.of(
                new SeriesQuery.Usage("checkout", ResourceType.CPU, ResourceUnit.CORES, "sum(cpu)"),
                new SeriesQuery.Activity("search", "queries", "sum(queries)")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> source.history(queries, T0, T1, GapPolicy.LINEAR));
        assertTrue(e.getMessage().contains("service 'search'"), e.getMessage());
        assertTrue(server.requests().isEmpty(), server.requests().toString());
    }
}
