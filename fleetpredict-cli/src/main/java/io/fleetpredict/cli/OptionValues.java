package io.fleetpredict.cli;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Hands an option's value to the library and, when a precondition there refuses it, reports a usage error in
 * the user's words: the option and the value as typed, not the parameter name and the parsed form the library
 * knows ({@code --quantile 1.5: must be in [0.5, 0.999]}, not {@code defaultQuantile must be ..., was 1.5}).
 */
final class OptionValues {

    /** A library precondition's opening parameter name ({@code defaultQuantile }, {@code amount: }). */
    private static final Pattern PARAMETER = Pattern.compile("^[a-z][A-Za-z0-9]*(?::\\s+|\\s+(?=must ))");

    /** The value as the library printed it, which the option's typed value replaces. */
    private static final Pattern WAS = Pattern.compile(",? was \\S+$");

    private OptionValues() {
    }

    /**
     * Runs {@code use} on the value of {@code option}.
     *
     * @throws CommandLine.ParameterException naming the option and its typed value, when {@code use} refuses it
     */
    static <T> T use(CommandSpec spec, String option, Supplier<T> use) {
        try {
            return use.get();
        } catch (IllegalArgumentException e) {
            throw refused(spec, option, reason(e.getMessage()));
        }
    }

    /** The usage error of an option whose value cannot be used, for {@code reason}. */
    static CommandLine.ParameterException refused(CommandSpec spec, String option, String reason) {
        return new CommandLine.ParameterException(spec.commandLine(), option + " " + typed(spec, option) + ": " + reason);
    }

    /**
     * Refuses a duration option that is zero or negative, where only a positive one means anything.
     *
     * @throws CommandLine.ParameterException naming the option and its typed value
     */
    static void requirePositive(CommandSpec spec, String option, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw refused(spec, option, "must be positive");
        }
    }

    /** Whether the user left {@code option} out, so that its default applies. */
    static boolean defaulted(CommandSpec spec, String option) {
        CommandLine.Model.OptionSpec o = spec.findOption(option);
        return o == null || o.originalStringValues().isEmpty();
    }

    /** The value of {@code option} as the user typed it (the last, for a repeated option). */
    static String typed(CommandSpec spec, String option) {
        CommandLine.Model.OptionSpec o = spec.findOption(option);
        if (o == null) {
            return "";
        }
        List<String> typed = o.originalStringValues();
        String byDefault = o.defaultValue();
        return !typed.isEmpty() ? typed.get(typed.size() - 1) : byDefault == null ? "" : byDefault;
    }

    static String reason(@org.jspecify.annotations.Nullable String message) {
        if (message == null || message.isBlank()) {
            return "not accepted";
        }
        return WAS.matcher(PARAMETER.matcher(message.strip()).replaceFirst("")).replaceFirst("");
    }
}
