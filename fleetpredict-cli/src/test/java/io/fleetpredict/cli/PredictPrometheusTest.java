package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.prometheus.OpenMetrics;
import io.fleetpredict.prometheus.PrometheusServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict --prometheus} against a real Prometheus server backfilled with the bundled sample history,
 * as the raw series {@code docs/examples/integrations/prometheus-queries.json} reads: the predictions equal those
 * made from the CSV folder, and the documented pipeline runs on to provisioning.
 */
class PredictPrometheusTest {

    @TempDir
    static Path dir;
    static PrometheusServer server;

    static Path sample() throws URISyntaxException {
        return Path.of(PredictPrometheusTest.class.getResource("/sample/events.json").toURI()).getParent();
    }

    /**
     * The sample's series as the raw series the example query file reads: each step's value written as what a
     * cluster exposes over that step, scraped every minute.
     */
    @BeforeAll
    static void start() throws Exception {
        server = PrometheusServer.start(Files.createDirectories(dir.resolve("prometheus")), sampleMetrics(), "");
    }

    /**
     * The sample as raw series, one sample a minute: an activity as a counter ({@code page_views_total}) that rises
     * by the step's value over the step, CPU as {@code container_cpu_usage_seconds_total} rising by the step's cores
     * a second, memory as {@code container_memory_working_set_bytes} holding the step's GiB through the step. The
     * example's {@code increase}, {@code rate} and {@code avg_over_time} over each step, dated at its start, read
     * the step's value back.
     */
    static String sampleMetrics() throws Exception {
        OpenMetrics om = new OpenMetrics();
        try (Stream<Path> files = Files.list(sample())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                String[] parts = f.getFileName().toString().replace(".csv", "").split("\\.");
                List<String> lines = Files.readAllLines(f);
                List<Double> minutes = new ArrayList<>();
                // A counter starts well above zero, so that Prometheus does not take its first step as its start.
                double total = 1e6;
                for (String line : lines.subList(1, lines.size())) {
                    double v = Double.parseDouble(line.split(",")[1]);
                    for (int m = 0; m < 15; m++) {
                        if (parts[1].equals("memory")) {
                            minutes.add(v * (1L << 30));
                        } else {
                            minutes.add(total);
                            total += parts[1].equals("activity") ? v / 15 : v * 60;
                        }
                    }
                }
                if (!parts[1].equals("memory")) {
                    minutes.add(total);  // the end of the last step
                }
                String metric = parts[1].equals("activity") ? parts[2] + "_total"
                        : parts[1].equals("cpu") ? "container_cpu_usage_seconds_total" : "container_memory_working_set_bytes";
                om.gauge(metric, "service=\"" + parts[0] + "\"", Instant.parse(lines.get(1).split(",")[0]),
                        Duration.ofMinutes(1), minutes);
            }
        }
        return om.text();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void predict_fromPrometheus_equalsPredictFromTheFolder() throws Exception {
        Path sample = sample();
        Path fromFiles = dir.resolve("files");
        Path fromPrometheus = dir.resolve("prometheus-out");
        CommandRun a = CommandRun.of("predict", "--history", sample.toString(), "--events",
                sample.resolve("events.json").toString(), "--sla", sample.resolve("sla-policies.json").toString(),
                "--out", fromFiles.toString());
        assertEquals(ExitCodes.OK, a.code(), a.toString());
        CommandRun b = CommandRun.of("predict", "--prometheus", server.url().toString(), "--query-file",
                CommandRun.examples().resolve("integrations/prometheus-queries.json").toString(),
                "--to", "2024-03-24T23:45:00Z", "--range", "P27DT23H45M",
                "--events", sample.resolve("events.json").toString(), "--sla", sample.resolve("sla-policies.json").toString(),
                "--out", fromPrometheus.toString());
        assertEquals(ExitCodes.OK, b.code(), b.toString());
        for (Horizon h : Horizon.values()) {
            String name = "predicted-fleet-state-" + h.jsonName() + ".json";
            assertEquals(Files.readString(fromFiles.resolve(name)), Files.readString(fromPrometheus.resolve(name)), name);
        }
        // And on through the documented pipeline: plan, then provision against the sample catalogue.
        Path catalogue = CommandRun.examples().resolve("instance-catalogue.json");
        Path provisional = dir.resolve("provisional-from-prometheus.json");
        CommandRun plan = CommandRun.of("plan", "--predicted",
                fromPrometheus.resolve("predicted-fleet-state-medium_term.json").toString(),
                "--fleet", sample.resolve("fleet-state.json").toString(), "--catalog", catalogue.toString(),
                "--sla", sample.resolve("sla-policies.json").toString(), "--events",
                sample.resolve("events.json").toString(), "--out", provisional.toString());
        assertEquals(ExitCodes.OK, plan.code(), plan.toString());
        CommandRun provision = CommandRun.of("provision", "--provisional", provisional.toString(), "--threshold", "1000",
                "--catalog", catalogue.toString(), "--apply");
        assertEquals(ExitCodes.OK, provision.code(), provision.toString());
        assertTrue(provision.out().contains("provisioned chg-"), provision.out());
    }

    /**
     * A server whose remote read points at a store that is down answers every query with its (complete) local
     * points and a {@code remote_read} warning: refused by default, read with a warning line when accepted.
     */
    @Test
    void predict_partialAnswer_refusedByDefault_readWithAWarningWhenAccepted() throws Exception {
        int down;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            down = s.getLocalPort();
        }
        Path sample = sample();
        try (PrometheusServer partial = PrometheusServer.start(Files.createDirectories(dir.resolve("partial")),
                sampleMetrics(), "remote_read:\n  - url: http://127.0.0.1:" + down + "/api/v1/read\n    read_recent: true\n")) {
            List<String> args = List.of("predict", "--prometheus", partial.url().toString(), "--query-file",
                    CommandRun.examples().resolve("integrations/prometheus-queries.json").toString(),
                    "--to", "2024-03-24T23:45:00Z", "--range", "P27DT23H45M",
                    "--events", sample.resolve("events.json").toString(), "--sla", sample.resolve("sla-policies.json").toString());
            Path refusedOut = dir.resolve("partial-refused");
            List<String> refusing = new ArrayList<>(args);
            refusing.addAll(List.of("--out", refusedOut.toString()));
            CommandRun refused = CommandRun.of(refusing.toArray(String[]::new));
            assertEquals(ExitCodes.INVALID_INPUT, refused.code(), refused.toString());
            assertTrue(refused.err().contains("remote_read") && refused.err().contains(
                    "; --prometheus-warnings accept reads such answers"), refused.err());
            assertTrue(Files.notExists(refusedOut.resolve("predicted-fleet-state-short_term.json")), "nothing written");

            Path acceptedOut = dir.resolve("partial-accepted");
            Path fromFiles = dir.resolve("partial-files");
            List<String> accepting = new ArrayList<>(args);
            accepting.addAll(List.of("--prometheus-warnings", "accept", "--out", acceptedOut.toString()));
            CommandRun accepted = CommandRun.of(accepting.toArray(String[]::new));
            assertEquals(ExitCodes.OK, accepted.code(), accepted.toString());
            assertTrue(accepted.err().contains("warning: the answer to sum(increase(page_views_total") && accepted.err().contains("remote_read"),
                    accepted.err());
            CommandRun files = CommandRun.of("predict", "--history", sample.toString(), "--events",
                    sample.resolve("events.json").toString(), "--sla", sample.resolve("sla-policies.json").toString(),
                    "--out", fromFiles.toString());
            assertEquals(ExitCodes.OK, files.code(), files.toString());
            String name = "predicted-fleet-state-short_term.json";
            assertEquals(Files.readString(fromFiles.resolve(name)), Files.readString(acceptedOut.resolve(name)),
                    "the local points are the whole history here, so the prediction is the folder's");
        }
        CommandRun misplaced = CommandRun.of("predict", "--history", sample.toString(), "--prometheus-warnings", "accept");
        assertEquals(ExitCodes.USAGE, misplaced.code(), misplaced.toString());
        assertTrue(misplaced.err().contains("--prometheus-warnings go with --prometheus"), misplaced.err());
    }

    @Test
    void predict_prometheusWithoutQueryFile_isAUsageError() {
        CommandRun r = CommandRun.of("predict", "--prometheus", server.url().toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("--query-file"), r.err());
        CommandRun both = CommandRun.of("predict", "--prometheus", server.url().toString(), "--history", "x");
        assertEquals(ExitCodes.USAGE, both.code(), both.toString());
    }

    @Test
    void predict_queryWithoutData_exit3NamingTheSeries() throws IOException {
        Path q = dir.resolve("missing.json");
        Files.writeString(q, "{\"schema_version\": 1, \"step\": \"PT15M\", \"queries\": [{\"service\": \"checkout\","
                + " \"resource\": \"cpu\", \"unit\": \"cores\", \"promql\": \"sum(no_such_metric)\"}]}");
        CommandRun r = CommandRun.of("predict", "--prometheus", server.url().toString(), "--query-file", q.toString(),
                "--to", "2024-03-24T23:45:00Z", "--range", "P7D");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("checkout.cpu.cores") && r.err().contains("no data"), r.err());
    }
}
