package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpredict.core.document.DocumentKind;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.SchemaCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Path sample() throws URISyntaxException {
        return Path.of(PredictCommandTest.class.getResource("/sample/events.json").toURI()).getParent();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * A query file's errors read as every other document's: the file first, then the JSON path and the problem, in
     * the words every command uses for a missing file or a folder; the server is never asked.
     */
    @Test
    void predict_badQueryFile_exit3NamingTheFileFirst() throws Exception {
        Path cut = Files.writeString(tmp.resolve("cut.json"), "{\"schema_version\": 1, \"step\": \"PT15M\"");
        Path folder = Files.createDirectories(tmp.resolve("queries"));
        Path absent = tmp.resolve("absent.json");
        List<String> expected = List.of(
                cut + ": query file $: not JSON at line 1, column 38: Unexpected end-of-input",
                folder + ": is a folder, not a file",
                absent + ": no such file");
        List<Path> files = List.of(cut, folder, absent);
        for (int i = 0; i < files.size(); i++) {
            CommandRun r = CommandRun.of("predict", "--prometheus", "http://localhost:1", "--query-file",
                    files.get(i).toString());
            assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
            assertTrue(r.err().startsWith("fleetpredict predict: " + expected.get(i)), r::toString);
            assertFalse(r.err().contains("Source:") || r.err().contains("localhost"), r::toString);
        }
    }

    /**
     * A named pipe among a --history folder's .csv files was never named by the user; opening it would wait for a
     * writer for ever. It is refused unopened, naming it.
     */
    @Test
    void predict_namedPipeInTheHistoryFolder_refusedUnopenedNamingIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("fifo"));
        Files.writeString(dir.resolve("web.cpu.cores.csv"), "timestamp,value\n2024-03-20 00:00,1\n");
        Path pipe = dir.resolve("a.cpu.cores.csv");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no mkfifo: " + e);
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0 && Files.exists(pipe), "mkfifo made no pipe");

        Run r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> run("predict", "--history", dir.toString(), "--out", tmp.resolve("out").toString()));

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.err());
        assertTrue(r.err().contains(pipe + ": not a regular file (a folder, pipe, device or socket)"), r.err());
    }

    @Test
    void predict_bundledSample_writesOneValidDocumentPerHorizon() throws Exception {
        Path dir = sample();
        Run r = run("predict", "--history", dir.toString(), "--events", dir.resolve("events.json").toString(),
                "--sla", dir.resolve("sla-policies.json").toString(), "--fleet-id", "sample", "--out", tmp.toString());

        assertEquals(ExitCodes.OK, r.code(), r.err());
        for (Horizon h : Horizon.values()) {
            String json = Files.readString(tmp.resolve("predicted-fleet-state-" + h.jsonName() + ".json"));
            assertEquals(Set.of(), SchemaCheck.errors(DocumentKind.PREDICTED_FLEET_STATE, json), h + ": " + json);
            PredictedFleetState s = Documents.read(json, PredictedFleetState.class);
            assertEquals(h, s.horizon());
            assertEquals("2024-03-25T00:00:00Z", s.timestamp().toString());
            assertEquals(3, s.services().size());
        }
        assertTrue(r.out().contains("maintenance zone-drain: 2024-03-26T03:00:00Z to 2024-03-26T05:00:00Z, removes CPU 16 cores"),
                r.out());
    }

    @Test
    void predict_zone_localHistoryAndAtReadInTheZone() throws Exception {
        // Hourly Berlin wall-clock rows across the spring-forward night, written from UTC instants.
        Path dir = Files.createDirectories(tmp.resolve("berlin"));
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        StringBuilder cpu = new StringBuilder("timestamp,value\n");
        java.time.Instant t0 = java.time.Instant.parse("2024-03-20T00:00:00Z");
        for (int i = 0; i < 21 * 24; i++) {
            java.time.Instant t = t0.plusSeconds(3600L * i);
            cpu.append(java.time.LocalDateTime.ofInstant(t, berlin).toString().replace('T', ' ')).append(',')
                    .append(40 + 10 * Math.sin(2 * Math.PI * i / 24)).append('\n');
        }
        Files.writeString(dir.resolve("web.cpu.cores.csv"), cpu);

        Run r = run("predict", "--history", dir.toString(), "--zone", "Europe/Berlin", "--at", "2024-04-05 14:00");
        Run utc = run("predict", "--history", dir.toString(), "--at", "2024-04-05 14:00");

        assertEquals(ExitCodes.OK, r.code(), r.err());
        // 14:00 summer time in Berlin is 12:00 UTC.
        assertEquals("2024-04-05T12:00:00Z", MAPPER.readTree(r.out()).get(0).get("timestamp").asText());
        // Read as UTC, the same rows skip an hour in March: a gap, refused by default.
        assertEquals(ExitCodes.INVALID_INPUT, utc.code(), utc.err());
        assertTrue(utc.err().contains("gap before timestamp 2024-03-31T03:00:00Z"), utc.err());
    }

    @Test
    void predict_stdoutWithAt_jsonArrayOfThreeDocumentsAtThatTime() throws Exception {
        Path dir = sample();
        Run r = run("predict", "--history", dir.toString(), "--events", dir.resolve("events.json").toString(),
                "--at", "2024-03-20T00:00:00Z");

        assertEquals(ExitCodes.OK, r.code(), r.err());
        JsonNode array = MAPPER.readTree(r.out());
        assertEquals(3, array.size());
        for (JsonNode doc : array) {
            assertEquals(Set.of(), SchemaCheck.errors(DocumentKind.PREDICTED_FLEET_STATE, doc.toString()));
            assertEquals("2024-03-20T00:00:00Z", doc.get("timestamp").asText());
        }
        // The campaign of that day is in the model's parameters of the medium term.
        assertTrue(array.get(1).get("model").get("parameters").toString().contains("spring-sale-3"), r.out());
    }

    /**
     * An {@code --at} too far after the history for a forecast is refused before any model is fitted: two hours
     * of history hold no complete day, so fitting the long term would fail (exit 3), and is never reached. The
     * short term's steps are counted as the library counts them: from the history's end (02:00 on 2024-03-01)
     * to six hours after {@code --at}, in 15 minutes.
     */
    @Test
    void predict_atPastWhatAForecastHolds_refusedBeforeFitting() throws Exception {
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        java.time.Instant t0 = java.time.Instant.parse("2024-03-01T00:00:00Z");
        for (int i = 0; i < 8; i++) {
            csv.append(t0.plusSeconds(900L * i)).append(',').append(10 + i % 3).append('\n');
        }
        Files.writeString(tmp.resolve("web.cpu.cores.csv"), csv);
        long steps = java.time.Duration.between(java.time.Instant.parse("2024-03-01T02:00:00Z"),
                java.time.Instant.parse("2099-01-01T06:00:00Z")).dividedBy(java.time.Duration.ofMinutes(15));

        Run far = run("predict", "--history", tmp.toString(), "--at", "2099-01-01T00:00:00Z");
        Run near = run("predict", "--history", tmp.toString(), "--at", "2024-03-01T03:00:00Z");

        assertEquals(ExitCodes.USAGE, far.code(), far.err());
        assertEquals("fleetpredict predict: --at 2099-01-01T00:00:00Z: short_term web.CPU: a forecast from the series'"
                + " end 2024-03-01T02:00:00Z to 2099-01-01T06:00:00Z takes " + steps + " steps of PT15M, more than the"
                + " 1000000 a forecast holds (the history ends at 2024-03-01T02:00:00Z)\ntry 'fleetpredict predict"
                + " --help'\n", far.err());
        assertEquals("", far.out());
        assertEquals(ExitCodes.INVALID_INPUT, near.code(), near.err());
        assertTrue(near.err().contains("has no complete long_term step"), near.err());
    }

    /**
     * The Prometheus server stands for the history folder: one that cannot be reached is invalid input (exit 3),
     * as a folder that cannot be read is, naming the series, the query and the address; exit 4 is the cloud
     * provider's.
     */
    @Test
    void predict_unreachablePrometheus_invalidInputNamingSeriesAndAddress() throws Exception {
        int down;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            down = s.getLocalPort();
        }

        Run r = run("predict", "--prometheus", "http://127.0.0.1:" + down, "--query-file",
                CommandRun.examples().resolve("integrations/prometheus-queries.json").toString(),
                "--to", "2024-03-24T23:45:00Z", "--range", "7d");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.err());
        assertTrue(r.err().startsWith("fleetpredict predict: catalogue.activity.page_views: query sum("), r.err());
        assertTrue(r.err().contains(": cannot reach http://127.0.0.1:" + down + "/api/v1/query_range: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void predict_unknownMetricFile_invalidInputNamingIt() throws Exception {
        Files.writeString(tmp.resolve("web.gpu.cores.csv"), "timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,2\n");

        Run r = run("predict", "--history", tmp.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("web.gpu.cores.csv: unknown metric 'gpu'"), r.err());
    }

    @Test
    void predict_nanValue_invalidInputNamingLine() throws Exception {
        Files.writeString(tmp.resolve("web.cpu.cores.csv"), "timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,NaN\n");

        Run r = run("predict", "--history", tmp.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("web.cpu.cores.csv:3: value 'NaN' is not finite"), r.err());
    }

    @Test
    void predict_timeGoingBackwards_invalidInputNamingLine() throws Exception {
        Files.writeString(tmp.resolve("web.cpu.cores.csv"), String.join("\n", List.of("timestamp,value",
                "2024-01-01T00:00:00Z,1", "2024-01-01T01:00:00Z,2", "2024-01-01T00:00:00Z,3")) + "\n");

        Run r = run("predict", "--history", tmp.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("web.cpu.cores.csv:4: timestamp 2024-01-01T00:00:00Z repeats or goes backwards"), r.err());
    }

    @Test
    void predict_eventEndingBeforeItStarts_invalidInput() throws Exception {
        Path dir = sample();
        Path events = tmp.resolve("events.json");
        Files.writeString(events, "{\"events\": [{\"id\": \"x\", \"type\": \"campaign\", \"name\": \"Sale\","
                + " \"start\": \"2024-03-02T00:00:00Z\", \"end\": \"2024-03-01T00:00:00Z\", \"scope\": \"fleet\"}]}");

        Run r = run("predict", "--history", dir.toString(), "--events", events.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("end"), r.err());
    }

    /**
     * A history whose forecast overflows a double: the error names the history folder, the horizon and the series,
     * where it said only which bound of the naive forecast was infinite. (A season between 1.5e308 and 1.7e308
     * without a trend no longer serves: its forecast stays within a double.)
     */
    @Test
    void predict_seriesWhoseForecastOverflows_invalidInputNamingFolderHorizonAndSeries() throws Exception {
        Path history = Files.createDirectories(tmp.resolve("history"));
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        java.time.Instant t0 = java.time.Instant.parse("2024-01-01T00:00:00Z");
        // A daily season on a trend that reaches 1.75e308 at the last hour: values the models fit (in a power-of-two
        // unit), whose forecast goes on past the largest double.
        for (int i = 0; i < 504; i++) {
            csv.append(t0.plusSeconds(3600L * i)).append(',').append(1.0e308 + i * 1.5e305 + (i % 24 < 12 ? 0.05e308 : 0))
                    .append('\n');
        }
        Files.writeString(history.resolve("web.cpu.cores.csv"), csv);

        Run r = run("predict", "--history", history.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().matches("(?s)fleetpredict predict: " + java.util.regex.Pattern.quote(history.toString())
                + ": (short|medium|long)_term web\\.\\S+: .*overflow a double.*"), r.err());
    }

    /**
     * A declared demand multiplier so large that the forecast overflows: the error names the events file, the event
     * and its multiplier as significant digits and a power of ten, not as 309 digits.
     */
    @Test
    void predict_eventMultiplierOverflowingTheForecast_invalidInputNamingTheEventsFileAndEvent() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode feed =
                (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(sample().resolve("events.json").toFile());
        com.fasterxml.jackson.databind.node.ObjectNode event = feed.withArray("events").addObject();
        event.put("id", "x1").put("type", "campaign").put("name", "x").put("start", "2024-03-25T00:00:00Z")
                .put("end", "2024-03-25T06:00:00Z").put("scope", "fleet");
        event.putObject("expected_impact").put("demand_multiplier", 1e308);
        Path events = tmp.resolve("feed.json");
        MAPPER.writeValue(events.toFile(), feed);

        Run r = run("predict", "--history", sample().toString(), "--events", events.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("fleetpredict predict: " + sample() + ", " + events + ": "), r.err());
        assertTrue(r.err().contains(": event x1 (campaign:x) multiplies the forecast by 1.0E308: "), r.err());
        assertTrue(r.err().contains("x1.000e+308"), r.err());
        assertFalse(r.err().contains("0000000000"), r.err());
    }
}
