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
 * A file name holding a control character (a line break, a terminal's escape) is shown escaped wherever the
 * command prints it, so a file cannot forge a line of a report or write to the terminal.
 */
class FileNameEscapingTest {

    @TempDir
    Path tmp;

    private static final String ESC = "\u001b";

    /** Whether the text holds a control character other than the line feeds that end its lines. */
    private static boolean holdsControl(String text) {
        return text.replace("\n", "").chars().anyMatch(Character::isISOControl);
    }

    @Test
    void validate_namesWithALineBreakAndAnEscape_shownEscaped() throws IOException {
        Path broken = Files.copy(CommandRun.examples().resolve("fleet-state.json"), tmp.resolve("a\nb.json"));
        Path red = Files.writeString(tmp.resolve("e" + ESC + "[31mred.json"), "{\"x\":1}");

        CommandRun r = CommandRun.of("validate", broken.toString(), red.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertFalse(holdsControl(r.out()) || holdsControl(r.err()), r::toString);
        assertEquals(tmp + "/a\\u000ab.json: valid fleet state", r.out().strip());
        assertTrue(r.err().startsWith(tmp + "/e\\u001b[31mred.json: "), r::toString);
        assertEquals(1, r.err().strip().split("\n").length, r::toString);
    }

    @Test
    void forecast_missingInputWithAnEscapeInItsName_errorShowsItEscaped() {
        Path missing = tmp.resolve("x" + ESC + "]0;owned" + "\u0007.csv");

        CommandRun r = CommandRun.of("forecast", "--input", missing.toString(), "--horizon", "3");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertFalse(holdsControl(r.err()), r::toString);
        assertEquals("fleetpredict forecast: " + tmp + "/x\\u001b]0;owned\\u0007.csv: no such file", r.err().strip());
    }

    @Test
    void plan_outUnderAFileWithALineBreakInItsName_errorOnOneLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("not\na folder"), "x");
        Path out = file.resolve("plan.json");
        Path examples = CommandRun.examples();

        CommandRun r = CommandRun.of("plan", "--predicted", examples.resolve("predicted-fleet-state.json").toString(),
                "--fleet", examples.resolve("fleet-state.json").toString(), "--catalog",
                examples.resolve("instance-catalogue.json").toString(), "--out", out.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertFalse(holdsControl(r.err()), r::toString);
        assertEquals(1, r.err().strip().split("\n").length, r::toString);
        assertTrue(r.err().contains("not\\u000aa folder/plan.json: cannot write: "), r::toString);
    }
}
