package io.fleetpredict.cli;

import io.fleetpredict.core.internal.Checks;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Whole numbers as a command line means them: an optional sign, then the digits 0 to 9. Java's
 * {@code Integer.valueOf} and {@code Long.parseLong}, which picocli's own converters call, read any Unicode
 * decimal digit, so {@code --horizon ٣} (an Arabic-Indic three) or a full-width {@code ３} would pass as 3; no
 * input file the command reads writes its numbers so, and a value that looks like another would be taken
 * without a word.
 */
final class WholeNumbers {

    private static final Pattern ASCII_WHOLE = Pattern.compile("[+-]?[0-9]+");

    private WholeNumbers() {
    }

    /**
     * Reads every {@code int}, {@code Integer}, {@code long} and {@code Long} option and parameter of the command
     * line and its subcommands (those added so far) this way; a value that is not such a number, or is out of the
     * type's range, is a usage error naming the option and the value, as picocli words its own.
     */
    static void register(CommandLine cli) {
        CommandLine.ITypeConverter<Integer> toInt = value -> {
            try {
                return parseInt(value);
            } catch (NumberFormatException e) {
                throw notA("int", value);
            }
        };
        CommandLine.ITypeConverter<Long> toLong = value -> {
            try {
                return parseLong(value);
            } catch (NumberFormatException e) {
                throw notA("long", value);
            }
        };
        cli.registerConverter(Integer.class, toInt);
        cli.registerConverter(Integer.TYPE, toInt);
        cli.registerConverter(Long.class, toLong);
        cli.registerConverter(Long.TYPE, toLong);
    }

    /**
     * Reads an int written with the digits 0 to 9.
     *
     * @throws NumberFormatException if {@code text} is not an optional sign and the digits 0 to 9, or is out of range
     */
    static int parseInt(String text) {
        requireAscii(text);
        return Integer.parseInt(text);
    }

    /**
     * Reads a long written with the digits 0 to 9.
     *
     * @throws NumberFormatException if {@code text} is not an optional sign and the digits 0 to 9, or is out of range
     */
    static long parseLong(String text) {
        requireAscii(text);
        return Long.parseLong(text);
    }

    private static void requireAscii(String text) {
        if (!ASCII_WHOLE.matcher(text).matches()) {
            throw new NumberFormatException("not a whole number of the digits 0 to 9: " + Checks.printable(text));
        }
    }

    /** Picocli's own words for a value its converter refuses, the value escaped so that it stays on one line. */
    private static CommandLine.TypeConversionException notA(String type, String value) {
        return new CommandLine.TypeConversionException("'" + Checks.printable(value) + "' is not an " + type);
    }
}
