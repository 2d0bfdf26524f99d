package io.fleetpredict.core.internal;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks shared by the core library's records and builders, with one wording for every message:
 * {@code name: must be ..., was value}. Internal: no compatibility promise.
 */
public final class Checks {
    private Checks() {}

    public static String text(String name, String value) {
        Objects.requireNonNull(value, name);
        if (isBlank(value)) {
            throw new IllegalArgumentException(name + ": must not be blank");
        }
        return value;
    }

    /**
     * Whether a text shows nothing: empty, or only spaces (Java's whitespace and Unicode's space separators, so a
     * no-break or figure space too) and invisible format characters (a zero-width space, a byte order mark).
     * {@link String#isBlank} counts only Java's whitespace, so a name of one no-break space passed as not blank.
     */
    public static boolean isBlank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.getType(c) == Character.FORMAT);
    }

    /**
     * A name that ends up in messages and log lines: not blank, and without a control, line or paragraph separator
     * or bidirectional formatting character, which could forge or garble a line; the message shows the name with
     * such characters escaped.
     */
    public static String name(String name, String value) {
        text(name, value);
        int control = firstControl(value);
        if (control >= 0) {
            throw new IllegalArgumentException(fmt("%s: must not contain control characters, found \\u%04x at"
                    + " character %d in \"%s\"", name, value.codePointAt(control), control, printable(value)));
        }
        int lone = loneSurrogate(value);
        if (lone >= 0) {
            throw new IllegalArgumentException(fmt("%s: %s", name, loneSurrogateMessage(value, lone)));
        }
        return value;
    }

    /**
     * The index of the first half of a UTF-16 surrogate pair that stands alone, or -1. Such a text is no Unicode
     * text: written as UTF-8 it becomes {@code ?} (a name changed on disk) or fails the write.
     */
    public static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Why a text with a lone surrogate at {@code index} is refused. */
    public static String loneSurrogateMessage(String text, int index) {
        return fmt("must be Unicode text, found a lone surrogate \\u%04x at character %d in \"%s\"",
                (int) text.charAt(index), index, printable(text.replace(text.charAt(index), '\ufffd')));
    }

    /** The index of the first control, line or paragraph separator or bidirectional formatting character, or -1. */
    public static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The text with each character {@link #firstControl} looks for written as its escape: a backslash, u, four hex digits. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (unsafe(c)) {
                out.append(fmt("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static boolean unsafe(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }

    /**
     * The one rule for a fleet id, in documents, builders and stores: a plain name, since it names the fleet's
     * directory in a state store. No dot or dash first, so neither {@code .}, {@code ..} nor a hidden or
     * option-like name; no separator or space.
     */
    public static final Pattern FLEET_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /**
     * What is wrong with a fleet id, in the words every check uses, or {@code null} when it is a plain name.
     * The bad value is shown with control characters escaped and cut to 60 characters.
     */
    public static @Nullable String fleetIdProblem(String value) {
        if (FLEET_ID.matcher(value).matches()) {
            return null;
        }
        return "must be a plain name of at most 128 letters, digits, '.', '_' and '-' that starts with a letter or"
                + " digit, was \"" + abbreviate(value) + "\"";
    }

    /** A value as a message shows it: {@link #printable}, and cut to 60 characters, the last three {@code ...}. */
    public static String abbreviate(String text) {
        return printable(text.length() <= 60 ? text : text.substring(0, 57) + "...");
    }

    /** A fleet id that is a plain name (see {@link #FLEET_ID}), or an exception naming {@code name}. */
    public static String fleetId(String name, String value) {
        Objects.requireNonNull(value, name);
        String problem = fleetIdProblem(value);
        if (problem != null) {
            throw new IllegalArgumentException(name + ": " + problem);
        }
        return value;
    }

    /** {@link #fleetId} for an optional fleet id. */
    public static @Nullable String optionalFleetId(String name, @Nullable String value) {
        return value == null ? null : fleetId(name, value);
    }

    public static @Nullable String optionalText(String name, @Nullable String value) {
        return value == null ? null : text(name, value);
    }

    public static double nonNegative(String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(
                    fmt("%s: must be finite and not negative, was %s", name, value));
        }
        return value;
    }

    public static double positive(String name, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException(fmt("%s: must be finite and positive, was %s", name, value));
        }
        return value;
    }

    public static double between(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(
                    fmt("%s: must be between %s and %s, was %s", name, min, max, value));
        }
        return value;
    }

    public static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(fmt("%s: must not be negative, was %d", name, value));
        }
        return value;
    }

    public static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(fmt("%s: must be at least %d, was %d", name, min, value));
        }
        return value;
    }

    public static Duration nonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(fmt("%s: must not be negative, was %s", name, value));
        }
        return value;
    }

    public static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(fmt("%s: must be positive, was %s", name, value));
        }
        return value;
    }

    /** The earliest instant a document holds (its schemas write four-digit years); {@code Documents.EARLIEST_INSTANT}. */
    public static final Instant EARLIEST_DOCUMENT_INSTANT = Instant.parse("0000-01-01T00:00:00Z");

    /** The latest instant a document holds (its schemas write four-digit years); {@code Documents.LATEST_INSTANT}. */
    public static final Instant LATEST_DOCUMENT_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /**
     * An instant a document can hold, from {@link #EARLIEST_DOCUMENT_INSTANT} to {@link #LATEST_DOCUMENT_INSTANT}:
     * the schemas give four-digit years, and a record holding another instant would be written as a document
     * its own reader refuses.
     */
    public static Instant documentInstant(String name, Instant value) {
        Objects.requireNonNull(value, name);
        if (value.isBefore(EARLIEST_DOCUMENT_INSTANT) || value.isAfter(LATEST_DOCUMENT_INSTANT)) {
            throw new IllegalArgumentException(fmt("%s: must lie from %s to %s, was %s", name,
                    EARLIEST_DOCUMENT_INSTANT, LATEST_DOCUMENT_INSTANT, value));
        }
        return value;
    }

    /** {@link #documentInstant} for an optional instant: {@code null} passes. */
    public static @Nullable Instant optionalDocumentInstant(String name, @Nullable Instant value) {
        return value == null ? null : documentInstant(name, value);
    }

    public static void notAfter(String firstName, @Nullable Instant first, String secondName, @Nullable Instant second) {
        if (first != null && second != null && first.isAfter(second)) {
            throw new IllegalArgumentException(
                    fmt("%s: %s is after %s %s", firstName, first, secondName, second));
        }
    }

    public static <T> List<T> list(String name, List<T> value) {
        Objects.requireNonNull(value, name);
        return List.copyOf(value);
    }

    public static <T> List<T> nonEmptyList(String name, List<T> value) {
        List<T> copy = list(name, value);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(name + ": must not be empty");
        }
        return copy;
    }

    public static <T> @Nullable List<T> optionalList(String name, @Nullable List<T> value) {
        return value == null ? null : list(name, value);
    }

    public static <K, V> Map<K, V> orderedMap(String name, Map<K, V> value) {
        Objects.requireNonNull(value, name);
        Map<K, V> copy = new LinkedHashMap<>();
        value.forEach((k, v) -> copy.put(Objects.requireNonNull(k, name), Objects.requireNonNull(v, name)));
        return Collections.unmodifiableMap(copy);
    }

    /** Rejects two elements with the same key, naming the index of the second. */
    public static <T> void unique(String name, Collection<T> values, Function<T, Object> key) {
        Set<Object> seen = new HashSet<>();
        int i = 0;
        for (T value : values) {
            Object k = key.apply(value);
            if (!seen.add(k)) {
                throw new IllegalArgumentException(fmt("%s[%d]: duplicate %s", name, i, k));
            }
            i++;
        }
    }

    /** Rejects two amounts of the same resource type in one list. */
    public static List<ResourceAmount> amounts(String name, List<ResourceAmount> value) {
        List<ResourceAmount> copy = list(name, value);
        Set<ResourceType> seen = EnumSet.noneOf(ResourceType.class);
        for (int i = 0; i < copy.size(); i++) {
            if (!seen.add(copy.get(i).type())) {
                throw new IllegalArgumentException(
                        fmt("%s[%d]: duplicate resource type %s", name, i, copy.get(i).type().jsonName()));
            }
        }
        return copy;
    }

    public static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
