package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void help_exitsZeroAndListsEveryCommand() {
        CommandRun r = CommandRun.of("--help");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        for (String command : List.of("forecast", "validate", "predict", "replay", "accuracy", "override")) {
            assertTrue(r.out().contains("  " + command + " "), command + " in\n" + r.out());
        }
    }

    @Test
    void version_exitsZeroNamingTheCommand() {
        CommandRun r = CommandRun.of("--version");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.out().startsWith("fleetpredict "), r.out());
    }

    @Test
    void noArguments_printsUsageAndExitsZero() {
        CommandRun r = CommandRun.of();

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.out().startsWith("Usage: fleetpredict"), r.out());
    }

    @Test
    void unknownSubcommand_exitsUsageNamingIt() {
        CommandRun r = CommandRun.of("frobnicate");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("'frobnicate'"), r.err());
    }

    @Test
    void unknownOption_exitsUsage() {
        CommandRun r = CommandRun.of("forecast", "--input", "x.csv", "--horizon", "2", "--colour");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("--colour"), r.err());
    }

    @Test
    void error_nestedSubcommand_prefixedWithItsFullName() {
        CommandRun r = CommandRun.of("override", "list", "--overrides", "no-such-overrides.json");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict override list: no-such-overrides.json: no such file"), r.err());
    }
}
