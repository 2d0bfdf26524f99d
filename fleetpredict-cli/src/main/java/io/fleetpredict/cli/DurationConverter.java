package io.fleetpredict.cli;

import io.fleetpredict.core.internal.Checks;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads a duration as docs/cli.md states it: an amount and a unit written together ({@code 90s}, {@code 5m},
 * {@code 2h}, {@code 7d}, {@code 250ms}, {@code 15min}, the unit in either case), or ISO-8601 as
 * {@link Duration#parse} reads it ({@code PT5M}, {@code P1DT2H}, {@code PT1.5S}, and {@code PT1,5S} with the decimal
 * comma ISO-8601 allows). The amount of the short form is a decimal number as {@link DecimalNumbers} reads it
 * ({@code 1.5h}, {@code 2e3s}); {@code 1d5m}, {@code 0x10s} or {@code NaNh} are not durations. Nor is a value with a
 * blank in it or around it ({@code 90 s}, {@code " 5m"}), as a decimal option refuses one around its number.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    /** An amount and a unit, the unit in either case; its letters are ASCII, so no other script's letter passes. */
    private static final Pattern SHORT = Pattern.compile("(" + DecimalNumbers.REGEX + ")(ms|s|m|min|h|d)",
            Pattern.CASE_INSENSITIVE);

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** A century: longer durations only overflow the instants and nanosecond counts they are added to. */
    static final Duration MAX = Duration.ofDays(36_500);

    static Duration parse(String value) {
        Duration d = parseUnbounded(value);
        if (d.compareTo(MAX) > 0) {
            throw new CommandLine.TypeConversionException(String.format(Locale.ROOT,
                    "'%s' is longer than the longest duration accepted, %d days", value, MAX.toDays()));
        }
        return d;
    }

    /** The units of the short form, largest first, with their length in nanoseconds. */
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] UNIT_NANOS = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
        1_000_000_000L, 1_000_000L};

    /**
     * The duration as a user would type it, in the largest unit that divides it ({@code 20m}, {@code 90m},
     * {@code 2h}), or ISO-8601 when no unit does; {@link #parse} reads either back to the same duration.
     */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (!d.isNegative() && d.compareTo(MAX) <= 0) {
            long nanos = d.toNanos();
            for (int i = 0; i < UNITS.length; i++) {
                if (nanos % UNIT_NANOS[i] == 0) {
                    return nanos / UNIT_NANOS[i] + UNITS[i];
                }
            }
        }
        return d.toString();
    }

    private static Duration parseUnbounded(String value) {
        if (value.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
            throw new CommandLine.TypeConversionException(String.format(Locale.ROOT,
                    "'%s' is not a duration: a duration holds no blanks (examples: 90s, 5m, 2h, 7d, PT5M)",
                    Checks.printable(value)));
        }
        Matcher matcher = SHORT.matcher(value);
        if (matcher.matches()) {
            double amount = DecimalNumbers.parse(matcher.group(1));
            double seconds = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> amount / 1000;
                case "s" -> amount;
                case "m", "min" -> amount * 60;
                case "h" -> amount * 3600;
                default -> amount * 86_400;
            };
            // Either sign: a negative amount is each command's range check to refuse, not a saturated Long.MIN_VALUE.
            if (!(Math.abs(seconds) * 1e9 < Long.MAX_VALUE)) {
                throw new CommandLine.TypeConversionException(String.format(Locale.ROOT,
                        "'%s' is longer than the longest duration accepted, %d days", value, MAX.toDays()));
            }
            return Duration.ofNanos(Math.round(seconds * 1e9));
        }
        try {
            // Duration.parse reads its letters in either ASCII case; upper-casing first would turn a long s into S.
            return Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new CommandLine.TypeConversionException(String.format(Locale.ROOT,
                    "'%s' is not a duration (examples: 90s, 5m, 2h, 7d, PT5M)", value));
        }
    }
}
