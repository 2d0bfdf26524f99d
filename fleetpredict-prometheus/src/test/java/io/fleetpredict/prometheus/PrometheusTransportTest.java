package io.fleetpredict.prometheus;

import static io.fleetpredict.prometheus.LoopbackServer.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the network and the things in front of a Prometheus do to an answer: a body that stalls or never
 * ends, redirects, and answers that are empty or not JSON at all.
 */
class PrometheusTransportTest {

    static final Instant T0 = Instant.ofEpochSecond(1000);
    static final Instant T1 = Instant.ofEpochSecond(1060);
    static final Duration STEP = Duration.ofSeconds(15);
    static final String ONE_POINT = matrix("{}", "[[1000,\"1\"]]");

    final LoopbackServer server = new LoopbackServer();

    @AfterEach
    void stop() {
        server.close();
    }

    PrometheusSource.Builder builder() {
        return PrometheusSource.builder(server.url()).maxAttempts(1).timeout(Duration.ofSeconds(10));
    }

    @Test
    void bodyThatStallsAfterTheHeaders_timesOut() {
        server.answer(ex -> {
            LoopbackServer.sendPart(ex, 1000, "{\"status\":\"succ");
            Thread.sleep(30_000);
        });
        PrometheusSource source = builder().timeout(Duration.ofMillis(500)).build();
        PrometheusException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(PrometheusException.class, () -> source.samples("up", T0, T1, STEP)));
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("no answer from") && e.getMessage().contains("within PT0.5S"), e.getMessage());
    }

    @Test
    void bodyLargerThanTheLimit_isRefusedWithoutReadingItAll() {
        // a chunked body that never ends: without a limit the reader would fill the memory
        server.answer(ex -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream o = ex.getResponseBody();
            byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 1_000_000; i++) {
                o.write(chunk);
            }
        });
        refusedAsLargerThan(1 << 20);
    }

    /** A source with this answer limit refuses the answer, quickly and for good. */
    void refusedAsLargerThan(int limit) {
        PrometheusSource source = builder().maxResponseBytes(limit).build();
        PrometheusException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(PrometheusException.class, () -> source.samples("up", T0, T1, STEP)));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("is larger than " + limit + " bytes"), e.getMessage());
    }

    @Test
    void bodyWithinTheLimit_reads() {
        server.json(ONE_POINT);
        assertEquals(List.of(new Sample(T0, 1)),
                builder().maxResponseBytes(ONE_POINT.length()).build().samples("up", T0, T1, STEP));
    }

    /** Answers with these bytes, compressed as the request allows, under this {@code Content-Encoding}. */
    void encoded(String encoding, byte[] body) {
        server.answer(ex -> {
            String accepted = ex.getRequestHeaders().getFirst("Accept-Encoding");
            if (encoding.equals("gzip") && (accepted == null || !accepted.contains("gzip"))) {
                LoopbackServer.answer(ex, 406, "text/plain", "gzip only");
                return;
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("Content-Encoding", encoding);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
    }

    /** The gzip of these bytes repeated. */
    static byte[] gzip(byte[] plain, int times) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            for (int i = 0; i < times; i++) {
                z.write(plain);
            }
        }
        return out.toByteArray();
    }

    @Test
    void gzipAnswer_isAskedForAndRead() throws IOException {
        encoded("gzip", gzip(ONE_POINT.getBytes(StandardCharsets.UTF_8), 1));
        assertEquals(List.of(new Sample(T0, 1)), builder().build().samples("up", T0, T1, STEP));
    }

    @Test
    void gzipAnswerThatExpandsPastTheLimit_isRefusedWithoutExpandingItAll() throws IOException {
        // 512 MiB of blanks compress to about half a megabyte
        encoded("gzip", gzip(" ".repeat(1 << 20).getBytes(StandardCharsets.UTF_8), 512));
        refusedAsLargerThan(4 << 20);
    }

    @Test
    void gzipAnswerThatIsNotGzip_isNamed() {
        encoded("gzip", ONE_POINT.getBytes(StandardCharsets.UTF_8));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("the answer from " + server.url() + "/api/v1/query_range is not"
                + " readable gzip"), e.getMessage());
    }

    @Test
    void answerInAnEncodingNotAskedFor_isNamed() {
        encoded("br", ONE_POINT.getBytes(StandardCharsets.UTF_8));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("is encoded as br, which was not asked for"), e.getMessage());
    }

    /**
     * An error answer whose body cannot be read (a proxy that compresses its error pages as it likes) is still the
     * error its status says: named by it, and retried when it is retryable.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "503|br|its body is encoded as br, which was not asked for|true",
        "502|deflate|its body is encoded as deflate, which was not asked for|true",
        "400|gzip|its body is not readable gzip: Not in GZIP format|false"})
    void errorAnswerWhoseBodyCannotBeRead_namesItsStatus(int status, String encoding, String said, boolean retryable) {
        byte[] body = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no\"}".getBytes(StandardCharsets.UTF_8);
        server.answer(ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("Content-Encoding", encoding);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().maxAttempts(2).sleeper(d -> { }).build().samples("up", T0, T1, STEP));
        assertEquals("query up: HTTP " + status + " from " + server.url() + "/api/v1/query_range: " + said
                + (retryable ? " (after 2 attempts)" : ""), e.getMessage());
        assertEquals(retryable, e.retryable());
        assertEquals(retryable ? 2 : 1, server.requests().size());
    }

    @Test
    void builder_rejectsANonPositiveBodyLimit() {
        assertThrows(IllegalArgumentException.class, () -> builder().maxResponseBytes(0));
    }

    /** Redirects every request with this status to the same path under {@code /moved}, which answers. */
    void redirectToMoved(int status) {
        server.answer(ex -> {
            if (ex.getRequestURI().getPath().startsWith("/moved/")) {
                LoopbackServer.answer(ex, 200, "application/json", ONE_POINT);
            } else {
                ex.getResponseHeaders().add("Location", "/moved" + ex.getRequestURI().getPath());
                ex.sendResponseHeaders(status, -1);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303})
    void redirectThatTurnsThePostIntoAGet_isNamedNotSentWithoutTheQuery(int status) {
        redirectToMoved(status);
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("redirected to " + server.url() + "/moved/api/v1/query_range"),
                e.getMessage());
        assertEquals(1, server.requests().size(), "the GET without the query is not sent");
    }

    @ParameterizedTest
    @ValueSource(ints = {307, 308})
    void redirectThatKeepsThePost_isFollowed(int status) {
        redirectToMoved(status);
        assertEquals(List.of(new Sample(T0, 1)), builder().build().samples("up", T0, T1, STEP));
        assertEquals("POST", server.requests().get(1).method());
        assertTrue(server.requests().get(1).body().contains("query=up"));
    }

    @ParameterizedTest
    @CsvSource({"301,http", "302,https", "307,http", "308,https"})
    void redirectToAnUnreachableAddress_namesTheAddressTriedAndTheOriginal(int status, String scheme)
            throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String target = scheme + "://127.0.0.1:" + closed + "/api/v1/query_range";
        server.answer(ex -> {
            ex.getResponseHeaders().add("Location", target);
            ex.sendResponseHeaders(status, -1);
        });
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains(target) && e.getMessage().contains(server.url() + "/api/v1/query_range"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"/moved,true", "OTHER,false"})
    void redirect_sendsTheCallersHeadersOnlyToTheSameServer(String location, boolean sent) {
        // the token given for one server must not reach another that a redirect names
        List<String> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LoopbackServer other = new LoopbackServer()) {
            LoopbackServer.Handler target = ex -> {
                tokens.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                LoopbackServer.answer(ex, 200, "application/json", ONE_POINT);
            };
            other.answer(target);
            String to = location.equals("OTHER") ? other.url() + "/api/v1/query_range" : location + "/api/v1/query_range";
            server.answer(ex -> {
                if (ex.getRequestURI().getPath().startsWith("/moved/")) {
                    target.handle(ex);
                } else {
                    ex.getResponseHeaders().add("Location", to);
                    ex.sendResponseHeaders(307, -1);
                }
            });
            assertEquals(List.of(new Sample(T0, 1)),
                    builder().header("Authorization", "Bearer s3cret").build().samples("up", T0, T1, STEP));
        }
        assertEquals(List.of(sent ? "Bearer s3cret" : "null"), tokens);
    }

    @Test
    void redirectFromHttpsToPlainHttp_isNotFollowed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // a TLS server with a certificate for 127.0.0.1 made by the JDK's keytool, trusted by the client
        java.nio.file.Path store = dir.resolve("tls.p12");
        char[] password = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                store.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String said = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), said);
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(store)) {
            keys.load(in, password);
        }
        javax.net.ssl.KeyManagerFactory km = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        km.init(keys, password);
        javax.net.ssl.TrustManagerFactory tm = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tm.init(keys);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(km.getKeyManagers(), tm.getTrustManagers(), null);

        server.json(ONE_POINT);
        com.sun.net.httpserver.HttpsServer secure = com.sun.net.httpserver.HttpsServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        secure.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        String plain = server.url() + "/api/v1/query_range";
        secure.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Location", plain);
            ex.sendResponseHeaders(307, -1);
            ex.close();
        });
        secure.start();
        try {
            java.net.URI base = java.net.URI.create("https://127.0.0.1:" + secure.getAddress().getPort());
            PrometheusSource source = PrometheusSource.builder(base).maxAttempts(1)
                    .httpClient(java.net.http.HttpClient.newBuilder().sslContext(tls).build()).build();
            PrometheusException e = assertThrows(PrometheusException.class, () -> source.samples("up", T0, T1, STEP));
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains(base + "/api/v1/query_range redirected to " + plain
                    + " (HTTP 307), from https to plain http, which is not followed"), e.getMessage());
            assertTrue(server.requests().isEmpty(), "nothing is sent in the clear");
        } finally {
            secure.stop(0);
        }
    }

    @Test
    void redirectWithTheCallersClient_isHandledTheSame() {
        server.answer(ex -> {
            ex.getResponseHeaders().add("Location", "/login");
            ex.sendResponseHeaders(302, -1);
        });
        PrometheusSource source = builder().httpClient(java.net.http.HttpClient.newHttpClient()).build();
        PrometheusException e = assertThrows(PrometheusException.class, () -> source.samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains("redirected to " + server.url() + "/login (HTTP 302)"), e.getMessage());
    }

    @Test
    void redirectLoop_endsAfterFiveRedirects() {
        server.answer(ex -> {
            ex.getResponseHeaders().add("Location", "/again" + ex.getRequestURI().getPath());
            ex.sendResponseHeaders(307, -1);
        });
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("after 5 redirects"), e.getMessage());
        assertEquals(6, server.requests().size());
    }

    @ParameterizedTest
    @CsvSource({"301,", "302,", "303,", "307,", "308,", "307,' '"})
    void redirectWithoutALocation_isNamedWithItsStatusAndAddress(int status, String location) {
        // a proxy that redirects but says nowhere (no header, or an empty one): named, not sent again
        server.answer(ex -> {
            if (location != null) {
                ex.getResponseHeaders().add("Location", location);
            }
            ex.sendResponseHeaders(status, -1);
        });
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> PrometheusSource.builder(server.url()).build().samples("up", T0, T1, STEP));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().startsWith("query up: HTTP " + status + " from " + server.url()
                + "/api/v1/query_range: a redirect without a Location header"), e.getMessage());
        assertEquals(1, server.requests().size());
    }

    @Test
    void redirectWithoutALocationAfterARedirect_namesBothAddresses() {
        server.answer(ex -> {
            if (ex.getRequestURI().getPath().startsWith("/moved/")) {
                ex.sendResponseHeaders(308, -1);
            } else {
                ex.getResponseHeaders().add("Location", "/moved" + ex.getRequestURI().getPath());
                ex.sendResponseHeaders(307, -1);
            }
        });
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains("HTTP 308 from " + server.url() + "/moved/api/v1/query_range (redirected"
                + " from " + server.url() + "/api/v1/query_range): a redirect without a Location header"), e.getMessage());
    }

    @Test
    void redirectToWhatIsNotAnAddress_isNamed() {
        server.answer(ex -> {
            ex.getResponseHeaders().add("Location", "http://bad host/");
            ex.sendResponseHeaders(307, -1);
        });
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains("redirected to http://bad host/, which is not an address"), e.getMessage());
    }

    @Test
    void emptyAnswer_saysSo() {
        server.json("");
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains("the answer from " + server.url() + "/api/v1/query_range is empty"),
                e.getMessage());
    }

    @Test
    void htmlAnswer_namesTheAddressTheTypeAndItsStart() {
        server.answer(ex -> LoopbackServer.answer(ex, 200, "text/html", "<html><body>Please log in</body></html>"));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains("the answer from " + server.url() + "/api/v1/query_range is not JSON"
                + " (Content-Type text/html): <html><body>Please log in</body></html>"), e.getMessage());
    }

    @Test
    void jsonFollowedByMore_isNotTakenForAnAnswer() {
        server.json(ONE_POINT + "<html>");
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().contains("is not JSON"), e.getMessage());
    }

    @Test
    void bodyOneByteOverTheLimit_isRefused() {
        server.json(ONE_POINT);
        refusedAsLargerThan(ONE_POINT.length() - 1);
    }

    @Test
    void bodyOverTheLimit_isNoLongerRead() throws InterruptedException {
        // the client stops reading once the limit is passed, so the server cannot write the rest
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean writeFailed = new java.util.concurrent.atomic.AtomicBoolean();
        server.answer(ex -> {
            try {
                ex.sendResponseHeaders(200, 0);
                OutputStream o = ex.getResponseBody();
                byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 4096; i++) {  // 256 MiB in all
                    o.write(chunk);
                }
                o.close();
            } catch (IOException e) {
                writeFailed.set(true);
            } finally {
                done.countDown();
            }
        });
        refusedAsLargerThan(1 << 20);
        assertTrue(done.await(60, java.util.concurrent.TimeUnit.SECONDS), "the server is still writing");
        assertTrue(writeFailed.get(), "the server wrote all 256 MiB: the client read them all");
    }

    @Test
    void gzipAnswerThatExpandsToTheLimitExactly_reads() throws IOException {
        // blanks after the answer, so that the compressed body is well within the limit too
        byte[] plain = (ONE_POINT + " ".repeat(1_000)).getBytes(StandardCharsets.UTF_8);
        encoded("gzip", gzip(plain, 1));
        assertEquals(List.of(new Sample(T0, 1)), builder().maxResponseBytes(plain.length).build()
                .samples("up", T0, T1, STEP));
    }

    @Test
    void answerCutShort_saysHowManyBytesCame() {
        server.answer(ex -> LoopbackServer.sendPart(ex, 1_000, "{\"status\":\"success\",\"da"));
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertTrue(e.getMessage().startsWith("query up: the answer from " + server.url() + "/api/v1/query_range ended"
                + " early, after 23 bytes: "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {307, 308})
    void redirectKeepingThePostToAnUnreachableAddress_cannotReachIt(int status) throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String target = "http://127.0.0.1:" + closed + "/api/v1/query_range";
        server.answer(ex -> {
            ex.getResponseHeaders().add("Location", target);
            ex.sendResponseHeaders(status, -1);
        });
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertTrue(e.retryable());
        assertTrue(e.getMessage().startsWith("query up: cannot reach " + target + " (redirected from " + server.url()
                + "/api/v1/query_range): "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/api/v1/query_range", "file:///api/v1/query_range"})
    void redirectToAnAddressThatIsNotHttp_isNotFollowed(String target) {
        server.answer(ex -> {
            ex.getResponseHeaders().add("Location", target);
            ex.sendResponseHeaders(307, -1);
        });
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertFalse(e.retryable());
        assertEquals("query up: " + server.url() + "/api/v1/query_range redirected to " + target + " (HTTP 307), which"
                + " is not an http or https address", e.getMessage());
        assertEquals(1, server.requests().size());
    }

    @Test
    void multipleChoices_isNotFollowed_andSaysWhereItPoints() {
        // 300 names choices, one in Location: no client follows it on its own
        server.answer(ex -> {
            ex.getResponseHeaders().add("Location", "/elsewhere");
            LoopbackServer.answer(ex, 300, "text/html", "<a href=\"/elsewhere\">elsewhere</a>");
        });
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> builder().build().samples("up", T0, T1, STEP));
        assertFalse(e.retryable());
        assertEquals("query up: HTTP 300 from " + server.url() + "/api/v1/query_range: redirects to /elsewhere",
                e.getMessage());
    }
}
