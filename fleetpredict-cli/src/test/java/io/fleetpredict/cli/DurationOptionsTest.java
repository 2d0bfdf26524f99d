package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every duration option of every command refuses a value out of its range as a usage error in the words of the
 * command line: the option and the value as typed ({@code --cycle -5m: must be positive}), not the library's
 * parameter name and its ISO-8601 form ({@code cycle must be positive, was PT-5M}), before any file is read.
 */
class DurationOptionsTest {

    /**
     * A command line before its duration option, the files in it missing: an accepted value ends in exit 3.
     *
     * @param zero the refusal of a zero duration, or {@code null} when zero is accepted
     */
    private record Line(String command, String option, List<String> before, String negative, @Nullable String zero) {

        String[] with(String value) {
            List<String> args = new ArrayList<>(before);
            args.add(option);
            args.add(value);
            return args.toArray(String[]::new);
        }

        @Override
        public String toString() {
            return command + " " + option;
        }
    }

    private static final String MISSING = "no-such-input.csv";
    private static final String POSITIVE = "must be positive";

    static List<Line> lines() {
        List<String> replay = List.of("replay", "--trace", MISSING, "--per-instance", "10");
        return List.of(
                new Line("accuracy", "--step", List.of("accuracy", "--predicted", "no-such-p.json", "--actuals",
                        MISSING), POSITIVE, POSITIVE),
                new Line("predict", "--range", List.of("predict", "--prometheus", "http://127.0.0.1:9",
                        "--query-file", "no-such-queries.json"), POSITIVE, POSITIVE),
                new Line("plan", "--cycle", List.of("plan", "--predicted", "no-such-p.json", "--fleet",
                        "no-such-f.json", "--catalog", "no-such-c.json"), POSITIVE, POSITIVE),
                new Line("provision", "--cycle", List.of("provision", "--provisional", "no-such-plan.json", "--threshold", "1"), POSITIVE,
                        POSITIVE),
                new Line("replay", "--boot-time", replay, POSITIVE, POSITIVE),
                new Line("replay", "--warm-up", replay, "must not be negative", null),
                new Line("replay", "--window", replay, POSITIVE, POSITIVE));
    }

    /** Negative in the short form and in either ISO-8601 spelling. */
    static Stream<Arguments> negatives() {
        return lines().stream().flatMap(l -> Stream.of("-5m", "-0.5h", "PT-5M", "-PT5M").map(v -> Arguments.of(l, v)));
    }

    static Stream<Arguments> zeros() {
        return lines().stream().filter(l -> l.zero() != null).flatMap(l -> Stream.of("0s", "PT0S")
                .map(v -> Arguments.of(l, v)));
    }

    private static void assertRefused(Line line, String value, String reason, CommandRun r) {
        String name = "fleetpredict " + line.command();
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertEquals(name + ": " + line.option() + " " + value + ": " + reason + "\ntry '" + name + " --help'\n",
                r.err());
        assertEquals("", r.out());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("negatives")
    void durationOption_negative_usageErrorNamingOptionAndValueAsTyped(Line line, String value) {
        assertRefused(line, value, line.negative(), CommandRun.of(line.with(value)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("zeros")
    void durationOption_zeroWhereItMustBePositive_usageErrorNamingOptionAndValueAsTyped(Line line, String value) {
        assertRefused(line, value, java.util.Objects.requireNonNull(line.zero()), CommandRun.of(line.with(value)));
    }

    /** A value in range goes on to the files, which are missing: the refusals above came before any was read. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void durationOption_inRange_goesOnToTheFiles(Line line) {
        CommandRun r = CommandRun.of(line.with("5m"));

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("no such file"), r::toString);
    }

    /** A blank inside the value or around it: refused as no duration, naming the option and the value. */
    static Stream<Arguments> blanks() {
        return lines().stream().flatMap(l -> Stream.of("90 s", " 5m", "PT5M ").map(v -> Arguments.of(l, v)));
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("blanks")
    void durationOption_withABlank_usageErrorNamingOptionAndValue(Line line, String value) {
        CommandRun r = CommandRun.of(line.with(value));

        String name = "fleetpredict " + line.command();
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertEquals(name + ": Invalid value for option '" + line.option() + "': '" + value + "' is not a duration: a"
                + " duration holds no blanks (examples: 90s, 5m, 2h, 7d, PT5M)\ntry '" + name + " --help'\n", r.err());
        assertEquals("", r.out());
    }

    /** ISO-8601's decimal comma, which docs/cli.md states is read: the same duration as with a point. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void durationOption_isoDecimalComma_goesOnToTheFiles(Line line) {
        CommandRun r = CommandRun.of(line.with("PT1,5S"));

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("no such file"), r::toString);
    }

    static Stream<Line> zeroTaken() {
        return lines().stream().filter(l -> l.zero() == null);
    }

    /** Zero warm-up is taken (the replay scores from the trace's first step): the run goes on to the files. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("zeroTaken")
    void durationOption_zeroWhereAccepted_goesOnToTheFiles(Line line) {
        CommandRun r = CommandRun.of(line.with("0s"));

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("no such file"), r::toString);
    }
}
