package io.fleetpredict.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stale markers as Prometheus writes them: a real server scrapes a loopback target every second; when the
 * target stops exposing the series, the next scrape writes a stale marker, and from then on the series
 * has no point, although its last value is still inside the 5-minute lookback.
 */
class PrometheusStaleMarkerTest {

    @TempDir
    Path dir;

    @Test
    void seriesThatDisappears_endsAtItsStaleMarker_notAtTheLookback() throws Exception {
        AtomicBoolean exposed = new AtomicBoolean(true);
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", exchange -> {
            byte[] body = (exposed.get() ? "# TYPE fp_live gauge\nfp_live 7\n" : "# TYPE fp_other gauge\nfp_other 1\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        target.start();
        String job = "scrape_configs:\n  - job_name: target\n    scrape_interval: 1s\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + target.getAddress().getPort() + "']\n";
        try (PrometheusServer server = PrometheusServer.start(dir, "# EOF\n", job)) {
            PrometheusSource source = PrometheusSource.builder(server.url()).build();
            Instant began = Instant.now().minusSeconds(5);
            await(() -> source.latest("fp_live", Instant.now()).isPresent(), "the target to be scraped");
            await(() -> source.samples("fp_live", began, Instant.now(), Duration.ofSeconds(1)).size() >= 3,
                    "three scrapes");
            exposed.set(false);
            Instant hidden = Instant.now();
            await(() -> source.latest("fp_live", Instant.now()).isEmpty(), "the stale marker");
            Instant now = Instant.now();

            // The last value is inside the lookback, but the stale marker ends the series.
            assertEquals(7.0, source.latest("last_over_time(fp_live[5m])", now).orElseThrow().value());
            assertTrue(source.latest("fp_live", now).isEmpty());
            List<Sample> points = source.samples("fp_live", began, now, Duration.ofSeconds(1));
            assertTrue(points.size() >= 3, points.toString());
            Instant last = points.get(points.size() - 1).time();
            assertTrue(last.isBefore(hidden.plusSeconds(3)), "last point " + last + ", hidden at " + hidden);
            Optional<Sample> after = source.latest("fp_live", last.plusSeconds(2));
            assertTrue(after.isEmpty() || after.get().time().isBefore(hidden.plusSeconds(3)), after.toString());
        } finally {
            target.stop(0);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited 30 s for " + what);
            }
            Thread.sleep(200);
        }
    }
}
