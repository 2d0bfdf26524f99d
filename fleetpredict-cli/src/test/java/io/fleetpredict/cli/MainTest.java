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

    /**
     * An option taking one of an enum's values is read in any case; its help and the error for an unknown value
     * list the values in lower case, as the docs print them and users type them ({@code --gaps linear}), never the
     * constants' names ({@code LINEAR}), and a lower-case default reads back as the same value. Hidden options,
     * which the help leaves out, are checked for their error alone.
     */
    @ParameterizedTest
    @ValueSource(strings = {"demo", "forecast", "evaluate", "validate", "predict", "plan", "provision", "replay",
        "accuracy", "override add", "override list", "override apply"})
    void enumOptions_helpAndErrorSayTheValuesInLowerCase(String command) {
        picocli.CommandLine cli = new picocli.CommandLine(Main.class);
        List<String> words = List.of(command.split(" "));
        for (String part : words) {
            cli = cli.getSubcommands().get(part);
        }
        List<String> help = CommandRun.of(with(words, "--help")).out().lines().toList();
        for (picocli.CommandLine.Model.OptionSpec option : cli.getCommandSpec().options()) {
            if (!option.type().isEnum()) {
                continue;
            }
            String name = option.longestName();
            String shown = option.hidden() ? null : optionHelp(help, name);
            CommandRun unknown = CommandRun.of(with(words, name, "no-such-value"));
            for (Object constant : option.type().getEnumConstants()) {
                String upper = ((Enum<?>) constant).name();
                String lower = upper.toLowerCase(java.util.Locale.ROOT);
                if (shown != null) {
                    assertFalse(shown.matches("(?s).*\\b" + upper + "\\b.*"), name + " of " + command + ": " + shown);
                    assertTrue(shown.contains(lower), name + " of " + command + ": " + shown);
                }
                assertEquals(ExitCodes.USAGE, unknown.code(), unknown::toString);
                assertFalse(unknown.err().matches("(?s).*\\b" + upper + "\\b.*"), unknown.err());
                assertTrue(unknown.err().contains(lower), unknown.err());
            }
            if (option.defaultValue() != null) {
                assertEquals(option.defaultValue().toLowerCase(java.util.Locale.ROOT), option.defaultValue(), name);
            }
        }
    }

    private static String[] with(List<String> words, String... more) {
        List<String> all = new ArrayList<>(words);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** The lines of the help that describe {@code name}: its own, up to the next option's. */
    private static String optionHelp(List<String> help, String name) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : help) {
            boolean starts = line.matches("\\s+(-\\w, )?--.*");
            if (starts) {
                in = line.matches("\\s+(-\\w, )?" + java.util.regex.Pattern.quote(name) + "[=\\s].*");
            }
            if (in) {
                sb.append(line).append('\n');
            }
        }
        assertFalse(sb.isEmpty(), name + " in the help");
        return sb.toString();
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
