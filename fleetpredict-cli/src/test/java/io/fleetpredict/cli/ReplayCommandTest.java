package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

    @TempDir
    Path dir;

    /** Six days of a noisy daily cycle at 10-minute steps. */
    private Path trace() throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        Random random = new Random(11);
        Instant t = Instant.parse("2024-03-01T00:00:00Z");
        for (int i = 0; i < 6 * 144; i++) {
            double v = 1000 + 600 * Math.sin(2 * Math.PI * i / 144) + 50 * random.nextGaussian();
            sb.append(t.plus(Duration.ofMinutes(10L * i))).append(',').append(String.format(Locale.ROOT, "%.0f", v)).append('\n');
        }
        Path file = dir.resolve("trace.csv");
        Files.writeString(file, sb.toString());
        return file;
    }

    private record Outcome(int code, String out, String err) {
    }

    /** Ten-minute rows across New York's 2024 fall-back, as wall-clock times without an offset. */
    private Path newYorkAutumnTrace(String... extra) throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        ZoneId zone = ZoneId.of("America/New_York");
        Instant t = Instant.parse("2024-10-31T00:00:00Z");
        for (int i = 0; i < 5 * 144; i++) {
            sb.append(LocalDateTime.ofInstant(t.plus(Duration.ofMinutes(10L * i)), zone).toString().replace('T', ' '))
                    .append(',').append(1000 + 500 * (i % 144 < 72 ? 1 : 0)).append('\n');
        }
        for (String row : extra) {
            sb.append(row).append('\n');
        }
        Path file = dir.resolve("new-york.csv");
        Files.writeString(file, sb.toString());
        return file;
    }

    @Test
    void replay_zone_localTraceAcrossFallBack_runsWhereUtcFindsARepeat() throws IOException {
        String trace = newYorkAutumnTrace().toString();
        String[] args = {"replay", "--trace", trace, "--per-instance", "100", "--warm-up", "2d", "--policies",
            "reactive", "--no-sweep"};

        Outcome utc = run(args);
        Outcome local = run(Stream.concat(Stream.of(args), Stream.of("--zone", "America/New_York")).toArray(String[]::new));

        assertEquals(3, utc.code(), utc.err());
        assertTrue(utc.err().contains("timestamp 2024-11-03T01:00:00Z repeats or goes backwards"), utc.err());
        assertEquals(0, local.code(), local.err());
    }

    @Test
    void replay_zone_localTimeTheClocksSkip_exit3NamingLineAndTime() throws IOException {
        // 2025-03-09 02:30 never happened in New York: the clocks went from 02:00 to 03:00.
        Path trace = newYorkAutumnTrace("2025-03-09 02:30:00,1000");

        Outcome o = run("replay", "--trace", trace.toString(), "--per-instance", "100", "--zone", "America/New_York",
                "--no-sweep");

        assertEquals(3, o.code(), o.err());
        assertTrue(o.err().contains(trace + ":722: timestamp '2025-03-09 02:30:00' does not exist in America/New_York"),
                o.err());
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    /** A trace whose name holds a terminal escape: the report's first line shows it escaped, on screen and in replay.md. */
    @Test
    void replay_traceNameWithAnEscape_shownEscaped() throws IOException {
        Path named = Files.move(trace(), dir.resolve("t\u001b[31mred.csv"));
        Path out = dir.resolve("out");
        Outcome o = run("replay", "--trace", named.toString(), "--per-instance", "100", "--boot-time", "5m",
                "--warm-up", "4d", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("Trace t\\u001b[31mred.csv: "), o.out());
        assertFalse(o.out().contains("\u001b"), o.out());
        assertFalse(Files.readString(out.resolve("replay.md")).contains("\u001b"));
    }

    @Test
    void replay_json_hasPoliciesAndFrontier() throws IOException {
        Path out = dir.resolve("out");
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--boot-time", "5m",
                "--warm-up", "4d", "--format", "json", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        JsonNode root = new ObjectMapper().readTree(o.out());
        JsonNode policies = root.get("policies");
        String[] names = {"fleetpredict", "static", "reactive", "aws-default"};
        assertEquals(names.length, policies.size());
        for (int i = 0; i < names.length; i++) {
            JsonNode p = policies.get(i);
            assertEquals(names[i], p.get("name").asText());
            for (String field : new String[] {"cost", "violation_minutes", "unserved_share", "mean_utilisation"}) {
                assertTrue(p.get(field).isNumber(), field + " in " + p);
            }
            assertTrue(p.get("scaling_actions").isIntegralNumber(), p.toString());
        }
        JsonNode frontier = root.get("frontier");
        assertTrue(frontier.size() > 20, frontier.toString());
        assertTrue(frontier.get(0).get("violation_minutes").isNumber());
        for (String file : new String[] {"replay.json", "replay.md", "capacity.svg", "frontier.svg"}) {
            assertTrue(Files.size(out.resolve(file)) > 100, file);
        }
        assertTrue(Files.readString(out.resolve("frontier.svg")).startsWith("<svg"));
    }

    @Test
    void replay_events_readAndNamedInTheSetup() throws IOException {
        Path feed = dir.resolve("events.json");
        Files.writeString(feed, """
                {"schema_version": 1, "events": [
                  {"id": "e1", "type": "news", "name": "match", "start": "2024-03-05T12:00:00Z",
                   "end": "2024-03-05T14:00:00Z", "scope": "fleet"}]}
                """);
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--boot-time", "5m",
                "--warm-up", "4d", "--format", "json", "--no-sweep", "--policies", "fleetpredict", "--events", feed.toString());
        assertEquals(0, o.code(), o.err());
        JsonNode root = new ObjectMapper().readTree(o.out());
        assertEquals("events.json", root.get("replay").get("events").asText());
        assertEquals(1, root.get("policies").size());
    }

    @Test
    void replay_invalidEvents_exit3NamingTheField() throws IOException {
        Path feed = dir.resolve("events.json");
        Files.writeString(feed, "{\"events\": [{\"id\": \"e1\", \"type\": \"party\"}]}");
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "4d",
                "--events", feed.toString());
        assertEquals(3, o.code(), o.err());
        assertTrue(o.err().contains("type"), o.err());
    }

    @Test
    void replay_missingTrace_exit3NamingTheFile() {
        Outcome o = run("replay", "--trace", dir.resolve("nope.csv").toString(), "--per-instance", "10");
        assertEquals(3, o.code());
        assertTrue(o.err().contains("nope.csv"), o.err());
    }

    @Test
    void replay_badDuration_exit2() throws IOException {
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "10", "--boot-time", "five minutes");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("five minutes"), o.err());
    }

    @Test
    void replay_unknownPolicy_exit2() throws IOException {
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "10", "--policies", "static,magic");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("magic"), o.err());
    }

    /** The violations of a replay result against docs/schemas/replay-result.schema.json. */
    private static Set<ValidationMessage> schemaErrors(String json) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(
                mapper.readTree(Files.readString(Path.of("..", "docs", "schemas", "replay-result.schema.json"))),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        return schema.validate(mapper.readTree(json));
    }

    @Test
    void replay_json_validatesAgainstItsSchema_asDoTheCommittedResults() throws IOException {
        for (String sweep : new String[] {"--no-sweep", "--policies=reactive,fleetpredict"}) {
            Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "4d",
                    "--format", "json", sweep);
            assertEquals(0, o.code(), o.err());
            assertEquals(Set.of(), schemaErrors(o.out()), sweep);
        }
        for (String t : new String[] {"worldcup98-0.999", "worldcup98-0.99", "nyc-taxi-0.999", "nyc-taxi-0.99"}) {
            Path file = Path.of("..", "docs", "results", "replay", t, "replay.json");
            assertEquals(Set.of(), schemaErrors(Files.readString(file)), file.toString());
        }
        // The schema is not a formality: a negative cost, and a renamed field (unknown, and the required one missing).
        String bad = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "4d",
                "--format", "json", "--no-sweep").out().replaceFirst("\"cost\": [0-9.]+", "\"cost\": -1")
                .replaceFirst("\"region\"", "\"zone\"");
        assertEquals(3, schemaErrors(bad).size(), schemaErrors(bad).toString());
    }

    @Test
    void replay_slaTargetOutOfRange_exit2NamingIt() throws IOException {
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "10", "--policies", "fleetpredict",
                "--sla-target", "1", "--warm-up", "4d", "--no-sweep");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--sla-target") && o.err().contains("was 1.0"), o.err());
    }

    @Test
    void replay_loopAlone_oneRowNamedFleetpredictWithItsTargetAndNoSweep() throws IOException {
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--boot-time", "5m",
                "--warm-up", "4d", "--policies", "fleetpredict", "--sla-target", "0.99", "--format", "json");
        assertEquals(0, o.code(), o.err());
        JsonNode root = new ObjectMapper().readTree(o.out());
        assertEquals(1, root.get("policies").size());
        assertEquals("fleetpredict", root.get("policies").get(0).get("policy").asText());
        assertEquals(0.99, root.get("replay").get("sla_target").asDouble());
        assertEquals(0, root.get("frontier").size());
    }

    /** A warm-up ending inside a step is refused, naming the step and the whole-step warm-ups on either side. */
    @Test
    void replay_warmUpNotAWholeNumberOfSteps_exit2NamingTheStepAndTheNearestValidWarmUps() throws IOException {
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "25m",
                "--policies", "static,reactive", "--no-sweep");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--warm-up 25m: not a whole number of the trace's steps of 10m; the nearest that"
                + " are: 20m and 30m"), o.err());
        assertEquals("", o.out());
    }

    /**
     * A boot time as long as what the trace scores is refused before the replay, naming the option and the span:
     * the loop would otherwise forecast every step out to it (ten years of steps on a month's trace ran out of
     * memory).
     */
    @Test
    void replay_bootTimeNotShorterThanTheScoredSpan_exit2NamingTheSpan() throws IOException {
        Path file = trace();
        Outcome o = run("replay", "--trace", file.toString(), "--per-instance", "100", "--warm-up", "5d",
                "--boot-time", "3650d", "--no-sweep");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--boot-time 3650d: is not shorter than the scored span of 1d, 144 steps of 10m"
                + " after the 5d warm-up"), o.err());
        assertEquals("", o.out());
        Outcome exact = run("replay", "--trace", file.toString(), "--per-instance", "100", "--warm-up", "5d",
                "--boot-time", "1d", "--policies", "reactive", "--no-sweep");
        assertEquals(2, exact.code(), exact.err());
    }

    /**
     * A boot time shorter than the scored span whose reach the loop cannot predict (a boot time and a cooldown of
     * one, more ten-minute steps than the 1,008 of its seven-day error window) is refused before the replay too.
     */
    @Test
    void replay_bootTimeBeyondTheLoopsReach_exit2NamingTheLoop() throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        Instant t = Instant.parse("2024-03-01T00:00:00Z");
        for (int i = 0; i < 10 * 144; i++) {
            sb.append(t.plus(Duration.ofMinutes(10L * i))).append(",1000\n");
        }
        Path file = dir.resolve("ten-days.csv");
        Files.writeString(file, sb.toString());
        Outcome o = run("replay", "--trace", file.toString(), "--per-instance", "100", "--warm-up", "1d",
                "--boot-time", "4d", "--policies", "fleetpredict,reactive", "--no-sweep");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--boot-time 4d: too long for the loop fleetpredict at the trace's step of 10m:")
                && o.err().contains("more than the 1008 its error window of PT168H holds"), o.err());
        assertEquals("", o.out());
        Outcome without = run("replay", "--trace", file.toString(), "--per-instance", "100", "--warm-up", "1d",
                "--boot-time", "4d", "--policies", "reactive", "--no-sweep");
        assertEquals(0, without.code(), without.err());
    }

    /** Both warm-up refusals of the library, worded for the command line: the file, and durations as typed. */
    @Test
    void replay_warmUpCoveringTheTraceOrEndingInsideItsLastStep_exit2InTheCommandsWords() throws IOException {
        Path file = trace();
        Outcome covers = run("replay", "--trace", file.toString(), "--per-instance", "100", "--warm-up", "6d",
                "--policies", "reactive", "--no-sweep");
        assertEquals(2, covers.code(), covers.err());
        assertTrue(covers.err().contains("--warm-up 6d: covers the whole trace " + file + " (864 steps of PT10M);"
                + " nothing is left to score"), covers.err());
        Outcome last = run("replay", "--trace", file.toString(), "--per-instance", "100", "--warm-up", "8635m",
                "--policies", "reactive", "--no-sweep");
        assertEquals(2, last.code(), last.err());
        assertTrue(last.err().contains("--warm-up 8635m: not a whole number of the trace's steps of 10m; the nearest"
                + " that is: 8630m"), last.err());
        assertEquals("", covers.out() + last.out());
    }

    /** The default warm-up, a week, is cut to the whole steps within it when the step does not divide a week. */
    @Test
    void replay_defaultWarmUpOnStepsThatDoNotDivideAWeek_scoresFromTheLastWholeStepWithin() throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
        for (int i = 0; i < 1000; i++) {
            sb.append(t0.plus(Duration.ofMinutes(11L * i))).append(',').append(500 + i % 7).append('\n');
        }
        Path file = Files.writeString(dir.resolve("eleven.csv"), sb.toString());
        Outcome o = run("replay", "--trace", file.toString(), "--per-instance", "100", "--policies", "static",
                "--no-sweep", "--format", "json");
        assertEquals(0, o.code(), o.err());
        JsonNode setup = new ObjectMapper().readTree(o.out()).get("replay");
        assertEquals(t0.plus(Duration.ofMinutes(11L * 916)).toString(), setup.get("scored_from").asText());
        assertEquals(1000 - 916, setup.get("scored_steps").asInt());
    }

    /**
     * Demand that more instances than a policy can count would be needed for is refused before any replay, naming
     * its line and value: scored, it would only saturate every fleet and count as violations.
     */
    @Test
    void replay_demandNoFleetCanServe_exit3NamingTheLineAndValueAndPrintingNothing() throws IOException {
        Path file = trace();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String time = lines.get(99).split(",")[0];
        lines.set(99, time + ",1e300");
        Files.write(file, lines);
        Path out = dir.resolve("out");
        Outcome huge = run("replay", "--trace", file.toString(), "--per-instance", "100", "--warm-up", "4d",
                "--out", out.toString());
        assertEquals(3, huge.code(), huge.err());
        assertTrue(huge.err().contains(file + ":100: value '1e300' needs more than 2147483647 instances of"
                + " --per-instance 100; no fleet can serve it"), huge.err());
        assertEquals("", huge.out());
        assertFalse(Files.exists(out.resolve("replay.json")));

        Outcome tiny = run("replay", "--trace", trace().toString(), "--per-instance", "1e-300", "--warm-up", "4d");
        assertEquals(3, tiny.code(), tiny.err());
        assertTrue(tiny.err().contains(":2: value '") && tiny.err().contains("instances of --per-instance 1e-300"),
                tiny.err());
        assertEquals("", tiny.out());
    }

    /**
     * On a trace of about 17 million instances a step, the default sweep's static headroom of 200 needs 3.4 billion:
     * that point and the chosen row at the same headroom are reported as no fleet can size them, with the step and
     * the count, in every output, and the rest of the replay is scored as usual.
     */
    @Test
    void replay_headroomNoFleetCanSize_reportedWhereItFailedAndLeftOffTheFrontier() throws IOException {
        Path out = dir.resolve("out");
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "0.0001", "--warm-up", "4d",
                "--policies", "static,reactive", "--static-headroom", "200", "--format", "json", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        assertEquals(Set.of(), schemaErrors(o.out()));
        JsonNode root = new ObjectMapper().readTree(o.out());
        JsonNode chosen = root.get("policies").get(0);
        assertEquals("static(p99,headroom=200)", chosen.get("policy").asText());
        assertFalse(chosen.has("cost"), chosen.toString());
        JsonNode where = chosen.get("oversized");
        assertEquals(576, where.get("step").asInt(), "the first scored step, after 4 days of 10 minutes");
        assertEquals("2024-03-05T00:00:00Z", where.get("time").asText());
        assertTrue(where.get("instances_needed").asDouble() > 3e9, where.toString());
        assertTrue(root.get("policies").get(1).get("cost").isNumber(), "reactive is scored");
        int oversized = 0;
        for (JsonNode point : root.get("frontier")) {
            boolean huge = point.get("policy").asText().equals("static") && point.get("value").asDouble() == 200;
            assertEquals(huge, point.has("oversized"), point.toString());
            assertEquals(!huge, point.has("cost"), point.toString());
            oversized += huge ? 1 : 0;
        }
        assertEquals(1, oversized);
        String md = Files.readString(out.resolve("replay.md"));
        assertTrue(md.contains("| static(p99,headroom=200) | too large to size (see below) |"), md);
        assertTrue(md.contains("- static(p99,headroom=200) needs ") && md.contains(" instances at step 576"
                + " (2024-03-05T00:00:00Z); no fleet has more than 2147483647"), md);
        assertEquals(2, md.split("- static\\(p99,headroom=200\\) needs ", -1).length, "the row and its sweep point: one line");
        assertTrue(Files.readString(out.resolve("capacity.svg")).contains("not drawn, too large to size: static<"));
        assertTrue(Files.readString(out.resolve("frontier.svg")).contains("left out, too large to size:"
                + " static headroom=200<"));
    }

    /**
     * A one-step glitch past what the loop's fleet may hold in a replay (a billion requests at 10 each): the loop's
     * row is answered at once as too large to size, naming the step, the count and its limit, in every output; the
     * reference policies are scored.
     */
    @Test
    void replay_glitchPastTheLoopsCap_loopRowTooLargeToSizeTheOthersScored() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(trace()));
        String[] glitch = lines.get(700).split(",");
        lines.set(700, glitch[0] + ",1000000000");
        Path file = dir.resolve("glitch.csv");
        Files.write(file, lines);
        Path out = dir.resolve("out");

        Outcome o = run("replay", "--trace", file.toString(), "--per-instance", "10", "--warm-up", "4d",
                "--policies", "fleetpredict,reactive", "--no-sweep", "--format", "json", "--out", out.toString());

        assertEquals(0, o.code(), o.err());
        assertEquals(Set.of(), schemaErrors(o.out()));
        JsonNode loop = new ObjectMapper().readTree(o.out()).get("policies").get(0);
        assertEquals("fleetpredict", loop.get("policy").asText());
        assertFalse(loop.has("cost"), loop.toString());
        assertEquals(699, loop.get("oversized").get("step").asInt(), loop.toString());
        assertEquals(1e8, loop.get("oversized").get("instances_needed").asDouble(), loop.toString());
        assertEquals(10_000_000, loop.get("oversized").get("instance_limit").asInt(), loop.toString());
        assertTrue(new ObjectMapper().readTree(o.out()).get("policies").get(1).get("cost").isNumber());
        String md = Files.readString(out.resolve("replay.md"));
        assertTrue(md.contains("| fleetpredict | too large to size (see below) |"), md);
        assertTrue(md.contains("- fleetpredict needs 100000000 instances at step 699 (" + glitch[0]
                + "); it can have at most 10000000"), md);
    }

    /**
     * An output file that cannot be written is found before the replay runs, not after it has printed its table and
     * written some of the files.
     */
    @Test
    void replay_outputFileThatCannotBeWritten_exit3BeforeReplayingAndWritingNothing() throws IOException {
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("capacity.svg"));
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "4d",
                "--policies", "static,reactive", "--no-sweep", "--out", out.toString());
        assertEquals(3, o.code(), o.err());
        assertTrue(o.err().contains(out.resolve("capacity.svg") + ": cannot write: is a folder, not a file"), o.err());
        assertEquals("", o.out());
        assertFalse(Files.exists(out.resolve("replay.json")));
        assertFalse(Files.exists(out.resolve("replay.md")));
    }

    /** A replay refused after its output folder was checked (and so made) leaves no folder it made itself. */
    @Test
    void replay_refusedAfterCheckingTheOutFolder_leavesNoFolderItCreated_andKeepsOneThatWasThere() throws IOException {
        Path made = dir.resolve("runs");
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "25m",
                "--policies", "static", "--no-sweep", "--out", made.resolve("first").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--warm-up 25m"), o.err());
        assertFalse(Files.exists(made), "an empty folder left by a refused run");

        Path there = Files.createDirectories(dir.resolve("there"));
        o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "6d",
                "--policies", "static", "--no-sweep", "--out", there.toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(Files.isDirectory(there), "the folder given existed before the run: it stays");
    }

    /** A run without a sweep into a folder that holds an earlier run's frontier leaves no frontier of another run. */
    @Test
    void replay_noSweepIntoAnEarlierRunsFolder_leavesNoStaleFrontier() throws IOException {
        Path out = dir.resolve("out");
        Outcome swept = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "4d",
                "--policies", "static", "--out", out.toString());
        assertEquals(0, swept.code(), swept.err());
        assertTrue(Files.exists(out.resolve("frontier.svg")));
        Outcome single = run("replay", "--trace", trace().toString(), "--per-instance", "50", "--warm-up", "4d",
                "--policies", "static", "--no-sweep", "--out", out.toString());
        assertEquals(0, single.code(), single.err());
        assertFalse(Files.exists(out.resolve("frontier.svg")), "a frontier of the earlier run is left beside this one");
        assertTrue(Files.readString(out.resolve("replay.json")).contains("\"per_instance\": 50"));
    }

    /**
     * A value is requests per step, so a trace whose step grows part-way (minutes, then five-minute sums) cannot be
     * filled as gaps: each filled minute would carry five minutes of requests. It is refused at the line where the
     * step changes; isolated missing minutes are still gaps.
     */
    @Test
    void replay_stepThatChangesPartWay_exit3NamingTheLineWhereItChanges() throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        Instant t = Instant.parse("2024-03-01T00:00:00Z");
        for (int i = 0; i < 3000; i++) {
            sb.append(t).append(",100\n");
            t = t.plus(Duration.ofMinutes(i < 2000 ? 1 : 5));
        }
        Path file = Files.writeString(dir.resolve("coarser.csv"), sb.toString());
        Outcome o = run("replay", "--trace", file.toString(), "--per-instance", "10", "--warm-up", "1d",
                "--policies", "static", "--no-sweep");
        assertEquals(3, o.code(), o.err());
        assertTrue(o.err().contains(file + ":2003: the step changes from PT1M to PT5M after line 2002"), o.err());
        assertEquals("", o.out());

        // Two minutes missing here and there are gaps, filled as before.
        StringBuilder gaps = new StringBuilder("timestamp,value\n");
        t = Instant.parse("2024-03-01T00:00:00Z");
        for (int i = 0; i < 3000; i++) {
            gaps.append(t).append(",100\n");
            t = t.plus(Duration.ofMinutes(i % 500 == 499 || i % 500 == 250 ? 3 : 1));
        }
        Path holes = Files.writeString(dir.resolve("holes.csv"), gaps.toString());
        Outcome filled = run("replay", "--trace", holes.toString(), "--per-instance", "10", "--warm-up", "1d",
                "--policies", "static", "--no-sweep", "--format", "json");
        assertEquals(0, filled.code(), filled.err());
        assertEquals(3000 + 2 * 11, new ObjectMapper().readTree(filled.out()).get("replay").get("steps").asInt());
    }

    /**
     * A timestamp typed a week late on the last of forty one-second rows was filled as 604,800 made-up steps and
     * scored: refused, naming the line and both timestamps, under the default {@code --gaps linear}.
     */
    @Test
    void replay_timestampMistypedAWeekLate_exit3NamingTheGapInsteadOfFillingIt() throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < 40; i++) {
            Instant t = t0.plusSeconds(i);
            sb.append(i == 39 ? t.plus(Duration.ofDays(7)) : t).append(',').append(100 + i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("typo.csv"), sb.toString());

        Outcome o = run("replay", "--trace", file.toString(), "--per-instance", "100", "--boot-time", "2s",
                "--warm-up", "10s", "--policies", "static", "--no-sweep", "-q", "--format", "json");

        assertEquals(3, o.code(), o.err());
        assertTrue(o.err().contains(file + ":41: gap from 2024-01-01T00:00:38Z (line 40) to 2024-01-08T00:00:39Z:"
                + " 604800 missing steps of PT1S, more than the 40 rows the file holds"), o.err());
        assertEquals("", o.out());
    }

    /** Forty one-second steps cycling 100 to 140 requests: a run costs fractions of a cent. */
    private Path secondsTrace() throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 40; i++) {
            sb.append(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i)).append(',').append(100 + 10 * (i % 5))
                    .append('\n');
        }
        return Files.writeString(dir.resolve("sec.csv"), sb.toString());
    }

    /**
     * The text follows docs/cli.md: money to four decimals (a cost of 0.0016 was printed 0.00, the price 0.096/h),
     * other figures to four significant digits; the JSON six significant digits (instance-hours of a minute were
     * cut to 0.017).
     */
    @Test
    void replay_smallTrace_moneyToFourDecimalsAndFiguresToTheirSignificantDigits() throws IOException {
        String[] args = {"replay", "--trace", secondsTrace().toString(), "--per-instance", "100", "--boot-time", "2s",
            "--warm-up", "10s", "--no-sweep", "-q", "--policies", "static,reactive"};

        Outcome text = run(args);
        Outcome json = run(Stream.concat(Stream.of(args), Stream.of("--format", "json")).toArray(String[]::new));

        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("m.large in us-east at 0.0960/h;"), text.out());
        // Three instances for 30 s, then two: 0.025 and 0.0166667 instance-hours at 0.096 an hour.
        assertTrue(text.out().contains("| static(p99,headroom=0.5) | 0.0024 | 0 | 0% | 0% | 40.00% | 0 |"), text.out());
        assertTrue(text.out().contains("| reactive(target=0.7) | 0.0016 | 0 | 0% | 0% | 60.00% | 0 |"), text.out());
        assertEquals(0, json.code(), json.err());
        JsonNode reactive = new ObjectMapper().readTree(json.out()).get("policies").get(1);
        assertEquals("0.0166667", reactive.get("instance_hours").asText());
        assertEquals("0.0016", reactive.get("cost").asText());
    }

    @Test
    void replay_hugePerInstance_headerWritesItWithAnExponent() throws IOException {
        for (String perInstance : List.of("1e300", "1e20")) {
            Outcome o = run("replay", "--trace", secondsTrace().toString(), "--per-instance", perInstance,
                    "--boot-time", "2s", "--warm-up", "10s", "--no-sweep", "-q", "--policies", "static");
            assertEquals(0, o.code(), o.err());
            assertTrue(o.out().contains("; " + perInstance.replace("e", "e+") + " per instance per step;"), o.out());
        }
    }

    /** A trace every sweep point serves without a violation still draws its frontier, at the chart's zero. */
    @Test
    void replay_sweepWithoutAnyViolation_drawsTheFrontierWithoutNaN() throws IOException {
        Path out = dir.resolve("out");
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100000", "--warm-up", "4d",
                "--policies", "static,reactive", "--format", "json", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        for (JsonNode point : new ObjectMapper().readTree(o.out()).get("frontier")) {
            assertEquals(0, point.get("violation_share").asDouble(), point.toString());
        }
        String frontier = Files.readString(out.resolve("frontier.svg"));
        assertFalse(frontier.contains("NaN"), frontier);
        assertEquals(2, Svg.parse(frontier).all("//g[@class='points']/circle").size());
    }

    /** A chart window that misses the scored steps is a usage error naming them, not a chart of one clamped step. */
    @Test
    void replay_windowOutsideTheScoredSteps_exit2NamingTheScoredSpan() throws IOException {
        for (String start : new String[] {"2030-01-01T00:00:00Z", "2024-03-04T00:00:00Z", "2024-03-07T00:00:00Z"}) {
            Path out = dir.resolve("out");
            Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "4d",
                    "--policies", "static", "--no-sweep", "--window-start", start, "--window", "1d", "--out",
                    out.toString());
            assertEquals(2, o.code(), start + ": " + o.err());
            assertTrue(o.err().contains("--window-start " + start + ": the chart's 1d window from it holds no scored"
                    + " step; they run from 2024-03-05T00:00:00Z to 2024-03-07T00:00:00Z"), o.err());
            assertEquals("", o.out());
        }
        // A window reaching into the scored steps from the warm-up is drawn from the first of them.
        Path out = dir.resolve("inside");
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "4d",
                "--policies", "static", "--no-sweep", "--window-start", "2024-03-04T12:00:00Z", "--window", "1d",
                "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(Files.readString(out.resolve("capacity.svg")).contains("from 2024-03-05T00:00:00Z"));
    }

    /** A trace of values alone has no step, which sets the violation minutes, the boot in steps and the cost. */
    @Test
    void replay_traceWithoutTimestamps_exit3SayingItNeedsThem() throws IOException {
        Path file = Files.writeString(dir.resolve("values.csv"), "value\n100\n120\n90\n110\n");
        Outcome o = run("replay", "--trace", file.toString(), "--per-instance", "100", "--warm-up", "0s",
                "--policies", "reactive", "--no-sweep");
        assertEquals(3, o.code(), o.err());
        assertTrue(o.err().contains(file + ": no timestamps; a value is an amount per step, so the series needs"
                + " 'timestamp,value' rows to give its step"), o.err());
        assertEquals("", o.out());
    }

    /** static sizes its fleet on the warm-up: without one it is a usage error naming the option, before any replay. */
    @Test
    void replay_staticWithoutWarmUp_exit2NamingTheWarmUpBeforeReplaying() throws IOException {
        Outcome o = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "0s",
                "--no-sweep");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--warm-up 0s: static sizes its fleet on the warm-up; give at least one step (10m)"
                + " or leave static out of --policies"), o.err());
        assertFalse(o.err().contains("java.lang"), o.err());
        assertEquals("", o.out());
        Outcome reactive = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "0s",
                "--no-sweep", "--policies", "reactive", "--format", "json");
        assertEquals(0, reactive.code(), reactive.err());
        assertEquals(6 * 144, new ObjectMapper().readTree(reactive.out()).get("replay").get("scored_steps").asInt());
    }

    /**
     * Timestamps with offsets are instants, so a trace across a clock change (+01:00, then +02:00) is regular; the
     * same local times without offsets repeat an hour at the change back, an error naming the line. Windows line
     * endings and a byte order mark read as plain lines.
     */
    @Test
    void replay_offsetsAcrossAClockChange_readAsInstants_localTimesRepeatingAnHourNamed() throws IOException {
        StringBuilder offsets = new StringBuilder("\uFEFFtimestamp,value\r\n");
        StringBuilder local = new StringBuilder("timestamp,value\n");
        java.time.ZoneId paris = java.time.ZoneId.of("Europe/Paris");
        Instant t = Instant.parse("2024-10-26T00:00:00Z");
        for (int i = 0; i < 48 * 6; i++) {
            java.time.ZonedDateTime z = t.plus(Duration.ofMinutes(10L * i)).atZone(paris);
            offsets.append(z.toOffsetDateTime()).append(",100\r\n");
            local.append(z.toLocalDateTime()).append(",100\n");
        }
        Path file = Files.writeString(dir.resolve("paris.csv"), offsets.toString());
        Outcome o = run("replay", "--trace", file.toString(), "--per-instance", "100", "--warm-up", "1d",
                "--policies", "reactive", "--no-sweep", "--format", "json");
        assertEquals(0, o.code(), o.err());
        JsonNode setup = new ObjectMapper().readTree(o.out()).get("replay");
        assertEquals(48 * 6, setup.get("steps").asInt());
        assertEquals("2024-10-27T00:00:00Z", setup.get("scored_from").asText());

        Path naive = Files.writeString(dir.resolve("paris-local.csv"), local.toString());
        Outcome repeated = run("replay", "--trace", naive.toString(), "--per-instance", "100", "--warm-up", "1d",
                "--policies", "reactive", "--no-sweep");
        assertEquals(3, repeated.code(), repeated.err());
        // 01:00Z is 02:00 local again after the change back (03:00 summer time): line 2 + 25 hours of 6 steps.
        assertTrue(repeated.err().contains(naive + ":" + (2 + 25 * 6) + ": timestamp 2024-10-27T02:00:00Z repeats or"
                + " goes backwards"), repeated.err());
    }

    @Test
    void durations_shortFormOfTheLargestUnitThatDividesIt() {
        assertEquals("20m", DurationConverter.format(Duration.ofMinutes(20)));
        assertEquals("2h", DurationConverter.format(Duration.ofMinutes(120)));
        assertEquals("90m", DurationConverter.format(Duration.ofMinutes(90)));
        assertEquals("7d", DurationConverter.format(Duration.ofDays(7)));
        assertEquals("1500ms", DurationConverter.format(Duration.ofMillis(1500)));
        assertEquals("0s", DurationConverter.format(Duration.ZERO));
        assertEquals("PT0.000001S", DurationConverter.format(Duration.ofNanos(1000)));
        for (Duration d : new Duration[] {Duration.ofSeconds(61), Duration.ofHours(25), Duration.ofNanos(1)}) {
            assertEquals(d, DurationConverter.parse(DurationConverter.format(d)));
        }
    }

    @Test
    void durations_shortAndIsoForms() {
        assertEquals(Duration.ofMinutes(5), DurationConverter.parse("5m"));
        assertEquals(Duration.ofDays(7), DurationConverter.parse("7d"));
        assertEquals(Duration.ofSeconds(90), DurationConverter.parse("90s"));
        assertEquals(Duration.ofMinutes(5), DurationConverter.parse("PT5M"));
    }

    /** The six-day trace without the rows at the given indices (0 the first row of data). */
    private Path traceWithout(int... rows) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(trace()));
        for (int k = rows.length - 1; k >= 0; k--) {
            lines.remove(rows[k] + 1);
        }
        Path file = dir.resolve("gappy.csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void replay_gapLongerThanMaxGap_exit3NamingItsLineAndLengthAndHowToFillIt() throws IOException {
        int[] eleven = new int[11];
        for (int k = 0; k < 11; k++) {
            eleven[k] = 600 + k;
        }
        Outcome o = run("replay", "--trace", traceWithout(eleven).toString(), "--per-instance", "100", "--warm-up", "4d",
                "--policies", "reactive", "--no-sweep");
        assertEquals(3, o.code(), o.err());
        assertTrue(o.err().contains("gappy.csv:602: gap from 2024-03-05T03:50:00Z to 2024-03-05T05:50:00Z: 11 missing "
                + "steps of PT10M in a row, more than --max-gap (5) lets be filled; give --max-gap 11 to fill it with "
                + "--gaps linear, or split the file at the gap"), o.err());
        assertEquals("", o.out());

        Outcome given = run("replay", "--trace", dir.resolve("gappy.csv").toString(), "--per-instance", "100",
                "--warm-up", "4d", "--policies", "reactive", "--no-sweep", "--max-gap", "11");
        assertEquals(0, given.code(), given.err());
        assertTrue(given.out().contains("; 11 of 864 steps missing, filled by --gaps linear; the longest gap 11 steps"),
                given.out());
    }

    @Test
    void replay_filledSteps_countedInTheTextTheJsonAndOnStderr() throws IOException {
        Path gappy = traceWithout(100, 600, 601, 602);
        String[] args = {"replay", "--trace", gappy.toString(), "--per-instance", "100", "--warm-up", "4d",
            "--policies", "reactive", "--no-sweep"};
        Outcome text = run(args);
        assertEquals(0, text.code(), text.err());
        String said = "4 of 864 steps missing, filled by --gaps linear; the longest gap 3 steps, from "
                + "2024-03-05T03:50:00Z to 2024-03-05T04:30:00Z (line 601)";
        assertTrue(text.out().lines().findFirst().orElseThrow().endsWith("; " + said), text.out());
        assertTrue(text.err().contains("warning: gappy.csv: " + said), text.err());

        Outcome json = run(Stream.concat(Stream.of(args), Stream.of("--format", "json")).toArray(String[]::new));
        JsonNode setup = new ObjectMapper().readTree(json.out()).get("replay");
        assertEquals(4, setup.get("filled_steps").asInt());
        assertEquals(3, setup.get("longest_gap_steps").asInt());
        assertTrue(schemaErrors(json.out()).isEmpty(), schemaErrors(json.out()).toString());

        Outcome whole = run("replay", "--trace", trace().toString(), "--per-instance", "100", "--warm-up", "4d",
                "--policies", "reactive", "--no-sweep", "--format", "json");
        assertEquals(0, new ObjectMapper().readTree(whole.out()).get("replay").get("filled_steps").asInt());
        assertFalse(whole.err().contains("warning"), whole.err());
    }

    @Test
    void replay_twoRunsOfOneTrace_sameReportByteForByte_timingOnStderr() throws IOException {
        Path trace = trace();
        List<Outcome> outcomes = new ArrayList<>();
        for (String out : new String[] {"one", "two"}) {
            outcomes.add(run("replay", "--trace", trace.toString(), "--per-instance", "100", "--warm-up", "4d",
                    "--policies", "reactive,static", "--out", dir.resolve(out).toString()));
        }
        assertEquals(0, outcomes.get(0).code(), outcomes.get(0).err());
        // Equal timings would hide a wall-clock figure in the report: none may be there at all.
        String report = Files.readString(dir.resolve("one").resolve("replay.md"));
        assertFalse(report.lines().findFirst().orElseThrow().matches(".* in \\d+\\.\\d s"), report);
        assertEquals(outcomes.get(0).out(), outcomes.get(1).out());
        for (String file : new String[] {"replay.md", "replay.json", "capacity.svg", "frontier.svg"}) {
            assertEquals(Files.readString(dir.resolve("one").resolve(file)),
                    Files.readString(dir.resolve("two").resolve(file)), file);
        }
        assertTrue(outcomes.get(0).err().matches("(?s).*\\d+ replays in \\d+\\.\\d s\\R.*"), outcomes.get(0).err());
    }
}
