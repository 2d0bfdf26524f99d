package io.fleetpredict.cli;

import io.fleetpredict.forecast.GapPolicy;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The values of the options that take one of an enum's constants, said as the user types them and the docs print
 * them: in lower case ({@code --gaps linear}). Picocli reads them in any case but would list the constants' names
 * ({@code REJECT, PREVIOUS, LINEAR}) in the help and in its error.
 */
final class OptionChoices {

    private OptionChoices() {
    }

    /** The constants of {@code type}, in lower case, in their order. */
    static <E extends Enum<E>> List<String> of(Class<E> type) {
        return EnumSet.allOf(type).stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    }

    /** Reads a constant of {@code type} in any case; a value that is none of them is refused listing them. */
    static <E extends Enum<E>> CommandLine.ITypeConverter<E> converter(Class<E> type) {
        return value -> EnumSet.allOf(type).stream().filter(e -> e.name().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new CommandLine.TypeConversionException(
                        "expected one of " + String.join(", ", of(type)) + " but was '" + value + "'"));
    }

    /** The values of {@code --gaps}, for the help's {@code ${COMPLETION-CANDIDATES}}. */
    static final class Gaps implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return of(GapPolicy.class).iterator();
        }
    }
}
