package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output that is the same file as an input or as another output is a usage error naming both options, found
 * before anything is read or written: written, it would destroy the input or the other output.
 */
class SameFileTest {

    @TempDir
    Path tmp;

    private static String example(String name) {
        return CommandRun.examples().resolve(name).toString();
    }

    private static void assertRefused(CommandRun r, String output, String other) {
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains(output + ": the same file as " + other), r::toString);
    }

    @Test
    void predict_plotOntoAFileOfTheHistoryFolder_refusedAndTheFileKept() throws IOException {
        Path history = CommandRun.smallHistory(tmp.resolve("h"));
        Path cpu = history.resolve("web.cpu.cores.csv");
        String before = Files.readString(cpu);

        CommandRun r = CommandRun.of("predict", "--history", history.toString(), "--plot", cpu.toString());

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("--plot " + cpu + ": a file in --history " + history + ", which is read"),
                r::toString);
        assertEquals(before, Files.readString(cpu));
    }

    @Test
    void predict_plotOntoAFileTheOutFolderReceives_refused() throws IOException {
        Path history = CommandRun.smallHistory(tmp.resolve("h"));
        Path out = tmp.resolve("o");
        Path plot = out.resolve("predicted-fleet-state-short_term.json");

        CommandRun r = CommandRun.of("predict", "--history", history.toString(), "--out", out.toString(), "--plot",
                plot.toString());

        assertRefused(r, "--plot " + plot, "--out " + plot);
        assertFalse(Files.exists(out));
    }

    @Test
    void predict_plotBesideTheHistoryFilesAsANewFile_runs() throws IOException {
        Path history = CommandRun.smallHistory(tmp.resolve("h"));

        CommandRun r = CommandRun.of("predict", "--history", history.toString(), "--plot",
                history.resolve("chart.svg").toString(), "-q");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
    }

    @Test
    void overrideAdd_auditIsTheOverridesFile_refusedAndNothingWritten() {
        Path o = tmp.resolve("o.json");

        CommandRun r = CommandRun.of("override", "add", "--overrides", o.toString(), "--audit", o.toString(),
                "--id", "x1", "--action", "disable", "--expiry", "2030-01-01", "--author", "me", "--reason", "r");

        assertRefused(r, "--audit " + o, "--overrides " + o);
        assertFalse(Files.exists(o));
    }

    @Test
    void overrideApply_auditIsTheOutput_refused() throws IOException {
        Path p = Files.copy(Path.of(example("predicted-fleet-state.json")), tmp.resolve("p.json"));
        String before = Files.readString(p);

        CommandRun r = CommandRun.of("override", "apply", "--overrides", example("overrides.json"), "--predicted",
                p.toString(), "--audit", p.toString(), "--output", p.toString());

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains(": the same file as "), r::toString);
        assertEquals(before, Files.readString(p));
    }

    @Test
    void overrideApply_newAuditIsTheNewOutput_refused() {
        Path out = tmp.resolve("new/out.json");

        CommandRun r = CommandRun.of("override", "apply", "--overrides", example("overrides.json"), "--predicted",
                example("predicted-fleet-state.json"), "--audit", tmp.resolve("new/../new/out.json").toString(),
                "--output", out.toString());

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("--output " + out + ": the same file as --audit "), r::toString);
        assertFalse(Files.exists(tmp.resolve("new")), "nothing written, no folder made");
    }

    @Test
    void forecast_plotIsTheInput_refusedAndTheSeriesKept() throws IOException {
        Path in = Files.copy(CommandRun.fixture("seasonal-hourly.csv"), tmp.resolve("in.csv"));
        String before = Files.readString(in);

        CommandRun r = CommandRun.of("forecast", "--input", in.toString(), "--horizon", "2", "--plot", in.toString());

        assertRefused(r, "--plot " + in, "--input " + in);
        assertTrue(r.err().contains("try 'fleetpredict forecast --help'"), r::toString);
        assertEquals(before, Files.readString(in));
    }

    /** A symbolic link to the input, or a hard link, is the same file under another name. */
    @Test
    void forecast_plotIsALinkToTheInput_refused() throws IOException {
        Path in = Files.copy(CommandRun.fixture("seasonal-hourly.csv"), tmp.resolve("in.csv"));
        Path symbolic = Files.createSymbolicLink(tmp.resolve("chart.svg"), in);
        Path hard = Files.createLink(tmp.resolve("hard.svg"), in);
        String before = Files.readString(in);

        for (Path plot : new Path[] {symbolic, hard}) {
            CommandRun r = CommandRun.of("forecast", "--input", in.toString(), "--horizon", "2", "--plot",
                    plot.toString());

            assertRefused(r, "--plot " + plot, "--input " + in);
        }
        assertEquals(before, Files.readString(in));
    }

    @Test
    void accuracy_plotIsTheActuals_refused() throws IOException {
        Path actuals = Files.copy(Path.of(example("actuals.csv")), tmp.resolve("actuals.csv"));

        CommandRun r = CommandRun.of("accuracy", "--predicted", example("predicted-fleet-state.json"), "--actuals",
                actuals.toString(), "--plot", actuals.toString());

        assertRefused(r, "--plot " + actuals, "--actuals " + actuals);
    }

    /** Distinct files pass, and so does an output folder that holds an input (predict --out into its history). */
    @Test
    void forecast_plotBesideTheInput_runs() throws IOException {
        Path in = Files.copy(CommandRun.fixture("seasonal-hourly.csv"), tmp.resolve("in.csv"));

        CommandRun r = CommandRun.of("forecast", "--input", in.toString(), "--horizon", "2", "--plot",
                tmp.resolve("in.svg").toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
    }
}
