package io.fleetpredict.core.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpredict.core.internal.Checks;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A JSON value with its JSONPath: typed accessors that fail with an {@link InvalidDocumentException}
 * naming the exact field, so nothing downstream has to reconstruct where a value came from.
 */
final class JsonIn {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** UTC only, as the schemas say: an offset or a five-digit year is refused rather than normalised. */
    /**
     * Hours to 23 and minutes and seconds to 59: {@code Instant.parse} reads a leap second {@code 23:59:60} as the
     * second before it and {@code 24:00:00} as the next midnight, another instant than the text, so both are refused.
     */
    private static final Pattern INSTANT =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?Z");
    /** The form {@link #INSTANT} has, whatever the time of day's digits: such a text is refused saying why. */
    private static final Pattern INSTANT_FORM =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    /** Days, hours, minutes and seconds, unsigned: the subset of ISO-8601 the schemas allow. */
    private static final Pattern DURATION =
            Pattern.compile("P(?!$)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d{1,9})?S)?)?");
    /**
     * The longest duration a document may give: a century, far beyond any lead time, window or boot time,
     * and short enough that adding it to an instant or counting it in nanoseconds cannot overflow.
     */
    static final Duration MAX_DURATION = Duration.ofDays(36_500);
    private static final Pattern COMPONENT_PREFIX = Pattern.compile("^([A-Za-z][A-Za-z0-9]*)((?:\\[\\d+\\])?): (.*)$",
            Pattern.DOTALL);

    private final DocumentKind kind;
    private final JsonNode node;
    private final String path;

    JsonIn(DocumentKind kind, JsonNode node, String path) {
        this.kind = kind;
        this.node = node;
        this.path = path;
    }

    static String member(String name) {
        return IDENTIFIER.matcher(name).matches() ? "." + name
                : "['" + printable(name.replace("\\", "\\\\").replace("'", "\\'")) + "']";
    }

    JsonNode node() {
        return node;
    }

    InvalidDocumentException error(String problem) {
        return new InvalidDocumentException(kind, path, problem);
    }

    private InvalidDocumentException errorAt(String subPath, String problem) {
        return new InvalidDocumentException(kind, path + subPath, problem);
    }

    /** Requires an object with only the given fields. */
    JsonIn object(Set<String> allowed) {
        if (!node.isObject()) {
            throw error("must be an object, was " + typeName(node));
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw errorAt(member(name), "unknown field");
            }
        }
        return this;
    }

    boolean has(String name) {
        return node.has(name);
    }

    /** A required field: absent or null is an error. */
    JsonIn field(String name) {
        JsonNode child = node.get(name);
        if (child == null) {
            throw errorAt(member(name), "missing required field");
        }
        if (child.isNull()) {
            throw errorAt(member(name), "must not be null");
        }
        return new JsonIn(kind, child, path + member(name));
    }

    /** An optional field: absent gives empty, an explicit null is an error (omit the field instead). */
    Optional<JsonIn> optField(String name) {
        JsonNode child = node.get(name);
        if (child == null) {
            return Optional.empty();
        }
        if (child.isNull()) {
            throw errorAt(member(name), "must not be null; omit the field instead");
        }
        return Optional.of(new JsonIn(kind, child, path + member(name)));
    }

    <T> @Nullable T opt(String name, Function<JsonIn, T> read) {
        return optField(name).map(read).orElse(null);
    }

    List<JsonIn> elements() {
        if (!node.isArray()) {
            throw error("must be an array, was " + typeName(node));
        }
        List<JsonIn> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode child = node.get(i);
            JsonIn in = new JsonIn(kind, child, path + "[" + i + "]");
            if (child.isNull()) {
                throw in.error("must not be null");
            }
            out.add(in);
        }
        return out;
    }

    <T> List<T> list(Function<JsonIn, T> read) {
        return elements().stream().map(read).toList();
    }

    <T> List<T> nonEmptyList(Function<JsonIn, T> read) {
        List<T> values = list(read);
        if (values.isEmpty()) {
            throw error("must not be empty");
        }
        return values;
    }

    Map<String, JsonIn> members() {
        if (!node.isObject()) {
            throw error("must be an object, was " + typeName(node));
        }
        Map<String, JsonIn> out = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            JsonIn in = new JsonIn(kind, e.getValue(), path + member(e.getKey()));
            if (e.getValue().isNull()) {
                throw in.error("must not be null");
            }
            out.put(e.getKey(), in);
        });
        return out;
    }

    String text() {
        if (!node.isTextual()) {
            throw error("must be a string, was " + typeName(node));
        }
        return plain(node.textValue(), "");
    }

    /**
     * Checks the name this value is stored under (a tier, a model parameter) as {@link #text()} checks a
     * value, and fails at this value's path.
     */
    String plainName(String name) {
        return plain(name, "name ");
    }

    private String plain(String value, String what) {
        if (Checks.isBlank(value)) {
            throw error(what + "must not be blank");
        }
        String control = controlCharacters(value);
        if (control != null) {
            // Ids and names reach logs and terminals: a line break in one could forge a log line.
            throw error(what + control);
        }
        return value;
    }

    /**
     * What is wrong with a text holding a control, line or paragraph separator or bidirectional formatting
     * character, or {@code null} when it holds none: the one rule for the text fields of documents, shared by
     * the records that hold them so that what they take can be read back.
     */
    static @Nullable String controlCharacters(String value) {
        int control = firstControl(value);
        if (control >= 0) {
            return fmt("must not contain control characters, found \\u%04x at character %d in \"%s\"",
                    value.codePointAt(control), control, abbreviate(value));
        }
        // A lone half of a surrogate pair (a JSON escape of one, such as backslash-u-d800) is no Unicode text: the
        // store would write it as a question mark.
        int lone = Checks.loneSurrogate(value);
        return lone < 0 ? null : Checks.loneSurrogateMessage(value, lone);
    }

    double number() {
        if (!node.isNumber()) {
            throw error("must be a number, was " + typeName(node)
                    + (node.isTextual() ? " \"" + abbreviate(node.textValue()) + "\"" : ""));
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw error("number is out of range: " + abbreviate(node.asText()));
        }
        return value;
    }

    double nonNegative() {
        double value = number();
        if (value < 0) {
            throw error(fmt("must not be negative, was %s", node.asText()));
        }
        return value;
    }

    double positive() {
        double value = number();
        if (value <= 0) {
            throw error(fmt("must be positive, was %s", node.asText()));
        }
        return value;
    }

    /** A share above 0 and at most {@code max}. */
    double share(double max) {
        double value = number();
        if (!(value > 0 && value <= max)) {
            throw error(fmt("must be above 0 and at most %s, was %s", max, node.asText()));
        }
        return value;
    }

    double between(double min, double max) {
        double value = number();
        if (value < min || value > max) {
            throw error(fmt("must be between %s and %s, was %s", min, max, node.asText()));
        }
        return value;
    }

    long longValue(long min) {
        return integer(min, Long.MAX_VALUE);
    }

    int intValue(int min) {
        return (int) integer(min, Integer.MAX_VALUE);
    }

    /**
     * An integer from {@code min} to {@code max} written as one. Its range is checked before its form, so
     * {@code 1e400} is too large rather than "a fraction", and {@code -2.5} negative; a whole number written
     * with an exponent or a fraction ({@code 1e2}, {@code 6.0}) is refused as written so.
     */
    private long integer(long min, long max) {
        if (!node.isNumber()) {
            throw error("must be an integer, was " + typeName(node));
        }
        // Exact for every token the parser lets through; compared, never expanded, so 1e99999999 costs nothing.
        BigDecimal value = node.decimalValue();
        String text = abbreviate(node.asText());
        if (value.compareTo(BigDecimal.valueOf(min)) < 0) {
            throw error(min == 0 ? fmt("must not be negative, was %s", text) : fmt("must be at least %d, was %s", min, text));
        }
        if (value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw error(fmt("must be an integer from %d to %d, was %s", min, max, text));
        }
        if (!node.isIntegralNumber()) {
            throw error(value.stripTrailingZeros().scale() <= 0
                    ? "must be an integer written without a fraction or exponent, was " + text
                    : "must be an integer, was a fraction " + text);
        }
        return node.longValue();
    }

    Instant instant() {
        String text = text();
        try {
            if (!INSTANT.matcher(text).matches()) {
                throw new DateTimeParseException("not a UTC instant", text, 0);
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // A leap second or hour 24 looks like an instant: the message says which times of day are.
            String timeOfDay = INSTANT_FORM.matcher(text).matches() && !INSTANT.matcher(text).matches()
                    ? ", its time of day from 00:00:00 to 23:59:59.999999999 (no leap second, no hour 24)" : "";
            throw error("must be an ISO-8601 UTC instant such as 2024-10-27T10:00:00Z" + timeOfDay + ", was \""
                    + abbreviate(text) + "\"");
        }
    }

    Duration duration() {
        String text = text();
        Duration value;
        try {
            if (!DURATION.matcher(text).matches()) {
                throw new DateTimeParseException("not an unsigned duration", text, 0);
            }
            value = Duration.parse(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw error("must be a non-negative ISO-8601 duration such as PT5M or P1DT2H, was \""
                    + abbreviate(text) + "\"");
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            throw error("must be at most " + MAX_DURATION + " (" + MAX_DURATION.toDays() + " days), was " + text);
        }
        return value;
    }

    <E> E enumValue(Function<String, Optional<E>> find, List<String> accepted) {
        String text = text();
        return find.apply(text).orElseThrow(() -> error(
                "unknown value \"" + abbreviate(text) + "\"; expected one of " + String.join(", ", accepted)));
    }

    /** A scalar model parameter: string, boolean, integer (as Long) or decimal (as BigDecimal). */
    Object scalar() {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            BigDecimal value = node.decimalValue();
            if (!Double.isFinite(value.doubleValue())) {
                throw error("number is out of range: " + abbreviate(node.asText()));
            }
            return value;
        }
        throw error("must be a string, number or boolean, was " + typeName(node));
    }

    /**
     * Builds a record from values already read here; a rule its constructor enforces becomes an error
     * at this path, extended by the component the constructor's message names, so no partially valid
     * object escapes.
     */
    <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            String message = String.valueOf(e.getMessage());
            Matcher m = COMPONENT_PREFIX.matcher(message);
            if (m.matches()) {
                throw errorAt(member(snakeCase(m.group(1))) + m.group(2), m.group(3));
            }
            throw error(message);
        }
    }

    static String snakeCase(String camel) {
        // Unit suffixes are spelt as one word in JSON: memoryGiB is memory_gib.
        return camel.replace("GiB", "Gib").replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    static String typeName(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** Shortens a value quoted in a message, with control characters escaped so a terminal shows them. */
    static String abbreviate(String text) {
        return Checks.abbreviate(text);
    }

    /** The index of the first control, line or paragraph separator or bidirectional formatting character, or -1. */
    static int firstControl(String text) {
        return Checks.firstControl(text);
    }

    private static String printable(String text) {
        return Checks.printable(text);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
