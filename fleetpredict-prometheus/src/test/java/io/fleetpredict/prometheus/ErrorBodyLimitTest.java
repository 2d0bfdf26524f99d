package io.fleetpredict.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Of an answer that is not a 200, only the start a message shows is read: a failing server, or a proxy's page of
 * hundreds of megabytes, costs {@link PrometheusApi#ERROR_BODY_BYTES} an attempt, not the whole body. So does a 200
 * whose first bytes say {@code "status":"error"}.
 */
class ErrorBodyLimitTest {

    /** Prometheus's own wording for an expression over too many samples. */
    static final String ERROR = "query processing would load too many samples into memory in query execution";
    static final long LENGTH = 200_000_000L;

    final LoopbackServer server = new LoopbackServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void errorAnswerOf200Megabytes_isReadOnlyToItsStart_andRetried() throws Exception {
        // the error text is 200 MB of its wording repeated, written as it is sent, never held whole
        byte[] head = ("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] text = (ERROR + " ").repeat(800).getBytes(StandardCharsets.UTF_8);
        LinkedBlockingQueue<Long> sent = new LinkedBlockingQueue<>();
        server.answer(ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(503, LENGTH);
            long written = 0;
            try {
                OutputStream o = ex.getResponseBody();
                o.write(head);
                written += head.length;
                while (written < LENGTH) {
                    int n = (int) Math.min(text.length, LENGTH - written);
                    o.write(text, 0, n);
                    written += n;
                }
                o.close();
            } finally {
                sent.add(written); // what the server could write before the client closed the connection
            }
        });
        List<Duration> waits = new CopyOnWriteArrayList<>();
        PrometheusException e = assertThrows(PrometheusException.class, () -> PrometheusSource.builder(server.url())
                .maxAttempts(2).sleeper(waits::add).build().latest("up", Instant.EPOCH));

        String shown = ("execution: " + (ERROR + " ").repeat(3)).substring(0, PrometheusApi.SHOWN) + "...";
        assertEquals("query up: HTTP 503 from " + server.url() + "/api/v1/query: " + shown + " (after 2 attempts)",
                e.getMessage());
        assertTrue(e.retryable());
        assertEquals(1, waits.size());
        assertEquals(2, server.requests().size());
        for (int i = 0; i < 2; i++) {
            // what the client read, and what the socket buffers held when it closed the connection
            long bytes = sent.poll(60, TimeUnit.SECONDS);
            assertTrue(bytes < 32L << 20, "the server sent " + bytes + " bytes of " + LENGTH);
        }
    }

    @Test
    void statusErrorIn200AnswerOf200Megabytes_isReadOnlyToItsStart_andNotRetried() throws Exception {
        // the status code says the answer is one, its first field that it is an error; the rest is never read
        byte[] head = ("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"" + ERROR + "\",\"data\":\"")
                .getBytes(StandardCharsets.UTF_8);
        byte[] text = "x".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
        LinkedBlockingQueue<Long> sent = new LinkedBlockingQueue<>();
        server.answer(ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, LENGTH);
            long written = 0;
            try {
                OutputStream o = ex.getResponseBody();
                o.write(head);
                written += head.length;
                while (written < LENGTH) {
                    int n = (int) Math.min(text.length, LENGTH - written);
                    o.write(text, 0, n);
                    written += n;
                }
                o.close();
            } finally {
                sent.add(written);
            }
        });
        PrometheusException e = assertThrows(PrometheusException.class, () -> PrometheusSource.builder(server.url())
                .maxAttempts(2).build().latest("up", Instant.EPOCH));

        assertEquals("query up: execution: " + ERROR, e.getMessage());
        assertFalse(e.retryable());
        assertEquals(1, server.requests().size());
        long bytes = sent.poll(60, TimeUnit.SECONDS);
        assertTrue(bytes < 32L << 20, "the server sent " + bytes + " bytes of " + LENGTH);
    }

    @Test
    void statusErrorIn200GzipAnswerThatExpandsToHundredsOfMegabytes_isShownByItsStart() throws IOException {
        // compressed, the whole answer is within the limit; expanded, it is far past it
        byte[] head = "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"".getBytes(StandardCharsets.UTF_8);
        serveGzip(200, head, 300);
        PrometheusException e = assertThrows(PrometheusException.class, () -> PrometheusSource.builder(server.url())
                .maxAttempts(1).build().latest("up", Instant.EPOCH));
        assertEquals("query up: execution: " + "x".repeat(PrometheusApi.SHOWN - "execution: ".length()) + "...",
                e.getMessage());
    }

    @Test
    void statusErrorIn200AnswerLongerThanMaxResponseBytes_isTheError_notATooLargeAnswer() {
        String body = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no\",\"data\":["
                + "0,".repeat(2_000) + "0]}";
        server.json(body);
        PrometheusException e = assertThrows(PrometheusException.class, () -> PrometheusSource.builder(server.url())
                .maxAttempts(1).maxResponseBytes(1_000).build().latest("up", Instant.EPOCH));
        assertEquals("query up: bad_data: no", e.getMessage());
    }

    @Test
    void headStatus_isErrorOnlyOnceTheStatusFieldSaysSo_andUnseenWhileTheStartEndsBeforeIt() {
        for (String error : List.of("{\"status\":\"error\"", " {\"status\" : \"error\",\"errorType\":\"exe",
                "{\"data\":{\"a\":[1,\"}\"]},\"status\":\"error\"}")) {
            assertEquals(PrometheusApi.HeadStatus.ERROR, head(error), error);
        }
        for (String unseen : List.of("", "   ", "{", "{\"sta", "{\"status\"", "{\"status\":\"err", "{\"data\":{\"a\":[1,2")) {
            assertEquals(PrometheusApi.HeadStatus.UNSEEN, head(unseen), unseen);
        }
        for (String other : List.of("{\"status\":\"success\"", "{\"status\":null", "{\"data\":{}}", "<html>",
                "[1,2", "{\"status\":\"Error\"}")) {
            assertEquals(PrometheusApi.HeadStatus.OTHER, head(other), other);
        }
        // cut inside a character of a field before the status: more may come
        byte[] accent = "{\"caf\u00e9".getBytes(StandardCharsets.UTF_8);
        assertEquals(PrometheusApi.HeadStatus.UNSEEN, PrometheusApi.headStatus(Arrays.copyOf(accent, accent.length - 1)));
    }

    private static PrometheusApi.HeadStatus head(String start) {
        return PrometheusApi.headStatus(start.getBytes(StandardCharsets.UTF_8));
    }

    /** Answers with this status and the gzip of {@code head}, {@code megabytes} MiB of x and a closing {@code "}}. */
    private void serveGzip(int status, byte[] head, int megabytes) throws IOException {
        byte[] xs = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(head);
            for (int i = 0; i < megabytes; i++) {
                z.write(xs);
            }
            z.write("\"}".getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = out.toByteArray();
        server.answer(ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("Content-Encoding", "gzip");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
    }

    @Test
    void gzipErrorAnswerThatExpandsToHundredsOfMegabytes_isShownByItsStart() throws IOException {
        byte[] head = "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] xs = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(head);
            for (int i = 0; i < 300; i++) {
                z.write(xs);
            }
            z.write("\"}".getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = out.toByteArray();
        server.answer(ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("Content-Encoding", "gzip");
            ex.sendResponseHeaders(500, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        PrometheusException e = assertThrows(PrometheusException.class, () -> PrometheusSource.builder(server.url())
                .maxAttempts(1).build().latest("up", Instant.EPOCH));
        assertEquals("query up: HTTP 500 from " + server.url() + "/api/v1/query: execution: "
                + "x".repeat(PrometheusApi.SHOWN - "execution: ".length()) + "...", e.getMessage());
    }

    @Test
    void proxyPageOf200Megabytes_isShownByItsStart() {
        byte[] line = "<p>bad gateway</p>\n".getBytes(StandardCharsets.UTF_8);
        server.answer(ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(502, LENGTH);
            OutputStream o = ex.getResponseBody();
            byte[] chunk = new byte[line.length * 3000];
            for (int i = 0; i < 3000; i++) {
                System.arraycopy(line, 0, chunk, i * line.length, line.length);
            }
            for (long written = 0; written < LENGTH; written += chunk.length) {
                o.write(chunk, 0, (int) Math.min(chunk.length, LENGTH - written));
            }
            o.close();
        });
        PrometheusException e = assertThrows(PrometheusException.class, () -> PrometheusSource.builder(server.url())
                .maxAttempts(1).build().latest("up", Instant.EPOCH));
        String page = "<p>bad gateway</p>\n".repeat(20);
        assertEquals("query up: HTTP 502 from " + server.url() + "/api/v1/query: " + page.substring(0, PrometheusApi.SHOWN)
                + "...", e.getMessage());
    }

    @Test
    void errorCutInsideTheErrorText_showsWhatWasDecoded() {
        String json = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"caf\u00e9 \\u00e9";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.of("bad_data: caf\u00e9 \u00e9..."), error(bytes));
        // cut inside an escape, inside the two bytes of an é, and right after the opening quote
        assertEquals(Optional.of("bad_data: caf\u00e9 ..."), error(Arrays.copyOf(bytes, bytes.length - 1)));
        int accent = json.indexOf('\u00e9');
        assertEquals(Optional.of("bad_data: caf..."), error(Arrays.copyOf(bytes, accent + 1)));
        assertEquals(Optional.of("bad_data: ..."), error(Arrays.copyOf(bytes, json.indexOf("caf"))));
    }

    @Test
    void errorCutBeforeItsType_showsItsText_andOneCutBeforeTheErrorIsQuoted() {
        assertEquals(Optional.of("error: e"), error("{\"error\":\"e\",\"data\":[1,2,".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), error("{\"errorType\":\"x\",\"da".getBytes(StandardCharsets.UTF_8)));
        assertEquals("{\"errorType\":\"x\",\"da...",
                PrometheusApi.startOf("{\"errorType\":\"x\",\"da".getBytes(StandardCharsets.UTF_8), true));
    }

    /** What a message shows of a body cut at its end. */
    private static Optional<String> error(byte[] cut) {
        return PrometheusApi.prometheusError(PrometheusApi.wholeCharacters(cut), true);
    }
}
