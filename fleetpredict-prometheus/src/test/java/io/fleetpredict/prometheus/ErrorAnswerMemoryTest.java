package io.fleetpredict.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An error answer of tens of megabytes costs a query no more memory than its bytes: a message shows 200
 * characters of it, so nothing more is built from it. A client in a JVM of a small heap reads such answers.
 */
class ErrorAnswerMemoryTest {

    /** Prometheus's own wording for an expression over too many samples. */
    static final String ERROR = "query processing would load too many samples into memory in query execution";
    /** The heap of the client: room for the answer's bytes as they are received, not for a tree of them. */
    static final String HEAP = "-Xmx160m";

    final LoopbackServer server = new LoopbackServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void errorAnswerOf30MegabytesWithTenMillionValuesBeforeTheError_isShownByItsStartByAClientWithA160MegabyteHeap()
            throws Exception {
        // 10 million empty objects: 30 MB of bytes, several hundred MB as a tree of nodes
        byte[] body = body("{\"status\":\"error\",\"data\":[", "{}", 10_000_000,
                "],\"errorType\":\"execution\",\"error\":\"" + ERROR + "\"}");
        serve(422, body);

        Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-cp", classPath(), Client.class.getName(),
                server.url().toString()).redirectErrorStream(true).start();
        String said = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, client.waitFor(), said);
        // only the start of an error answer is read, and Prometheus writes errorType and error first
        assertEquals("query up: HTTP 422 from " + server.url() + "/api/v1/query: "
                + ("{\"status\":\"error\",\"data\":[" + "{},".repeat(100)).substring(0, PrometheusApi.SHOWN) + "...",
                said.strip());
    }

    @Test
    void errorTextOf30Megabytes_isShownByItsStart() {
        // longer than a string Jackson reads whole (20 million characters): its start is read all the same
        byte[] body = body("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"", "x", 30_000_000, "\"}");
        serve(503, body);
        PrometheusException e = org.junit.jupiter.api.Assertions.assertThrows(PrometheusException.class,
                () -> PrometheusSource.builder(server.url()).maxAttempts(1).build().latest("up", Instant.EPOCH));
        assertEquals("query up: HTTP 503 from " + server.url() + "/api/v1/query: execution: "
                + "x".repeat(PrometheusApi.SHOWN - "execution: ".length()) + "...", e.getMessage());
    }

    @Test
    void errorBodyWithMalformedUtf8_isReadAsTextWouldReadIt() {
        assertEquals("bad_data: caf\ufffd", shown("{\"errorType\":\"bad_data\",\"error\":\"caf\u00ff\"}"
                .getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("{\"errorType\":\"bad_data\",\"error\":\"caf\ufffd", shown(("{\"errorType\":\"bad_data\","
                + "\"error\":\"caf\u00ff").getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void errorFieldsOfOtherTypes_areShownAsBefore() {
        assertEquals("error: null", shown("{\"error\":null}"));
        assertEquals("error: 12", shown("{\"errorType\":null,\"error\":12}"));
        assertEquals("true:", shown("{\"error\":{\"a\":[1]},\"errorType\":true}"));
        assertEquals("a: \u00e9\"\nb", shown("{\"errorType\":\"a\",\"error\":\"\\u00e9\\\"\\nb\"}"));
        assertEquals("x".repeat(PrometheusApi.SHOWN) + "...",
                shown("{\"errorType\":\"" + "x".repeat(PrometheusApi.SHOWN * 3) + "\",\"error\":\"e\"}"));
        assertEquals("[{\"error\":\"e\"}]", shown("[{\"error\":\"e\"}]"));
        assertEquals("{\"errorType\":\"e\"}", shown("{\"errorType\":\"e\"}"));
        assertEquals("(empty)", shown(" \n "));
        assertEquals("404 page not found", shown("\n404 page not found\n"));
    }

    @Test
    void bodyOfMegabytesThatIsNotAnError_isShownByItsStart() {
        byte[] body = body("  <html>", "y", 5_000_000, "</html>");
        assertEquals("<html>" + "y".repeat(PrometheusApi.SHOWN - 6) + "...", shown(body));
    }

    /** What the message of an HTTP 400 answer with this body shows of it. */
    private String shown(String body) {
        return shown(body.getBytes(StandardCharsets.UTF_8));
    }

    private String shown(byte[] body) {
        serve(400, body);
        PrometheusException e = org.junit.jupiter.api.Assertions.assertThrows(PrometheusException.class,
                () -> PrometheusSource.builder(server.url()).maxAttempts(1).build().latest("up", Instant.EPOCH));
        String prefix = "query up: HTTP 400 from " + server.url() + "/api/v1/query: ";
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        return e.getMessage().substring(prefix.length());
    }

    /** The bytes of {@code head}, {@code count} times {@code item} (comma-separated when longer than one byte), then {@code tail}. */
    private static byte[] body(String head, String item, int count, String tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] it = (item.length() > 1 ? item + "," : item).getBytes(StandardCharsets.UTF_8);
        int itemsLength = count * it.length - (item.length() > 1 ? 1 : 0);
        byte[] body = new byte[h.length + itemsLength + t.length];
        System.arraycopy(h, 0, body, 0, h.length);
        for (int i = 0; i < count; i++) {
            System.arraycopy(it, 0, body, h.length + i * it.length, Math.min(it.length, itemsLength - i * it.length));
        }
        System.arraycopy(t, 0, body, h.length + itemsLength, t.length);
        return body;
    }

    private void serve(int status, byte[] body) {
        server.answer(ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
    }

    /** The test class path as Surefire gives it, else this JVM's. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** Queries the server named by its argument once and prints the failure's message. */
    static final class Client {
        private Client() {
        }

        public static void main(String[] args) throws IOException {
            try {
                PrometheusSource.builder(URI.create(args[0])).maxAttempts(1).build().latest("up", Instant.EPOCH);
                System.out.println("answered: " + Arrays.toString(args));
            } catch (PrometheusException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
