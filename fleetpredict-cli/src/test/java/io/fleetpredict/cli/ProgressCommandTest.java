package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress and logs go to stderr, never into the result on stdout: progress lines come from the work (their
 * counts add up to the work done), disappear with --quiet, and the library's log lines appear only with
 * --verbose.
 */
class ProgressCommandTest {

    @TempDir
    Path tmp;

    private static Path m4(String name) throws URISyntaxException {
        return Path.of(ProgressCommandTest.class.getResource("m4/" + name).toURI());
    }

    private static String[] evaluate(String... more) throws URISyntaxException {
        List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--train", m4("train.csv").toString(),
                "--test", m4("test.csv").toString(), "--horizon", "48", "--period", "24", "--model", "snaive",
                "--model", "naive", "--threads", "2", "--format", "json"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void evaluate_progressLinesCountEverySeriesOfEveryModel_stdoutUnchanged() throws Exception {
        CommandRun shown = CommandRun.shown(CommandRun.EVERY_UNIT, evaluate());
        CommandRun quiet = CommandRun.shown(CommandRun.EVERY_UNIT, evaluate("--quiet"));
        assertEquals(ExitCodes.OK, shown.code(), shown::toString);
        // Three series, scored for Naive2 (the OWA yardstick) and the two models.
        List<String> lines = shown.err().lines().toList();
        Pattern line = Pattern.compile("evaluate: (\\d+)/9 series fitted \\(\\d+%\\), .*");
        long last = 0;
        for (String l : lines) {
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), l);
            long n = Long.parseLong(m.group(1));
            assertTrue(n >= last, "progress went back: " + lines);
            last = n;
        }
        assertTrue(lines.size() >= 2, lines.toString());
        assertTrue(lines.get(lines.size() - 1).startsWith("evaluate: 9/9 series fitted (100%)")
                && lines.get(lines.size() - 1).endsWith(", done"), lines.toString());
        assertEquals("", quiet.err());
        assertEquals(ExitCodes.OK, quiet.code());
        // The JSON is the same with or without progress, apart from the wall times it reports.
        assertEquals(quiet.out().replaceAll("\"(seconds|trainingSeconds)\": [0-9.E-]+", ""),
                shown.out().replaceAll("\"(seconds|trainingSeconds)\": [0-9.E-]+", ""));
    }

    @Test
    void replay_progressCountsEveryStepOfEveryPolicy() throws Exception {
        StringBuilder trace = new StringBuilder("timestamp,value\n");
        java.time.Instant t0 = java.time.Instant.parse("2024-03-01T00:00:00Z");
        for (int i = 0; i < 3 * 24; i++) {
            trace.append(t0.plusSeconds(3600L * i)).append(',').append(500 + (int) (300 * Math.sin(i / 3.8))).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("trace.csv"), trace);
        CommandRun r = CommandRun.shown(CommandRun.EVERY_UNIT, "replay", "--trace", file.toString(), "--per-instance",
                "1000", "--warm-up", "2d", "--policies", "static,reactive", "--no-sweep");
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        // Two reference policies, each walking the 24 scored steps.
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(lines.size() - 2).startsWith("replay 2 policies: 48/48 steps (100%)"), r.err());
        // The wall time follows the progress on stderr, not in the report.
        assertTrue(lines.get(lines.size() - 1).matches("2 replays in \\d+\\.\\d s"), r.err());
        assertTrue(r.out().startsWith("Trace trace.csv: 72 steps"), r.out());
        assertTrue(r.out().contains("; 1000 per instance per step;"), r.out());
    }

    @Test
    void predict_countsTheModelsItFits() throws Exception {
        Path history = CommandRun.smallHistory(tmp.resolve("history"));
        // Not a .csv: ignored, as cli.md says (a misnamed .csv is an error, tested with the predict command).
        Files.writeString(history.resolve("README.txt"), "where these series come from");
        CommandRun r = CommandRun.shown(CommandRun.EVERY_UNIT, "predict", "--history", history.toString());
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        List<String> lines = r.err().lines().toList();
        // Per horizon, one model per series (two resources, no activity): six in all.
        assertEquals("predict: 6 models fitted", lines.get(lines.size() - 1).replaceAll(", \\d+ s, done$", ""), r.err());
        assertTrue(r.out().startsWith("["), r.out());
    }

    /** Automatic selection counts each candidate fitted at each cross-validation origin, up to its total. */
    @Test
    void forecastAuto_progressCountsTheSelectionsFits() {
        CommandRun r = CommandRun.shown(CommandRun.EVERY_UNIT, "forecast", "--input",
                CommandRun.fixture("seasonal-hourly.csv").toString(), "--horizon", "24", "--period", "24", "--model",
                "auto", "--format", "json");
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        List<String> lines = r.err().lines().toList();
        Matcher last = Pattern.compile("forecast auto\\(24\\): (\\d+)/(\\d+) fits \\(100%\\), \\d+ s, done")
                .matcher(lines.get(lines.size() - 1));
        assertTrue(last.matches(), r.err());
        assertEquals(last.group(1), last.group(2));
        assertTrue(Integer.parseInt(last.group(2)) > 10, r.err());
        assertTrue(lines.size() > 10, r.err());
        assertTrue(r.out().startsWith("{"), r.out());
    }

    @Test
    void plainDisplay_quickCommand_showsNoProgress() {
        CommandRun r = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(),
                "--horizon", "3", "--period", "24", "--model", "naive");
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertEquals("", r.err());
    }

    /** Five values are too few for ETS's model selection: the model says so in a WARN line. */
    @Test
    void logs_onlyWithVerbose_onStderr() throws Exception {
        Path file = Files.writeString(tmp.resolve("short.csv"), "timestamp,value\n2024-03-01T00:00:00Z,100\n"
                + "2024-03-01T01:00:00Z,110\n2024-03-01T02:00:00Z,120\n2024-03-01T03:00:00Z,115\n2024-03-01T04:00:00Z,118\n");
        String[] args = {"forecast", "--input", file.toString(), "--horizon", "2", "--model", "ets"};
        CommandRun plain = CommandRun.of(args);
        String[] verboseArgs = java.util.Arrays.copyOf(args, args.length + 1);
        verboseArgs[args.length] = "--verbose";
        CommandRun verbose = CommandRun.of(verboseArgs);
        assertEquals(ExitCodes.OK, plain.code(), plain::toString);
        assertEquals(ExitCodes.OK, verbose.code(), verbose::toString);
        assertEquals("", plain.err());
        assertTrue(verbose.err().startsWith("WARN io.fleetpredict.forecast.StateSpaceEts: ets(1) on 5 points degraded"),
                verbose.err());
        assertEquals(plain.out(), verbose.out());
        assertFalse(verbose.out().contains("WARN"), verbose.out());
    }
}
