package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.internal.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every decimal option of every command reads one spelling: an optional sign, the digits 0 to 9, an optional
 * {@code .} fraction and exponent. What Java alone reads as a double ({@code 1d}, {@code 0x1p3}, {@code NaN},
 * {@code Infinity}, a blank around it) is a usage error naming the option and the value; a number in exponent form
 * is read as the same number written out; and each option's range check still speaks for a value out of range.
 */
class DecimalOptionsTest {

    /** A command line before its decimal option, the files in it missing: an accepted value ends in exit 3. */
    private record Line(String command, String option, List<String> before, String plain, String exponent) {

        List<String> with(String value) {
            List<String> args = new ArrayList<>(before);
            args.add(option);
            args.add(value);
            return args;
        }

        @Override
        public String toString() {
            return command + " " + option;
        }
    }

    private static final String MISSING = "no-such-input.csv";

    /**
     * An override added to a file that is not an overrides document: refused before anything is written. A copy
     * of the example, outside the source tree: add takes its lock beside the file it is given.
     */
    private static List<String> overrideAdd(String... more) {
        String notOverrides;
        try {
            Path copy = Files.createTempDirectory("decimal-options").resolve("actuals.csv");
            notOverrides = Files.copy(CommandRun.examples().resolve("actuals.csv"), copy).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("override", "add", "--overrides", notOverrides, "--audit",
                "no-such-dir/a.jsonl", "--id", "x", "--author", "a", "--reason", "r", "--expiry", "2030-01-01"));
        args.addAll(List.of(more));
        return args;
    }

    static List<Line> lines() {
        List<String> replay = List.of("replay", "--trace", MISSING, "--per-instance", "10");
        List<String> provision = List.of("provision", "--provisional", "no-such-plan.json", "--threshold", "1");
        return List.of(
                new Line("forecast", "--level", List.of("forecast", "--input", MISSING, "--horizon", "2"), "90", "9e1"),
                new Line("evaluate", "--ar-ridge", List.of("evaluate", "--train", MISSING, "--test", MISSING,
                        "--horizon", "2", "--period", "1"), "0.5", "5E-1"),
                new Line("override add", "--quantity", overrideAdd("--action", "floor", "--resource", "CPU", "--units",
                        "cores"), "2000", "2e3"),
                new Line("override add", "--factor", overrideAdd("--action", "scale"), "1.5", ".15e1"),
                new Line("plan", "--budget-per-hour", List.of("plan", "--predicted", "no-such-p.json", "--fleet",
                        "no-such-f.json", "--catalog", "no-such-c.json"), "12.5", "1.25e+1"),
                new Line("predict", "--quantile", List.of("predict", "--history", "no-such-history"), "0.95", "9.5e-1"),
                new Line("provision", "--threshold", List.of("provision", "--provisional", "no-such-plan.json"), "100",
                        "1E2"),
                new Line("provision", "--threshold-per-cycle", provision, "0.25", "25e-2"),
                new Line("replay", "--per-instance", List.of("replay", "--trace", MISSING), "10", "1e1"),
                new Line("replay", "--sla-target", replay, "0.99", "99e-2"),
                new Line("replay", "--static-percentile", replay, "95", "9.5e1"),
                new Line("replay", "--static-headroom", replay, "0.5", "+5e-1"),
                new Line("replay", "--target", replay, "0.6", "6e-1"));
    }

    /** What {@code Double.valueOf} reads and the command does not, and digits of other scripts. */
    private static final List<String> REFUSED = List.of("1d", "2.5f", "0x1p3", "NaN", "Infinity", "-Infinity", " 1",
            "1 ", "\u0663", "\uff11.5", "1_0", "1,5");

    static Stream<Arguments> refusals() {
        return lines().stream().flatMap(l -> REFUSED.stream().map(v -> Arguments.of(l, v)));
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("refusals")
    void decimalOption_javaOnlySpelling_usageErrorNamingOptionAndValue(Line line, String value) {
        CommandRun r = CommandRun.of(line.with(value).toArray(String[]::new));

        String name = "fleetpredict " + line.command();
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        // Picocli names a repeatable option with its label: "option '--level' (PERCENT)".
        assertTrue(r.err().startsWith(name + ": Invalid value for option '" + line.option() + "'"), r::toString);
        assertTrue(r.err().endsWith(": '" + Checks.printable(value) + "' is not a decimal number: digits 0 to 9 with an"
                + " optional sign, '.' fraction and exponent, such as 12, -0.5 or 1.5e3\ntry '" + name + " --help'\n"),
                r::toString);
        assertEquals("", r.out());
    }

    /** The exponent form is the same number: the run goes as far as with the number written out. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void decimalOption_exponentForm_readAsTheNumberWrittenOut(Line line) {
        CommandRun plain = CommandRun.of(line.with(line.plain()).toArray(String[]::new));
        CommandRun exponent = CommandRun.of(line.with(line.exponent()).toArray(String[]::new));

        assertEquals(ExitCodes.INVALID_INPUT, plain.code(), plain::toString);
        assertEquals(plain.code(), exponent.code(), exponent::toString);
        assertEquals(plain.err(), exponent.err());
    }

    /** Well spelled but beyond a double: no option takes it, as none means anything by an infinite amount. */
    private static final List<String> BEYOND_A_DOUBLE = List.of("1e999", "-1e999", "1E400", "+2e308");

    static Stream<Arguments> beyondADouble() {
        return lines().stream().flatMap(l -> BEYOND_A_DOUBLE.stream().map(v -> Arguments.of(l, v)));
    }

    /**
     * A budget of 1e999 per hour read as infinite would be no budget; a threshold, a level or a factor of it has no
     * meaning either. Each is a usage error naming the option and the value as typed, before any file is read.
     */
    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("beyondADouble")
    void decimalOption_beyondADouble_usageErrorNamingOptionAndValue(Line line, String value) {
        CommandRun r = CommandRun.of(line.with(value).toArray(String[]::new));

        String name = "fleetpredict " + line.command();
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith(name + ": Invalid value for option '" + line.option() + "'"), r::toString);
        assertTrue(r.err().endsWith(": '" + value + "' is too large: an option takes a finite number, at most about"
                + " 1.8e308 either way\ntry '" + name + " --help'\n"), r::toString);
        assertEquals("", r.out());
    }

    /** The largest double is finite: taken, the run goes on to the files. */
    @Test
    void provision_largestDoubleThreshold_goesOnToTheFiles() {
        CommandRun r = CommandRun.of("provision", "--provisional", "no-such-plan.json", "--threshold",
                "1.7976931348623157e308");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
    }

    @Test
    void plan_negativeBudget_refusedAsBefore() {
        CommandRun r = CommandRun.of("plan", "--predicted", "no-such-p.json", "--fleet", "no-such-f.json", "--catalog",
                "no-such-c.json", "--budget-per-hour", "-1e-3");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict plan: --budget-per-hour: must be >= 0, was -0.001\n"), r::toString);
    }

    /** A duration's amount is such a number too: a negative one reaches the option's check instead of a parse error. */
    @Test
    void accuracy_negativeStepInShortForm_refusedAsNotPositive() {
        CommandRun r = CommandRun.of("accuracy", "--predicted", "no-such-p.json", "--actuals", MISSING, "--step", "-5m");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict accuracy: --step -5m: must be positive\n"), r::toString);
    }

    @Test
    void accuracy_stepWithHexAmount_notADuration() {
        CommandRun r = CommandRun.of("accuracy", "--predicted", "no-such-p.json", "--actuals", MISSING, "--step",
                "0x10m");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertNotEquals(-1, r.err().indexOf("Invalid value for option '--step': '0x10m' is not a duration"), r::toString);
    }
}
