package io.fleetpredict.cli;

import io.fleetpredict.core.internal.Checks;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Decimal numbers as the command reads them, in options, in the amount of a duration and in input files alike: an
 * optional sign, the digits 0 to 9 with an optional {@code .} fraction, and an optional exponent ({@code e} or
 * {@code E}, an optional sign and digits): {@code 12}, {@code -0.5}, {@code .5}, {@code 1.5e3}. Java's
 * {@code Double.valueOf}, which picocli's own converter calls, reads more: {@code 1d}, {@code 1f}, hexadecimal
 * {@code 0x1p3}, {@code NaN}, {@code Infinity} and blanks around the number, none of which a person typing an
 * amount or a spreadsheet writing one means as a number, and which would be taken without a word.
 *
 * <p>{@link #parse} checks only the spelling: a well-formed number too large for a double ({@code 1e999}) reads as
 * infinity, which each input file's reader refuses at its line. An option takes only a finite number: no option
 * means anything by an infinite amount, and one that read it as such would take {@code --budget-per-hour 1e999} as
 * no budget at all, so the converter refuses it for every option at once, before each option's own range check.
 */
final class DecimalNumbers {

    /** The spelling, without capturing groups so that a larger pattern can hold it (a duration's amount). */
    static final String REGEX = "[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?";

    private static final Pattern DECIMAL = Pattern.compile(REGEX);

    /** How a refused value is told to a user, after the value itself. */
    static final String EXPECTED = "digits 0 to 9 with an optional sign, '.' fraction and exponent, such as 12, -0.5"
            + " or 1.5e3";

    private DecimalNumbers() {
    }

    /** How a well-spelled value too large for a double is told to a user, after the value itself. */
    static final String TOO_LARGE = "is too large: an option takes a finite number, at most about 1.8e308 either way";

    /**
     * Reads every {@code double} and {@code Double} option and parameter of the command line and its subcommands
     * (those added so far) this way; a value that is not such a number, or is too large to be a finite double, is a
     * usage error naming the option and the value, as picocli words its own.
     */
    static void register(CommandLine cli) {
        CommandLine.ITypeConverter<Double> toDouble = value -> {
            double number;
            try {
                number = parse(value);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + Checks.printable(value) + "' is not a decimal number: " + EXPECTED);
            }
            if (!Double.isFinite(number)) {
                throw new CommandLine.TypeConversionException("'" + Checks.printable(value) + "' " + TOO_LARGE);
            }
            return number;
        };
        cli.registerConverter(Double.class, toDouble);
        cli.registerConverter(Double.TYPE, toDouble);
    }

    /**
     * Reads a decimal number.
     *
     * @throws NumberFormatException if {@code text} is not an optional sign, the digits 0 to 9 with an optional
     *     {@code .} fraction and an optional exponent
     */
    static double parse(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new NumberFormatException("not a decimal number of the digits 0 to 9: " + Checks.printable(text));
        }
        return Double.parseDouble(text);
    }
}
