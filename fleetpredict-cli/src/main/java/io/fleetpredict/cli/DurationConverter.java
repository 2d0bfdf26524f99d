package io.fleetpredict.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads a duration as {@code 90s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601 ({@code PT5M}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        Matcher matcher = SHORT.matcher(v);
        if (matcher.matches()) {
            double amount = Double.parseDouble(matcher.group(1));
            double seconds = switch (matcher.group(2)) {
                case "ms" -> amount / 1000;
                case "s" -> amount;
                case "m", "min" -> amount * 60;
                case "h" -> amount * 3600;
                default -> amount * 86_400;
            };
            return Duration.ofNanos(Math.round(seconds * 1e9));
        }
        try {
            return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException(String.format(Locale.ROOT,
                    "'%s' is not a duration (examples: 90s, 5m, 2h, 7d, PT5M)", value));
        }
    }
}
