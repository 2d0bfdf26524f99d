package io.fleetpredict.prometheus;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An answer of the HTTP API read token by token, so that the memory it takes follows the points kept, not
 * the text: a range series' {@code [time, value]} pairs go straight into the page's {@link GridPoints}, the
 * other series are read through without being kept, and only the small parts (status, warnings, infos,
 * result type, labels, an instant query's point) are read as trees.
 *
 * <p>What is read is judged only once the whole answer has been, in the order of the checks on a tree of
 * it: a body that is not JSON first, then the status, the warnings, the data, the result type, the number of
 * series, their labels, and the first bad point last; a key given twice counts by its last value, as in a
 * tree. A point in a shape Prometheus does not write (a timestamp beyond milliseconds or in exponent form, a
 * value that is not a string) is read as a tree of its own and judged by the same rules.
 */
final class StreamedAnswer {

    /**
     * A number as Prometheus writes one (Go's {@code strconv.FormatFloat}), without what Java's own parser
     * also takes: hexadecimal, a {@code d} or {@code f} suffix, surrounding blanks.
     */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INFINITY = Pattern.compile("[+-]?Inf");
    /** Long enough for every timestamp with at most 15 digits of seconds and 3 of milliseconds. */
    private static final int TIME_CHARS = 20;
    /** Long enough for every value Prometheus writes in full (17 digits, a sign, a point, an exponent). */
    private static final int VALUE_CHARS = 32;
    /**
     * Builds the trees of the small parts as a tree of the whole answer would hold them (decimals as {@code
     * BigDecimal}); it checks for trailing tokens only where told, as it reads parts of one document.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /**
     * Where a page of a range query puts its points: the grid and the indexes this page covers. {@code start} is
     * the grid's first evaluation time, {@code lag} how long after the time a point is dated it is evaluated
     * (zero, or the step less 1 ms under {@link Dating#STEP_START}).
     */
    record Page(GridPoints points, Instant start, Duration step, Duration lag, long first, long last) {
    }

    private final String promql;
    private final @Nullable Page page;
    private final int pageStart;
    private final Matcher number = NUMBER.matcher("");
    private final CharWindow window = new CharWindow();
    private final char[] timeText = new char[TIME_CHARS];
    private final char[] valueText = new char[VALUE_CHARS];
    private int timeLength;
    private int valueLength;
    private long pointMillis;
    private double pointValue;

    private boolean empty;
    private @Nullable JsonNode status;
    private @Nullable JsonNode warnings;
    private @Nullable JsonNode infos;
    private boolean data;
    private @Nullable JsonNode resultType;
    /** The result as a tree, when it was not read series by series. */
    private @Nullable JsonNode result;
    /** Whether the result was read series by series: an array of them. */
    private boolean seriesRead;
    private int seriesCount;
    /** The labels of the first five series, as a message names them. */
    private final List<JsonNode> labels = new ArrayList<>();
    private boolean histograms;
    private boolean valuesGiven;
    private @Nullable JsonNode valuesNotAList;
    private @Nullable PrometheusException badPoint;
    private @Nullable JsonNode value;

    private StreamedAnswer(String promql, @Nullable Page page) {
        this.promql = promql;
        this.page = page;
        this.pageStart = page == null ? 0 : page.points().size();
    }

    /**
     * Reads a whole answer.
     *
     * @param text the answer
     * @param promql the expression as messages show it
     * @param page where a range query's points go; null for an instant query
     * @return the answer, to be checked by its accessors
     * @throws IOException if the text is not one JSON value (a {@link
     *     com.fasterxml.jackson.core.JsonProcessingException}), as a tree's reading would fail
     */
    static StreamedAnswer read(Reader text, String promql, @Nullable Page page) throws IOException {
        StreamedAnswer answer = new StreamedAnswer(promql, page);
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                answer.empty = true;
                return answer;
            }
            if (first == JsonToken.START_OBJECT) {
                answer.envelope(p);
            } else {
                skip(p);
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                // as DeserializationFeature.FAIL_ON_TRAILING_TOKENS words it for a tree
                throw MismatchedInputException.from(p, JsonNode.class, String.format(Locale.ROOT, "Trailing token (of"
                        + " type %s) found after value (bound as %s): not allowed as per"
                        + " `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`", trailing, "`" + JsonNode.class.getName()
                        + "`"));
            }
        }
        answer.seriesOfATreeResult();
        return answer;
    }

    private void envelope(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "status" -> status = p.readValueAsTree();
                case "warnings" -> warnings = p.readValueAsTree();
                case "infos" -> infos = p.readValueAsTree();
                case "data" -> data(p);
                default -> skip(p);
            }
        }
    }

    private void data(JsonParser p) throws IOException {
        resultType = null;
        clearResult();
        data = p.currentToken() == JsonToken.START_OBJECT;
        if (!data) {
            skip(p);
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "resultType" -> resultType = p.readValueAsTree();
                case "result" -> {
                    clearResult();
                    if (p.currentToken() == JsonToken.START_ARRAY && ofSeries(resultType())) {
                        series(p);
                    } else {
                        result = p.readValueAsTree();
                    }
                }
                default -> skip(p);
            }
        }
    }

    /** A result read as a tree (its type came after it) whose type says it holds series is read as them. */
    private void seriesOfATreeResult() throws IOException {
        JsonNode tree = result;
        if (tree != null && tree.isArray() && ofSeries(resultType())) {
            try (JsonParser p = tree.traverse(JSON)) {
                p.nextToken();
                series(p);
            }
        }
    }

    private static boolean ofSeries(String type) {
        return type.equals("matrix") || type.equals("vector");
    }

    private void clearResult() {
        result = null;
        seriesRead = false;
        seriesCount = 0;
        labels.clear();
        histograms = false;
        clearValues();
        value = null;
    }

    private void clearValues() {
        valuesGiven = false;
        valuesNotAList = null;
        badPoint = null;
        if (page != null) {
            page.points().truncate(pageStart);
        }
    }

    /** The series of a result, the parser on the array's start: the first is kept, the rest counted. */
    private void series(JsonParser p) throws IOException {
        seriesRead = true;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            int n = seriesCount++;
            if (n < 5) {
                labels.add(MissingNode.getInstance());
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                skip(p);
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("metric") && n < 5) {
                    labels.set(n, p.readValueAsTree());
                } else if (n > 0) {
                    skip(p);
                } else if (name.equals("histograms") || name.equals("histogram") && page == null) {
                    // a range series holds its native histogram samples in "histograms", an instant one its
                    // sample in "histogram", in place of "values" and "value"
                    histograms = holdsAny(p);
                } else if (name.equals("values") && page != null) {
                    values(p);
                } else if (name.equals("value") && page == null) {
                    value = p.readValueAsTree();
                } else {
                    skip(p);
                }
            }
        }
    }

    /** Whether the value at the parser is an array or object with something in it, read through. */
    private static boolean holdsAny(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_ARRAY && t != JsonToken.START_OBJECT) {
            skip(p);
            return false;
        }
        JsonToken next = p.nextToken();
        if (next == JsonToken.END_ARRAY || next == JsonToken.END_OBJECT) {
            return false;
        }
        skip(p); // nothing to do on a field name
        skipRest(p);
        return true;
    }

    private void values(JsonParser p) throws IOException {
        clearValues();
        valuesGiven = true;
        if (p.currentToken() != JsonToken.START_ARRAY) {
            valuesNotAList = p.readValueAsTree();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (badPoint != null) {
                skip(p); // the first bad point is the one named
                continue;
            }
            try {
                point(p, Objects.requireNonNull(page));
            } catch (PrometheusException e) {
                badPoint = e;
            }
        }
    }

    /** One {@code [time, value]} pair, the parser on its first token; judged once read whole. */
    private void point(JsonParser p, Page into) throws IOException {
        JsonNode tree = readPair(p);
        if (tree == null) {
            into.points().add(index(into, pointMillis), pointValue);
            return;
        }
        JsonNode pair = pair(promql, tree);
        long t = millis(promql, pair.get(0));
        int index = index(into, t);
        into.points().add(index, value(promql, pair.get(1), t));
    }

    /** The grid index of a point's time, which must be on the page's part of the grid. */
    private int index(Page into, long t) {
        long startMs = into.start().toEpochMilli();
        long stepMs = into.step().toMillis();
        long offset = t - startMs;
        if (offset % stepMs != 0) {
            throw new PrometheusException(offGrid(into, t), false);
        }
        if (offset / stepMs < into.first() || offset / stepMs > into.last()) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: point at %s is outside the"
                    + " requested range", promql, Instant.ofEpochMilli(t)), false);
        }
        return (int) (offset / stepMs);
    }

    /**
     * Why a point is off the grid. A step-aligning query frontend evaluates at multiples of the step; a caller's
     * start can be one under {@link Dating#EVALUATION_TIME}, but under {@link Dating#STEP_START} every evaluation
     * time is 1 ms short of one, whatever the start, so the cure there is to turn the alignment off.
     */
    private String offGrid(Page into, long t) {
        if (into.lag().isZero()) {
            return String.format(Locale.ROOT, "query %s: point at %s is off the requested grid of %s from %s; a"
                    + " query frontend that aligns ranges to the step moves the grid: give a start that is a"
                    + " multiple of the step", promql, Instant.ofEpochMilli(t), into.step(), into.start());
        }
        return String.format(Locale.ROOT, "query %s: point at %s is off the requested grid of %s from %s: dated at"
                + " each step's start (STEP_START), each point is evaluated 1 ms before its step ends, from %s on;"
                + " a query frontend that aligns ranges to the step (Cortex and Mimir's align_queries_with_step,"
                + " Thanos's --query-range.align-range-with-step) moves every such time, whatever the start:"
                + " turn that alignment off for these queries, or query Prometheus itself",
                promql, Instant.ofEpochMilli(t), into.step(), into.start().minus(into.lag()), into.start());
    }

    /**
     * Reads a pair as Prometheus writes it ({@code [1700000000.123,"0.5"]}) into {@link #pointMillis} and
     * {@link #pointValue} without building anything, and returns null; any other element is returned as the
     * tree a reading of the whole answer would have made of it.
     */
    private @Nullable JsonNode readPair(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return p.readValueAsTree();
        }
        p.nextToken();
        if (!plainTime(p)) {
            return rest(p, JSON.createArrayNode());
        }
        p.nextToken();
        if (!plainValue(p)) {
            return rest(p, timeRead());
        }
        if (p.nextToken() == JsonToken.END_ARRAY) {
            return null;
        }
        ArrayNode read = timeRead();
        read.add(String.valueOf(valueText, 0, valueLength));
        return rest(p, read);
    }

    /** A pair's elements read so far when its time was plain: the time as a tree would hold it. */
    private ArrayNode timeRead() throws IOException {
        return JSON.createArrayNode().add(JSON.readTree(String.valueOf(timeText, 0, timeLength)));
    }

    /** The elements of an array from the parser's token to its end, after those already read. */
    private static ArrayNode rest(JsonParser p, ArrayNode read) throws IOException {
        for (JsonToken t = p.currentToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            read.add((JsonNode) p.readValueAsTree());
        }
        return read;
    }

    /**
     * Whether the token is a timestamp of at most 15 digits of seconds and 3 of milliseconds, which
     * {@link #millis} would take exactly; sets {@link #pointMillis} to it.
     */
    private boolean plainTime(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT || p.getTextLength() > TIME_CHARS) {
            return false;
        }
        char[] c = p.getTextCharacters();
        int at = p.getTextOffset();
        int end = at + p.getTextLength();
        boolean negative = c[at] == '-';
        int i = negative ? at + 1 : at;
        long seconds = 0;
        int digits = 0;
        for (; i < end && c[i] >= '0' && c[i] <= '9'; i++, digits++) {
            seconds = seconds * 10 + (c[i] - '0');
        }
        long millis = 0;
        int decimals = 0;
        if (i < end && c[i] == '.') {
            for (i++; i < end && c[i] >= '0' && c[i] <= '9'; i++, decimals++) {
                millis = millis * 10 + (c[i] - '0');
            }
        }
        if (i != end || digits == 0 || digits > 15 || decimals > 3) {
            return false;
        }
        for (; decimals < 3; decimals++) {
            millis *= 10;
        }
        pointMillis = negative ? -(seconds * 1000 + millis) : seconds * 1000 + millis;
        timeLength = p.getTextLength();
        System.arraycopy(c, at, timeText, 0, timeLength);
        return true;
    }

    /**
     * Whether the token is a string holding {@code NaN} or a finite number in Prometheus's syntax, which
     * {@link #value} would take; sets {@link #pointValue} to it.
     */
    private boolean plainValue(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING || p.getTextLength() > VALUE_CHARS) {
            return false;
        }
        char[] c = p.getTextCharacters();
        int at = p.getTextOffset();
        int length = p.getTextLength();
        if (length == 3 && c[at] == 'N' && c[at + 1] == 'a' && c[at + 2] == 'N') {
            pointValue = Double.NaN;
        } else if (number.reset(window.over(c, at, length)).matches()) {
            // the same value as Double.parseDouble, from the characters where they are
            pointValue = NumberInput.parseDouble(c, at, length, true);
            if (Double.isInfinite(pointValue)) {
                return false;
            }
        } else {
            return false;
        }
        valueLength = length;
        System.arraycopy(c, at, valueText, 0, length);
        return true;
    }

    /**
     * Reads through the value at the parser without keeping it. A float with an exponent is still read as a
     * tree would read it, where one out of range fails.
     */
    private static void skip(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
            skipRest(p);
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            checkFloat(p);
        }
    }

    /** Reads through the rest of the array or object the parser is in. */
    private static void skipRest(JsonParser p) throws IOException {
        for (int depth = 1; depth > 0;) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return; // the parser reports the missing end
            }
            if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                depth++;
            } else if (t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) {
                depth--;
            } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                checkFloat(p);
            }
        }
    }

    private static void checkFloat(JsonParser p) throws IOException {
        char[] c = p.getTextCharacters();
        for (int i = p.getTextOffset(), end = i + p.getTextLength(); i < end; i++) {
            if (c[i] == 'e' || c[i] == 'E') {
                p.readValueAsTree();
                return;
            }
        }
    }

    /** @return whether the answer had no JSON value at all */
    boolean empty() {
        return empty;
    }

    /** @return whether its {@code status} is {@code success} */
    boolean succeeded() {
        return status != null && status.isTextual() && "success".equals(status.textValue());
    }

    /** @return its {@code warnings}, or null */
    @Nullable JsonNode warnings() {
        return warnings;
    }

    /** @return its {@code infos}, or null */
    @Nullable JsonNode infos() {
        return infos;
    }

    /** @return whether it has a {@code data} object */
    boolean hasData() {
        return data;
    }

    /** @return the answer's {@code resultType}, empty when it has none */
    String resultType() {
        JsonNode type = resultType;
        return type != null && type.isTextual() ? type.textValue() : "";
    }

    /** @return the result as a tree, for a scalar; null when it had none or was read as series */
    @Nullable JsonNode result() {
        return result;
    }

    /**
     * Whether the result has its one series.
     *
     * @throws PrometheusException if it is not an array or has more than one
     */
    boolean single() {
        if (!seriesRead) {
            throw new PrometheusException("query " + promql + ": the response has no result array", false);
        }
        if (seriesCount > 1) {
            List<String> shown = labels.stream().map(StreamedAnswer::shorten).toList();
            throw new PrometheusException(String.format(Locale.ROOT,
                    "query %s: returned %d series %s; it must return one (aggregate it, e.g. sum(...))",
                    promql, seriesCount, seriesCount > 5 ? shown + "..." : shown), false);
        }
        return seriesCount == 1;
    }

    /** @return the one series' labels ({@code metric}), missing when it has none */
    JsonNode labels() {
        return labels.get(0);
    }

    /**
     * Checks the one series of a range page, whose points are in the page's grid once this returns.
     *
     * @return whether it had {@code values}
     * @throws PrometheusException if it holds native histograms, values that are not a list, or a bad point
     */
    boolean values() {
        noHistograms();
        if (valuesNotAList != null) {
            throw new PrometheusException(String.format(Locale.ROOT,
                    "query %s: the series' values %s are not a list of [time, value] pairs", promql,
                    shorten(valuesNotAList)), false);
        }
        if (badPoint != null) {
            throw badPoint;
        }
        return valuesGiven;
    }

    /**
     * Checks that the one series holds no native histogram samples, which are not numbers.
     *
     * @throws PrometheusException if it does
     */
    void noHistograms() {
        if (histograms) {
            throw new PrometheusException("query " + promql + ": returned native histogram samples, which are"
                    + " not numbers; query a number from them, e.g. histogram_sum(...) or histogram_count(...)", false);
        }
    }

    /** @return the one series' {@code value} of an instant query, or null */
    @Nullable JsonNode value() {
        return value;
    }

    /** A {@code [time, value]} pair of the answer. */
    static JsonNode pair(String promql, @Nullable JsonNode node) {
        if (node == null || !node.isArray() || node.size() != 2) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: %s is not a [time, value] pair",
                    promql, node == null ? "nothing" : shorten(node)), false);
        }
        return node;
    }

    /** A node's JSON text, cut short so that a message stays readable. */
    static String shorten(JsonNode node) {
        return PrometheusApi.cut(node.toString(), 100);
    }

    static long millis(String promql, @Nullable JsonNode t) {
        if (t == null || !t.isNumber()) {
            throw new PrometheusException("query " + promql + ": a point has no numeric timestamp", false);
        }
        BigDecimal seconds = t.decimalValue();
        // Digits before the point: above 16 the milliseconds overflow a long; far below zero the value
        // rounds to 0, and rounding it by setScale would take time in proportion to the exponent.
        long digits = (long) seconds.precision() - seconds.scale();
        if (digits < -20) {
            return 0;
        }
        try {
            if (digits > 16) {
                throw new ArithmeticException();
            }
            return seconds.movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        } catch (ArithmeticException e) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: the timestamp %s is out of range",
                    promql, shorten(t)), false, e);
        }
    }

    static double value(String promql, @Nullable JsonNode node, long millis) {
        String s = node != null && (node.isTextual() || node.isNumber()) ? node.asText() : "";
        if (s.equals("NaN")) {
            return Double.NaN;
        }
        if (!NUMBER.matcher(s).matches() && !INFINITY.matcher(s).matches()) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: value %s at %s is not a number",
                    promql, node == null ? "nothing" : shorten(node), Instant.ofEpochMilli(millis)), false);
        }
        double v = INFINITY.matcher(s).matches() ? Double.POSITIVE_INFINITY : Double.parseDouble(s);
        if (Double.isInfinite(v)) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: value %s at %s is infinite",
                    promql, s, Instant.ofEpochMilli(millis)), false);
        }
        return v;
    }

    /** Characters of the parser's buffer as a {@link CharSequence}, for a matcher, without copying them. */
    private static final class CharWindow implements CharSequence {
        private char[] chars = new char[0];
        private int offset;
        private int length;

        CharWindow over(char[] c, int at, int n) {
            chars = c;
            offset = at;
            length = n;
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return chars[offset + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            return String.valueOf(chars, offset, length);
        }
    }
}
