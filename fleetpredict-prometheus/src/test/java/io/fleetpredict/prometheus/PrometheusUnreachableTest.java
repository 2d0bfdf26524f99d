package io.fleetpredict.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A server that cannot be reached is reported by its root cause, not as a bare {@code ConnectException}. */
class PrometheusUnreachableTest {

    static final Instant AT = Instant.ofEpochSecond(1000);

    /** {@code .invalid} is reserved (RFC 2606): no resolver answers it. */
    @Test
    void unresolvableHost_isNamedAsSuch_andRetryable() {
        PrometheusException e = assertThrows(PrometheusException.class, () -> PrometheusSource
                .builder(URI.create("http://example.invalid:9090")).maxAttempts(1).build().latest("up", AT));
        assertEquals("query up: cannot reach http://example.invalid:9090/api/v1/query: host example.invalid cannot be"
                + " resolved", e.getMessage());
        assertTrue(e.retryable());
    }

    @Test
    void refusedConnection_isNamedAsSuch() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrometheusException e = assertThrows(PrometheusException.class, () -> PrometheusSource
                .builder(URI.create("http://127.0.0.1:" + port)).maxAttempts(1).build().latest("up", AT));
        assertEquals("query up: cannot reach http://127.0.0.1:" + port + "/api/v1/query: connection to 127.0.0.1:"
                + port + " refused", e.getMessage());
        assertTrue(e.retryable());
    }
}
