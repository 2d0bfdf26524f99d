package io.fleetpredict.prometheus;

import static io.fleetpredict.prometheus.LoopbackServer.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A query's deadline across its redirects and retries. The server moves a simulated clock as if each
 * request took its time, and the sleeper moves it by each wait, so nothing here depends on how fast the
 * machine is.
 */
class PrometheusDeadlineTest {

    static final Instant T0 = Instant.ofEpochSecond(1000);
    static final Instant T1 = Instant.ofEpochSecond(1060);
    static final Duration STEP = Duration.ofSeconds(15);
    static final String UNAVAILABLE = "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"overloaded\"}";

    final LoopbackServer server = new LoopbackServer();
    final ManualClock clock = new ManualClock();

    @AfterEach
    void stop() {
        server.close();
    }

    PrometheusSource.Builder builder() {
        return PrometheusSource.builder(server.url()).timeout(Duration.ofSeconds(10)).clock(clock)
                .sleeper(clock::advance);
    }

    /** Redirects every request one hop further, each hop taking 8 seconds of the clock. */
    void slowRedirectChain() {
        server.answer(ex -> {
            clock.advance(Duration.ofSeconds(8));
            ex.getResponseHeaders().add("Location", "/hop" + ex.getRequestURI().getPath());
            ex.sendResponseHeaders(307, -1);
        });
    }

    @Test
    void redirectChain_stopsAtTheDefaultDeadline_notAfterATimeoutAtEveryHop() {
        // one attempt of 10 s: the default deadline is 20 s, passed during the third hop
        slowRedirectChain();
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().maxAttempts(1).build().samples("up", T0, T1, STEP));
        assertEquals(3, server.requests().size());
        assertTrue(e.retryable());
        String hop2 = server.url() + "/hop/hop/api/v1/query_range";
        assertTrue(e.getMessage().startsWith("query up: the deadline of PT20S was reached after 1 attempt"
                + " (3 requests); the last: " + hop2 + " (redirected from " + server.url() + "/api/v1/query_range)"
                + " redirected to " + server.url() + "/hop" + "/hop/hop/api/v1/query_range, not followed further"),
                e.getMessage());
    }

    @Test
    void retries_stopWhenTheNextWouldStartAfterTheDeadline() {
        // each answer asks for a retry in exactly 1 s: attempts at 0, 1 and 2 s; the fourth would be at 3 s
        server.answer(ex -> {
            ex.getResponseHeaders().add("Retry-After", "1");
            LoopbackServer.answer(ex, 503, "application/json", UNAVAILABLE);
        });
        PrometheusException e = assertThrows(PrometheusException.class, () -> builder().maxAttempts(10)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(5)).deadline(Duration.ofMillis(2500)).build()
                .latest("up", T0));
        assertEquals(3, server.requests().size());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().equals("query up: the deadline of PT2.5S was reached after 3 attempts (3 requests);"
                + " the last: HTTP 503 from " + server.url() + "/api/v1/query: unavailable: overloaded; the next"
                + " attempt was due in 1000 ms"), e.getMessage());
    }

    @Test
    void waitThatOverrunsTheDeadline_countsOnlyTheAttemptsMade() {
        // a retry due in 1 s of the 2.5 s, but the wait takes 2.5 s (a loaded machine): the second attempt is not made
        server.answer(ex -> {
            ex.getResponseHeaders().add("Retry-After", "1");
            LoopbackServer.answer(ex, 503, "application/json", UNAVAILABLE);
        });
        PrometheusException e = assertThrows(PrometheusException.class, () -> builder().maxAttempts(10)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(5)).deadline(Duration.ofMillis(2500))
                .sleeper(d -> clock.advance(d.plusMillis(1500))).build().latest("up", T0));
        assertEquals(1, server.requests().size());
        assertTrue(e.getMessage().equals("query up: the deadline of PT2.5S was reached after 1 attempt (1 request);"
                + " the last: HTTP 503 from " + server.url() + "/api/v1/query: unavailable: overloaded"), e.getMessage());
    }

    @Test
    void request_waitsOnlyWhatIsLeftOfTheDeadline() {
        // the first answer takes 9.5 of the 10 s; the second request may wait half a second, not 10
        server.answer(ex -> {
            if (server.requests().size() == 1) {
                clock.advance(Duration.ofMillis(9_500));
                LoopbackServer.answer(ex, 503, "application/json", UNAVAILABLE);
            } else {
                Thread.sleep(20_000);
            }
        });
        PrometheusException e = assertThrows(PrometheusException.class, () -> builder().maxAttempts(4)
                .backoff(Duration.ZERO, Duration.ZERO).deadline(Duration.ofSeconds(10)).build().latest("up", T0));
        assertEquals(2, server.requests().size());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().startsWith("query up: the deadline of PT10S was reached after 2 attempts (2 requests);"
                + " the last: no answer from " + server.url() + "/api/v1/query within PT0.5S"), e.getMessage());
    }

    @Test
    void request_shortenedByTheDeadline_asksTheServerToGiveUpWhenTheClientWill() {
        // the first answer takes 9.5 of the 10 s: the second request is sent with the half second that is left
        server.answer(ex -> {
            if (server.requests().size() == 1) {
                clock.advance(Duration.ofMillis(9_500));
                LoopbackServer.answer(ex, 503, "application/json", UNAVAILABLE);
            } else {
                LoopbackServer.answer(ex, 200, "application/json",
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
            }
        });
        builder().maxAttempts(4).backoff(Duration.ZERO, Duration.ZERO).deadline(Duration.ofSeconds(10)).build()
                .latest("up", T0);
        assertEquals(2, server.requests().size());
        assertTrue(server.requests().get(0).body().contains("timeout=10.000"), server.requests().get(0).body());
        assertTrue(server.requests().get(1).body().contains("timeout=0.500"), server.requests().get(1).body());
        assertTrue(server.requests().get(1).body().contains("query=up"), server.requests().get(1).body());
    }

    @Test
    void query_answeredWithinTheDeadline_reads() {
        server.json(matrix("{}", "[[1000,\"1\"]]"));
        // shorter than the timeout: the request may wait the 5 s left, and needs far less
        assertEquals(List.of(new Sample(T0, 1)), builder().deadline(Duration.ofSeconds(5)).build()
                .samples("up", T0, T1, STEP));
    }

    @Test
    void defaultDeadline_isWhatTheRetriesCouldTakeWithoutRedirects_andOneTimeoutMore() {
        // 4 attempts of 30 s, 3 waits of at most 10 s, and a margin of 30 s
        assertEquals(Duration.ofMinutes(3), PrometheusApi.defaultDeadline(Duration.ofSeconds(30), 4, Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(20), PrometheusApi.defaultDeadline(Duration.ofSeconds(10), 1, Duration.ofSeconds(10)));
        // beyond what a Duration holds: no deadline to speak of, rather than an overflow
        assertTrue(PrometheusApi.defaultDeadline(Duration.ofMillis(Long.MAX_VALUE), Integer.MAX_VALUE, Duration.ZERO)
                .compareTo(Duration.ofDays(365L * 1_000_000)) > 0);
    }

    @Test
    void builder_rejectsADeadlineThatIsNotPositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder().deadline(Duration.ZERO));
        assertEquals("deadline must be positive, was PT0S", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder().deadline(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> builder().deadline(Duration.ofSeconds(Long.MAX_VALUE)));
    }

    @Test
    void deadlineReached_keepsTheLastFailureAsItsCause() {
        server.answer(ex -> {
            ex.getResponseHeaders().add("Retry-After", "1");
            LoopbackServer.answer(ex, 503, "application/json", UNAVAILABLE);
        });
        PrometheusException e = assertThrows(PrometheusException.class, () -> builder().maxAttempts(10)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(5)).deadline(Duration.ofMillis(2500)).build()
                .latest("up", T0));
        PrometheusException last = assertInstanceOf(PrometheusException.class, e.getCause());
        assertEquals("query up: HTTP 503 from " + server.url() + "/api/v1/query: unavailable: overloaded",
                last.getMessage());
    }
}
