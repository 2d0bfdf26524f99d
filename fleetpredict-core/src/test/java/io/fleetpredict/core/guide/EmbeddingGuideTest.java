package io.fleetpredict.core.guide;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.GuideSamples;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The programs of docs/guides/embedding.md: quoted whole, under their line budget, and they run. */
class EmbeddingGuideTest {

    static final Path GUIDE = Path.of("..", "docs", "guides", "embedding.md");
    static final Path SOURCES = Path.of("src", "test", "java", "io", "fleetpredict", "core", "guide");

    static String run(Runnable main) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        out.print(printed);
        return printed;
    }

    @Test
    void firstCycle_quotedWholeAndUnderThirtyLines() throws Exception {
        String program = GuideSamples.assertQuoted(SOURCES.resolve("FirstCycle.java"), "first-cycle", GUIDE);
        long lines = program.lines().count();
        assertTrue(lines < 30, "the first program has " + lines + " lines");
        assertTrue(program.startsWith("import "), program);
    }

    @Test
    void firstCycle_runsAWholeCycleAndLaunchesCapacity() {
        String printed = run(() -> FirstCycle.main(new String[0]));
        assertTrue(printed.startsWith("cycle 1 at 2025-03-08T00:00:00Z (apply)"), printed);
        assertTrue(printed.contains("predicted:   short_term CPU up to"), printed);
        assertTrue(printed.matches("(?s).*provisioned: [1-9][0-9]* instances \\(checkout .*"), printed);
    }

    @Test
    void everyProgram_quotedWhole() throws Exception {
        for (String[] p : new String[][] {{"WholeLoop.java", "whole-loop"}, {"CustomSteps.java", "custom-steps"}}) {
            String program = GuideSamples.assertQuoted(SOURCES.resolve(p[0]), p[1], GUIDE);
            assertTrue(program.startsWith("import "), program);
        }
    }

    @Test
    void wholeLoop_runsADayOfCyclesAndReports() throws Exception {
        String printed = run(() -> {
            try {
                WholeLoop.main(new String[0]);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(printed.startsWith("cycle 1 at 2025-03-07T00:30:00Z (apply)"), printed);
        assertTrue(printed.contains("cycle 37 at 2025-03-07T18:30:00Z (apply)"), printed);
        assertTrue(printed.contains("feedback:    checkout CPU short_term: MAPE"), printed);
        assertTrue(printed.contains("medium_term CPU up to"), printed);
    }

    @Test
    void customSteps_launchesForTheAdaptedForecast() {
        String printed = run(() -> CustomSteps.main(new String[0]));
        assertTrue(printed.matches("(?s).* x [a-z]+\\.[a-z0-9]+ in [a-z-]+, [0-9.]+ per hour, ids \\[.*"), printed);
    }
}
