package io.fleetpredict.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failure paths a healthy Prometheus does not produce on demand: an unavailable or slow server, rate
 * limiting, and answers that are not the API's. A loopback HTTP server plays the failing server.
 */
class PrometheusSourceFailureTest {

    static final String OK = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{},\"value\":[1708905600.5,\"42.5\"]}]}}";
    /** The time {@link #OK}'s point is dated, at which the queries are evaluated. */
    static final Instant AT = Instant.parse("2024-02-26T00:00:00.500Z");

    record Reply(int status, String body, long delayMillis, String retryAfter) {
    }

    final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    final AtomicInteger requests = new AtomicInteger();
    final List<Duration> waits = new ArrayList<>();
    HttpServer server;

    URI serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/prefix/api/v1/", exchange -> {
            requests.incrementAndGet();
            Reply r = replies.size() > 1 ? replies.poll() : replies.peek();
            try {
                Thread.sleep(r.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (r.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", r.retryAfter());
            }
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(r.status(), body.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(body);
                }
            } catch (IOException e) {
                // the client gave up (timeout test)
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prefix");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A source whose timeout a loaded machine does not reach: only the slow-server test times out. */
    PrometheusSource source(URI url, int attempts) {
        return source(url, attempts, Duration.ofSeconds(10));
    }

    PrometheusSource source(URI url, int attempts, Duration timeout) {
        return PrometheusSource.builder(url).maxAttempts(attempts).timeout(timeout)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).sleeper(waits::add).build();
    }

    @Test
    void unavailableTwice_thenAnswers_isRetriedWithGrowingBackoff() throws IOException {
        replies.add(new Reply(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"starting\"}", 0, null));
        replies.add(new Reply(502, "bad gateway", 0, null));
        replies.add(new Reply(200, OK, 0, null));
        Sample s = source(serve(), 4).latest("up", AT).orElseThrow();
        assertEquals(new Sample(AT, 42.5), s);
        assertEquals(3, requests.get());
        assertEquals(2, waits.size());
        assertTrue(waits.get(0).toMillis() >= 50 && waits.get(0).toMillis() <= 100, waits.toString());
        assertTrue(waits.get(1).toMillis() >= 100 && waits.get(1).toMillis() <= 200, waits.toString());
    }

    @Test
    void alwaysUnavailable_failsRetryableAfterTheLastAttempt() throws IOException {
        replies.add(new Reply(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"overloaded\"}", 0, null));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source(serve(), 3).latest("up", AT));
        assertTrue(e.retryable());
        assertEquals(3, requests.get());
        assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains("unavailable: overloaded")
                && e.getMessage().contains("after 3 attempts"), e.getMessage());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "422|execution|query processing would load too many samples into memory in query execution|false|1",
        "400|bad_data|invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis|false|1",
        "503|timeout|query timed out in expression evaluation|true|3",
        "503|canceled|query was canceled in expression evaluation|true|3"})
    void prometheusErrorAnswers_areRetriedOnlyWhenTheServerMaySucceedLater(int status, String type, String text,
            boolean retryable, int attempts) throws IOException {
        // the bodies as Prometheus's API writes them (web/api/v1: status, errorType, error)
        replies.add(new Reply(status, "{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":\""
                + text.replace("\"", "\\\"") + "\"}", 0, null));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source(serve(), 3).latest("up", AT));
        assertEquals(retryable, e.retryable());
        assertEquals(attempts, requests.get());
        assertTrue(e.getMessage().contains("HTTP " + status) && e.getMessage().contains(type + ": " + text),
                e.getMessage());
    }

    @Test
    void requestTimeout_isRetried() throws IOException {
        // 408: a proxy in front of Prometheus (or the server) gave up waiting for the request; sent again it
        // may well go through, as a 429 or 503 may.
        replies.add(new Reply(408, "request timeout", 0, null));
        replies.add(new Reply(200, OK, 0, null));
        Sample s = source(serve(), 2).latest("up", AT).orElseThrow();
        assertEquals(42.5, s.value());
        assertEquals(2, requests.get());
    }

    @Test
    void rateLimited_waitsForRetryAfter_cappedAtTheBackoffMaximum() throws IOException {
        replies.add(new Reply(429, "slow down", 0, "5"));
        replies.add(new Reply(200, OK, 0, null));
        source(serve(), 2).latest("up", AT);
        assertEquals(List.of(Duration.ofSeconds(1)), waits);
    }

    @Test
    void slowServer_timesOutAndIsRetried() throws IOException {
        replies.add(new Reply(200, OK, 2_000, null));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source(serve(), 2, Duration.ofMillis(500)).latest("up", AT));
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("within PT0.5S"), e.getMessage());
        assertEquals(1, waits.size());
    }

    @Test
    void unreachableServer_isRetryable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source(URI.create("http://127.0.0.1:" + port), 2).latest("up", AT));
        assertTrue(e.retryable() && e.getMessage().contains("cannot reach"), e.getMessage());
        assertEquals(1, waits.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>proxy login</html>", "{\"status\":\"success\"}",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[1,\"+Inf\"]}]}}",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[1,\"many\"]}]}}"})
    void answersThatAreNotUsable_failAtOnce(String body) throws IOException {
        replies.add(new Reply(200, body, 0, null));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> source(serve(), 4).latest("up", AT));
        assertFalse(e.retryable());
        assertEquals(1, requests.get());
        assertTrue(e.getMessage().startsWith("query up: "), e.getMessage());
    }

    @Test
    void backoff_staysWithinHalfToWholeOfTheCappedDoubling() {
        PrometheusSource s = PrometheusSource.builder(URI.create("http://127.0.0.1:1"))
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(3)).build();
        for (int attempt = 1; attempt <= 40; attempt++) {
            long whole = Math.min(100L << Math.min(attempt - 1, 30), 3000);
            for (int i = 0; i < 50; i++) {
                long w = s.backoff(attempt, null).toMillis();
                assertTrue(w >= whole / 2 && w <= whole, attempt + ": " + w);
            }
        }
    }

    /**
     * Backoffs of days (a caller's own choice; the builder takes any count of milliseconds a long holds): the
     * doubling stops at the cap instead of overflowing, which shifted the days' milliseconds past a long and gave
     * a wait of nothing, a retry at once.
     */
    @Test
    void backoff_ofDays_doublesToItsCapWithoutOverflowing() {
        long day = Duration.ofDays(1).toMillis();
        PrometheusSource s = PrometheusSource.builder(URI.create("http://127.0.0.1:1"))
                .backoff(Duration.ofDays(100), Duration.ofDays(150)).build();
        for (int attempt = 1; attempt <= 40; attempt++) {
            long whole = attempt == 1 ? 100 * day : 150 * day;
            for (int i = 0; i < 20; i++) {
                long w = s.backoff(attempt, null).toMillis();
                assertTrue(w >= whole / 2 && w <= whole, attempt + ": " + w);
            }
        }
    }

    @Test
    void builder_rejectsNonHttpAddresses() {
        assertThrows(IllegalArgumentException.class, () -> PrometheusSource.builder(URI.create("ftp://host/")));
        assertThrows(IllegalArgumentException.class, () -> PrometheusSource.builder(URI.create("/relative")));
    }

    @Test
    void internalServerError_isRetried() throws IOException {
        // HTTP 500 is a 5xx like the others: Prometheus answers it for an internal error, which may pass
        replies.add(new Reply(500, "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"oops\"}", 0, null));
        replies.add(new Reply(200, OK, 0, null));
        assertEquals(42.5, source(serve(), 2).latest("up", AT).orElseThrow().value());
        assertEquals(2, requests.get());
    }

    @Test
    void retryAfterZero_retriesAtOnce() throws IOException {
        replies.add(new Reply(429, "slow down", 0, "0"));
        replies.add(new Reply(200, OK, 0, null));
        source(serve(), 2).latest("up", AT);
        assertEquals(List.of(Duration.ZERO), waits);
    }

    @Test
    void failureOfTheOnlyAttempt_isNamedWithoutACountOfAttempts() throws IOException {
        replies.add(new Reply(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}",
                0, null));
        URI url = serve();
        PrometheusException e = assertThrows(PrometheusException.class, () -> source(url, 3).latest("up", AT));
        assertEquals("query up: HTTP 400 from " + url + "/api/v1/query: bad_data: parse error", e.getMessage());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "404|404 page not found|404 page not found",
        "404|'  '|(empty)",
        "502|{\"status\":\"error\"}|{\"status\":\"error\"}"})
    void errorThatIsNotPrometheusOwn_quotesTheBody(int status, String body, String shown) throws IOException {
        replies.add(new Reply(status, body, 0, null));
        URI url = serve();
        PrometheusException e = assertThrows(PrometheusException.class, () -> source(url, 1).latest("up", AT));
        assertEquals("query up: HTTP " + status + " from " + url + "/api/v1/query: " + shown, e.getMessage());
    }

    @Test
    void interruptedWhileWaitingForTheAnswer_failsAsInterrupted_andTheThreadStaysInterrupted() throws IOException {
        replies.add(new Reply(200, OK, 0, null));
        URI url = serve();
        PrometheusSource source = source(url, 3);
        Thread.currentThread().interrupt();
        PrometheusException e;
        try {
            e = assertThrows(PrometheusException.class, () -> source.latest("up", AT));
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt was swallowed");
        }
        assertEquals("query up: interrupted", e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void interruptedWhileWaitingToRetry_failsAsInterrupted_andTheThreadStaysInterrupted() throws IOException {
        replies.add(new Reply(503, "busy", 0, null));
        URI url = serve();
        PrometheusSource source = PrometheusSource.builder(url).maxAttempts(3).sleeper(d -> {
            throw new InterruptedException();
        }).build();
        PrometheusException e;
        try {
            e = assertThrows(PrometheusException.class, () -> source.latest("up", AT));
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt was swallowed");
        }
        assertEquals("query up: interrupted while waiting to retry", e.getMessage());
        assertEquals(1, requests.get());
    }
}
