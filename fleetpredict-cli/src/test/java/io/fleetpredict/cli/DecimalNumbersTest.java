package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The one spelling of a decimal number the command reads, in options, in a duration's amount and in files: an
 * optional sign, the digits 0 to 9, an optional {@code .} fraction and an optional exponent, nothing else.
 */
class DecimalNumbersTest {

    /** Spellings Double.valueOf reads and the command does not, and others neither reads. */
    private static final String[] REFUSED = {"1d", "1D", "1f", "1F", "0x1p3", "0X10", "0x1.8p1", "NaN", "+NaN", "Infinity",
        "-Infinity", " 1", "1 ", "\t1", "1\n", "", "+", "-", ".", "1e", "1e+", "e3", ".e3", "1_000", "1,5", "1.2.3",
        "--1", "1..2", "\u0663", "\uff11", "1\u0969", "\u0661.\u0665", "1e\u0663", "\u00bd", "1.5e3.2"};

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "12|12", "-0.5|-0.5", "+3|3", ".5|0.5", "5.|5", "-.25|-0.25", "1.5e3|1500", "2E-3|0.002", "1e+2|100",
        "007|7", "-0|-0.0", "0.1|0.1", "1e999|Infinity", "-1e999|-Infinity", "1e-999|0"})
    void parse_signDigitsFractionExponent_readAsDoubleWould(String text, double expected) {
        assertEquals(expected, DecimalNumbers.parse(text));
    }

    static String[] refused() {
        return REFUSED.clone();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("refused")
    void parse_anythingElse_numberFormatException(String text) {
        assertThrows(NumberFormatException.class, () -> DecimalNumbers.parse(text));
    }

    /** The converter picocli is given: its refusal names the value, escaped to stay on one line. */
    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"1d", "0x1p3", "NaN", "Infinity", " 1", "\u0663", "1\n"})
    void register_refusedSpelling_typeConversionNamingValue(String text) {
        CommandLine cli = new CommandLine(new Object() {
            @CommandLine.Option(names = "--x")
            double x;
        });
        DecimalNumbers.register(cli);

        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> cli.parseArgs("--x", text));

        assertEquals("Invalid value for option '--x': '" + io.fleetpredict.core.internal.Checks.printable(text)
                + "' is not a decimal number: " + DecimalNumbers.EXPECTED, e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "90s, PT1M30S", "1.5h, PT1H30M", ".5h, PT30M", "5.m, PT5M", "2e3s, PT33M20S", "1E1m, PT10M", "+5m, PT5M",
        "-5m, PT-5M", "5M, PT5M", "2MIN, PT2M", "15min, PT15M", "250ms, PT0.25S", "7d, PT168H", "PT5M, PT5M",
        "pt5m, PT5M", "P1D, PT24H", "P1DT2H, PT26H", "PT1.5S, PT1.5S", "'PT1,5S', PT1.5S", "-PT5M, PT-5M"})
    void duration_amountAsADecimalNumber(String text, Duration expected) {
        assertEquals(expected, DurationConverter.parse(text));
    }

    /**
     * Not durations: an amount spelled as Java alone reads numbers, digits of another script, and an ISO form with a
     * long s ({@code ſ}), which upper-cases to S.
     */
    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"0x10s", "NaNh", "Infinityd", "1fh", "1d5m", "\u0663h", "1_0m", "PT5\u017f", "5\u017f",
        "1,5h", "e3s"})
    void duration_otherSpellings_notADuration(String text) {
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> DurationConverter.parse(text));

        assertTrue(e.getMessage().contains("is not a duration"), e.getMessage());
    }

    /** Blanks in a duration or around it, which docs/cli.md does not write: refused saying so, not read past. */
    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"90 s", "1.5 h", " 5m", "5m ", "\t5m", "5m\n", "PT5M ", " PT5M", "PT 5M", "5\u00a0m",
        "5\u2009m", "5\u3000m", "P1D T2H"})
    void duration_withABlank_notADurationSayingSo(String text) {
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> DurationConverter.parse(text));

        assertEquals("'" + io.fleetpredict.core.internal.Checks.printable(text) + "' is not a duration: a duration holds"
                + " no blanks (examples: 90s, 5m, 2h, 7d, PT5M)", e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"1e999s", "-1e999s", "99999999999999999999d"})
    void duration_amountBeyondADouble_longerThanTheLongest(String text) {
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> DurationConverter.parse(text));

        assertTrue(e.getMessage().contains("is longer than the longest duration accepted, 36500 days"), e.getMessage());
    }
}
