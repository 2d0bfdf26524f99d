package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad option value, a missing option or an unknown command is a usage error (exit 2) in one line
 * "fleetpredict &lt;command&gt;: ..." naming the option as typed and the value, then where to find the usage; never
 * the whole usage, a file:line form, a Java exception's text, or work done before it.
 */
class UsageErrorTest {

    private static String example(String name) {
        return CommandRun.examples().resolve(name).toString();
    }

    private static String sample() {
        return CommandRun.examples().getParent().getParent()
                .resolve("fleetpredict-cli/src/main/resources/sample").toString();
    }

    static Stream<Arguments> usageErrors() {
        String provisional = example("provisional-fleet-state.json");
        String[] add = {"override", "add", "--overrides", "o.json", "--audit", "a.jsonl", "--id", "x", "--author", "a",
            "--reason", "r"};
        return Stream.of(
                Arguments.of(List.of("predict", "--history", sample(), "--at", "yesterday"), "predict", "--at", "'yesterday'"),
                Arguments.of(List.of("predict", "--prometheus", "http://localhost:1", "--query-file", "q.json", "--to",
                        "yesterday"), "predict", "--to", "'yesterday'"),
                Arguments.of(List.of("predict", "--prometheus", "http://localhost:1", "--query-file", "q.json",
                        "--range", "7 weeks"), "predict", "--range", "'7 weeks'"),
                Arguments.of(List.of("predict"), "predict", "--history", "--prometheus"),
                Arguments.of(List.of("predict", "--prometheus", "http://localhost:1"), "predict", "--query-file", ""),
                Arguments.of(List.of("provision", "--provisional", provisional, "--threshold", "1", "--provider-setting",
                        "foo=bar"), "provision", "--provider-setting", "foo=bar"),
                Arguments.of(List.of("provision", "--provisional", provisional, "--threshold", "1", "--provider-setting",
                        "seed=abc"), "provision", "--provider-setting", "seed=abc"),
                Arguments.of(List.of("provision", "--provisional", provisional, "--threshold", "1", "--provider-setting",
                        "default-quota=-4"), "provision", "--provider-setting", "default-quota=-4"),
                Arguments.of(List.of("provision", "--provisional", provisional, "--threshold", "1", "--provider", "aws"),
                        "provision", "--provider", "aws"),
                Arguments.of(List.of("demo", "--provider", "aws"), "demo", "--provider", "aws"),
                Arguments.of(List.of("demo", "--provider-setting", "seed=abc"), "demo", "--provider-setting", "seed=abc"),
                Arguments.of(concat(add, "--action", "disable", "--expiry", "tomorrow"), "override add", "--expiry",
                        "'tomorrow'"),
                Arguments.of(concat(add, "--action", "flor", "--expiry", "2030-01-01"), "override add", "--action", "flor"),
                Arguments.of(concat(add, "--action", "floor", "--expiry", "2030-01-01", "--resource", "GPU",
                        "--quantity", "1", "--units", "cores"), "override add", "--resource", "GPU"),
                Arguments.of(concat(add, "--action", "floor", "--expiry", "2030-01-01", "--resource", "CPU",
                        "--quantity", "1", "--units", "furlongs"), "override add", "--units", "furlongs"),
                Arguments.of(List.of("override", "list", "--overrides", example("overrides.json"), "--at", "now"),
                        "override list", "--at", "'now'"),
                Arguments.of(List.of("forecast", "--input", "x.csv", "--horizon", "2", "--format", "yaml"), "forecast",
                        "--format", "yaml"),
                Arguments.of(List.of("forecast", "--input", "x.csv", "--horizon", "2", "--gaps", "foo"), "forecast",
                        "--gaps", "foo"),
                Arguments.of(List.of("forecast", "--input", "x.csv", "--horizon", "abc"), "forecast", "--horizon", "abc"),
                // Digits other than 0 to 9, which Integer.valueOf reads: an Arabic-Indic 3, a full-width 3, 1 and
                // a Devanagari 3.
                Arguments.of(List.of("forecast", "--input", "x.csv", "--horizon", "\u0663"), "forecast", "--horizon",
                        "'\u0663'"),
                Arguments.of(List.of("plan", "--predicted", "p.json", "--fleet", "f.json", "--catalog", "c.json",
                        "--max-changes", "\uff13"), "plan", "--max-changes", "'\uff13'"),
                Arguments.of(List.of("evaluate", "--train", "a.csv", "--test", "b.csv", "--horizon", "2", "--period",
                        "1", "--threads", "1\u0969"), "evaluate", "--threads", "'1\u0969'"),
                Arguments.of(List.of("provision", "--provisional", provisional, "--threshold", "1", "--provider-setting",
                        "seed=\u0663"), "provision", "--provider-setting", "seed=\u0663"),
                Arguments.of(List.of("forecast", "--input", "x.csv", "--horizon", "2", "--zone", "Mars/Olympus"),
                        "forecast", "--zone", "'Mars/Olympus'"),
                Arguments.of(List.of("replay", "--trace", "x.csv", "--per-instance", "10", "--zone", "EST5"), "replay",
                        "--zone", "'EST5'"),
                Arguments.of(List.of("predict", "--history", sample(), "--zone", "New York"), "predict", "--zone",
                        "'New York'"),
                Arguments.of(List.of("predict", "--prometheus", "http://localhost:1", "--query-file", "q.json", "--zone",
                        "Europe/Berlin"), "predict", "--zone", "--history"),
                Arguments.of(List.of("predict", "--history", sample(), "--zone", "America/New_York", "--at",
                        "2024-03-10 02:30"), "predict", "--at", "2024-03-10 02:30"),
                Arguments.of(List.of("replay", "--trace", "x.csv", "--per-instance", "10", "--zone", "Europe/Berlin",
                        "--window-start", "2024-03-31T02:00"), "replay", "--window-start", "2024-03-31T02:00"),
                Arguments.of(List.of("plan", "--predicted", "p.json", "--fleet", "f.json"), "plan", "--catalog", ""),
                Arguments.of(List.of("predict", "--history", sample(), "--range", "1d"), "predict", "--range",
                        "--history"),
                Arguments.of(List.of("predict", "--history", sample(), "--fleet-id", "../x"), "predict", "--fleet-id",
                        "../x"),
                Arguments.of(List.of("predict", "-q", "--history", sample(), "--at", "2099-01-01T00:00:00Z"), "predict",
                        "--at", "2099-01-01T00:00:00Z"),
                Arguments.of(List.of("accuracy", "--predicted", "p.json", "--actuals", "a.csv", "--step", "0s"),
                        "accuracy", "--step", "0s"),
                Arguments.of(List.of("accuracy", "--predicted", "p.json", "--actuals", "a.csv", "--period", "0"),
                        "accuracy", "--period", "0"),
                Arguments.of(List.of("forecast", "--input", "x.csv", "--horizon", "2", "--period", "0"), "forecast",
                        "--period", "0"),
                Arguments.of(List.of("replay", "--trace", "x.csv", "--per-instance", "10", "--window", "0s"), "replay",
                        "--window", "0s"),
                Arguments.of(List.of("forecast", "--input", "x.csv", "--horizon", "0"), "forecast", "--horizon", "0"),
                Arguments.of(List.of("forecast", "--input", "x.csv", "--horizon", "2", "--level", "120"), "forecast",
                        "--level", "120"),
                Arguments.of(List.of("replay", "--trace", "x.csv", "--per-instance", "10", "--sla-target", "1.5"),
                        "replay", "--sla-target", "1.5"),
                Arguments.of(List.of("replay", "--trace", "x.csv", "--per-instance", "10", "--policies", "bogus"),
                        "replay", "--policies", "bogus"),
                Arguments.of(List.of("forecast", "--input", "", "--horizon", "2"), "forecast", "--input", "''"),
                Arguments.of(List.of("replay", "--trace", "x.csv", "--per-instance", "10", "--out", ""), "replay",
                        "--out", "''"),
                Arguments.of(List.of("validate", ""), "validate", "FILE", "''"),
                Arguments.of(List.of("nope"), "", "unknown command", "'nope'"));
    }

    private static List<String> concat(String[] head, String... tail) {
        return Stream.concat(Stream.of(head), Stream.of(tail)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void badOption_oneLineUsageErrorNamingOptionAndValue(List<String> args, String command, String option, String value) {
        CommandRun r = CommandRun.of(args.toArray(String[]::new));

        String name = "fleetpredict" + (command.isEmpty() ? "" : " " + command);
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith(name + ": "), r::toString);
        assertTrue(lines.get(0).contains(option), () -> "expected '" + option + "' in\n" + r);
        assertTrue(lines.get(0).contains(value), () -> "expected '" + value + "' in\n" + r);
        assertEquals("try '" + name + " --help'", lines.get(1));
        assertFalse(r.err().contains("Exception") || r.err().contains("cannot convert") || r.err().contains(":1:"),
                r::toString);
        assertFalse(r.err().contains("--catalogue"), "names the option as documented, not its alias");
        assertEquals("", r.out(), "no work done before the options were checked");
    }

    /** Integer.valueOf reads an Arabic-Indic 3 as 3; the command line takes the digits 0 to 9 only. */
    @Test
    void forecast_horizonInArabicIndicDigits_usageErrorAsPicocliWordsABadInt() {
        CommandRun r = CommandRun.of("forecast", "--input", "x.csv", "--horizon", "\u0663");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertEquals("fleetpredict forecast: Invalid value for option '--horizon': '\u0663' is not an int\n"
                + "try 'fleetpredict forecast --help'\n", r.err());
    }

    /** The digits 0 to 9 with a sign are read as ever, up to the type's range and not beyond it. */
    @Test
    void forecast_horizonWithPlusSignOrBeyondAnInt_readAsPicocliWould() {
        CommandRun plus = CommandRun.of("forecast", "--input", "no-such.csv", "--horizon", "+3");
        CommandRun huge = CommandRun.of("forecast", "--input", "no-such.csv", "--horizon", "2147483648");

        assertEquals(ExitCodes.INVALID_INPUT, plus.code(), plus::toString);
        assertTrue(plus.err().contains("no-such.csv"), plus::toString);
        assertEquals(ExitCodes.USAGE, huge.code(), huge::toString);
        assertTrue(huge.err().startsWith("fleetpredict forecast: Invalid value for option '--horizon': '2147483648' is"
                + " not an int\n"), huge::toString);
    }

    @Test
    void predict_rangeInDays_acceptedAsEveryDurationIs() {
        CommandRun r = CommandRun.of("predict", "--prometheus", "http://localhost:1", "--query-file",
                "no-such-queries.json", "--range", "7d");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("no-such-queries.json"), r::toString);
    }

    @Test
    void overrideAdd_expiryAsADate_readAsUtcMidnight() {
        assertEquals(java.time.Instant.parse("2030-01-01T00:00:00Z"), new InstantConverter().convert("2030-01-01"));
    }

    /** An unknown option is named before the required options it leaves missing: it is often one of them misspelt. */
    @Test
    void forecast_unknownOptionAlone_namedRatherThanTheMissingOnes() {
        CommandRun r = CommandRun.of("forecast", "--bogus");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertEquals("fleetpredict forecast: unknown option '--bogus'\ntry 'fleetpredict forecast --help'\n", r.err());
    }

    /** A whole number too large for the setting is out of its range, not "not a whole number". */
    @Test
    void provision_seedBeyondALong_usageErrorGivingTheRange() {
        CommandRun r = CommandRun.of("provision", "--provisional", example("provisional-fleet-state.json"),
                "--threshold", "1", "--provider-setting", "seed=99999999999999999999");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict provision: --provider-setting seed=99999999999999999999: must be"
                + " from -9223372036854775808 to 9223372036854775807\n"), r::toString);
    }

    /** {@code help} follows the names given down to a subcommand, where it showed the first one's usage. */
    @Test
    void help_commandAndSubcommand_showsTheSubcommandsUsage() {
        CommandRun help = CommandRun.of("help", "override", "add");
        CommandRun own = CommandRun.of("override", "add", "--help");
        CommandRun unknown = CommandRun.of("help", "override", "ad");

        assertEquals(ExitCodes.OK, help.code(), help::toString);
        assertEquals(own.out(), help.out());
        assertTrue(help.out().startsWith("Usage: fleetpredict override add "), help.out());
        assertEquals(ExitCodes.USAGE, unknown.code(), unknown::toString);
        assertTrue(unknown.err().startsWith("fleetpredict help: unknown command 'ad'; known: "), unknown::toString);
    }
}
