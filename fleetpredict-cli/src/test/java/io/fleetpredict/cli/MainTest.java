package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    /**
     * Picocli wraps a description line wider than the usage width, and may cut it inside a word where a dot follows a
     * space ("a ." at the end of one line, "csv" on the next): wrapped, the help must still hold the same words.
     */
    @ParameterizedTest
    @ValueSource(strings = {"demo", "forecast", "evaluate", "validate", "predict", "plan", "provision", "replay",
        "accuracy", "override", "override add", "override list", "override apply"})
    void subcommandHelp_descriptionWrapsBetweenWords(String command) {
        picocli.CommandLine cli = new picocli.CommandLine(Main.class);
        for (String part : command.split(" ")) {
            cli = cli.getSubcommands().get(part);
        }
        String given = String.join(" ", cli.getCommandSpec().usageMessage().description()).replace("%%", "%");
        String shown = cli.getHelp().description();
        assertEquals(given.strip().replaceAll("\\s+", " "), shown.strip().replaceAll("\\s+", " "), shown);
    }

    @Test
    void help_exitsZeroAndListsEveryCommand() {
        CommandRun r = CommandRun.of("--help");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        for (String command : List.of("demo", "forecast", "evaluate", "validate", "predict", "plan", "provision", "replay",
                "accuracy", "override")) {
            assertTrue(r.out().contains("  " + command + " "), command + " in\n" + r.out());
        }
    }

    /** Picocli reports a broken help text (such as an unescaped percent sign) on System.err, not as a failure. */
    @ParameterizedTest
    @ValueSource(strings = {"demo", "forecast", "evaluate", "validate", "predict", "plan", "provision", "replay",
        "accuracy", "override", "override add", "override list", "override apply"})
    void subcommandHelp_rendersWithoutPicocliWarnings(String command) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        CommandRun r;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            r = CommandRun.of(args.toArray(String[]::new));
        } finally {
            System.setErr(original);
        }
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.out().startsWith("Usage: fleetpredict " + command), r.out());
        assertFalse(captured.toString(StandardCharsets.UTF_8).contains("WARN"), captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void version_exitsZeroNamingTheCommand() {
        CommandRun r = CommandRun.of("--version");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.out().startsWith("fleetpredict "), r.out());
    }

    @Test
    void noArguments_printsUsageToStderrAndExitsUsage() {
        CommandRun r = CommandRun.of();

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("fleetpredict: missing subcommand, one of demo, forecast"), r.err());
        assertTrue(r.err().contains("Usage: fleetpredict"), r.err());
        assertEquals("", r.out(), "nothing on stdout");
    }

    @Test
    void overrideAlone_printsItsUsageToStderrAndExitsUsage() {
        CommandRun r = CommandRun.of("override");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("fleetpredict override: missing subcommand, one of add, list, apply"), r.err());
        assertTrue(r.err().contains("Usage: fleetpredict override"), r.err());
        assertEquals("", r.out(), "nothing on stdout");
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
