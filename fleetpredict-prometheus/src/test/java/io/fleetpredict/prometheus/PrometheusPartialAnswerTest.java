package io.fleetpredict.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partial answer as a real Prometheus gives one: its remote read points at a store that is down, so every
 * query succeeds with the local points and a {@code remote_read} warning, the way a Thanos answers when some
 * of its stores do not.
 */
class PrometheusPartialAnswerTest {

    static final Instant START = Instant.parse("2024-02-26T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(15);
    static final List<Double> VALUES = new ArrayList<>();

    @TempDir
    static Path dir;
    static PrometheusServer server;

    @BeforeAll
    static void start() throws IOException {
        for (int i = 0; i < 96; i++) {
            VALUES.add(10.0 + i);
        }
        int down;
        try (ServerSocket s = new ServerSocket(0)) {
            down = s.getLocalPort();
        }
        // read_recent: the local TSDB holds the whole range, which would otherwise spare the remote read
        String remoteRead = "remote_read:\n  - url: http://127.0.0.1:" + down + "/api/v1/read\n    read_recent: true\n";
        server = PrometheusServer.start(dir, new OpenMetrics().gauge("fp_cpu_cores", "", START, STEP, VALUES).text(),
                remoteRead);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void partialAnswer_isRefusedByDefault_withTheServersWarning() {
        PrometheusSource source = PrometheusSource.builder(server.url()).build();
        Instant end = START.plus(STEP.multipliedBy(95));
        PrometheusWarningsException e = assertThrows(PrometheusWarningsException.class,
                () -> source.samples("fp_cpu_cores", START, end, STEP));
        assertFalse(e.retryable());
        assertEquals("fp_cpu_cores", e.warnings().promql());
        assertEquals(START, e.warnings().start());
        assertEquals(end, e.warnings().end());
        assertTrue(e.warnings().warnings().get(0).startsWith("remote_read: "), e.warnings().toString());
        assertTrue(e.getMessage().contains("refused, as the warning policy is REFUSE: remote_read: "), e.getMessage());
        PrometheusWarningsException latest = assertThrows(PrometheusWarningsException.class,
                () -> source.latest("fp_cpu_cores", end));
        assertEquals(end, latest.warnings().start());
    }

    @Test
    void partialAnswer_accepted_givesItsPointsAndTheWarningsToTheListener() {
        List<AnswerWarnings> heard = new CopyOnWriteArrayList<>();
        PrometheusSource source = PrometheusSource.builder(server.url()).warningPolicy(WarningPolicy.ACCEPT)
                .warningListener(heard::add).build();
        List<Sample> points = source.samples("fp_cpu_cores", START, START.plus(STEP.multipliedBy(95)), STEP);
        assertEquals(VALUES, points.stream().map(Sample::value).toList());
        assertEquals(1, heard.size());
        assertTrue(heard.get(0).warnings().get(0).startsWith("remote_read: "), heard.toString());
    }
}
